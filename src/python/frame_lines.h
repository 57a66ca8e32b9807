// FrameLines: the rows of a pandas DataFrame written out as seed-format JSON lines, so that a
// DataFrame goes through the very parser, validation, duplicate detection and reject reporting
// a file does (one definition of a valid record, not two). Numbers use the shortest round-trip
// text and timestamps keep their nanoseconds, so a value parsed back is the value given, bit
// for bit. A missing value (NaT, NaN, None) is written as JSON null and the line is then
// rejected with the reason a file's null would get.
// Ownership: the columns are borrowed (numpy buffers kept alive by the caller); the string
// tables own their quoted, escaped strings.
// Thread-safety: the Append functions only read; one output string per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cryptomood::python {

// numpy's NaT as int64 nanoseconds.
inline constexpr std::int64_t kNotATime = std::numeric_limits<std::int64_t>::min();
// A code of a missing string (pandas.factorize's code for NaN/None).
inline constexpr std::int64_t kMissingCode = -1;

// Distinct strings, each stored once as quoted JSON text.
class QuotedStrings {
 public:
  void Add(std::string_view text);
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t index) const;

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;
};

struct TradeColumns {
  std::span<const std::int64_t> timestamp;  // nanoseconds since the epoch, or kNotATime
  std::span<const double> price;
  std::span<const double> size;
  std::span<const std::int64_t> symbol;  // index into symbols, or kMissingCode
  QuotedStrings symbols;
  std::span<const std::int64_t> uuid;  // empty: the frame has no uuid column
  QuotedStrings uuids;
  std::size_t rows() const { return timestamp.size(); }
};

struct SentimentColumns {
  std::span<const std::int64_t> timestamp;
  std::span<const double> polarity;
  // Row r names coins coin_codes[coin_ends[r-1] .. coin_ends[r]) (from 0 for r = 0); a row
  // without a coin list (None, NaN) is marked in coins_missing.
  std::vector<std::size_t> coin_ends;
  std::vector<std::uint32_t> coin_codes;
  std::vector<bool> coins_missing;
  QuotedStrings coins;
  std::span<const std::int64_t> text;  // empty: the frame has no text column
  QuotedStrings texts;
  std::size_t rows() const { return timestamp.size(); }
};

// Append the JSON line of `row`, newline included. A trade frame without a uuid column gets
// "00000000-0000-4000-8000-" and the row number in 12 hex digits: unique, so no row of such a
// frame is a duplicate of another.
void AppendTradeLine(const TradeColumns& columns, std::size_t row, std::string& out);
void AppendSentimentLine(const SentimentColumns& columns, std::size_t row, std::string& out);

}  // namespace cryptomood::python
