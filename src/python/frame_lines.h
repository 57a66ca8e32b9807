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
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cryptomood::python {

// numpy's NaT as int64 nanoseconds.
inline constexpr std::int64_t kNotATime = std::numeric_limits<std::int64_t>::min();
// A column of strings: views of the Python str objects' UTF-8 text (borrowed: valid while
// those objects live), or of owned copies for cells converted from other types. A view
// without data is a missing value (None, NaN).
struct TextColumn {
  std::vector<std::string_view> cells;
  std::deque<std::string> owned;
  bool missing(std::size_t row) const { return cells[row].data() == nullptr; }
};

// Distinct strings (coins), each stored once as quoted JSON text.
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
  TextColumn symbol;
  std::optional<TextColumn> uuid;  // absent: the frame has no uuid column
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
  std::optional<TextColumn> text;  // absent: the frame has no text column
  std::size_t rows() const { return timestamp.size(); }
};

// Appends text as a quoted JSON string: plain printable ASCII as it is, anything else escaped
// (and invalid UTF-8 repaired) by the JSON writer.
void AppendJsonString(std::string_view text, std::string& out);

// Append the JSON line of `row`, newline included. A trade frame without a uuid column gets
// "00000000-0000-4000-8000-" and the row number in 12 hex digits: unique, so no row of such a
// frame is a duplicate of another.
void AppendTradeLine(const TradeColumns& columns, std::size_t row, std::string& out);
void AppendSentimentLine(const SentimentColumns& columns, std::size_t row, std::string& out);

}  // namespace cryptomood::python
