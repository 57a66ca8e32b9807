// Seed-format JSON lines for simulated records: SeedLineFormatter lays out one trade or tweet
// line byte for byte like ../shared/data/seed/*.txt (same keys, same order, ": " and ", "
// separators), and RecordWriter streams those lines into the two files through large
// buffered writes.
// Strings (tickers, symbol ids, keys) are escaped once, through JsonWriter, when the formatter
// is built; numbers use the shortest round-trip form (AppendDoubleText); timestamps are
// RFC 3339 UTC with microseconds.
// Shuffling (for tests of unsorted input) permutes lines within consecutive blocks of
// shuffle_block_lines lines per file, a full permutation for files up to that size, so memory
// stays bounded for any output size.
// Thread-safety: none; one writer per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/simulation.h"

namespace cryptomood {

// What every simulated tweet says (as every seed tweet does).
inline constexpr std::string_view kSimulatedTweetText = "TEST";
// The symbol a simulated coin trades under: COINBASE_SPOT_<coin>_USD, as in the seed.
std::string SimulatedSymbolId(std::string_view coin);

// A simulated uuid in its canonical text form (8-4-4-4-12 lower-case hex digits).
std::string FormatSimulatedUuid(const SimulatedUuid& uuid);

class SeedLineFormatter {
 public:
  // coins: the simulation's tickers, indexed by SimulatedTrade::coin / SimulatedTweet::coins.
  explicit SeedLineFormatter(const std::vector<std::string>& coins);

  // Longest line either Write* can produce, newline included.
  std::size_t max_line_length() const { return max_line_length_; }

  // Write the line, ending in '\n', at out (which has max_line_length() bytes of room) and
  // return the end.
  char* WriteTrade(const SimulatedTrade& trade, char* out);
  char* WriteTweet(const SimulatedTweet& tweet, char* out);

 private:
  char* WriteTimestamp(TimestampNs timestamp, char* out);

  std::vector<std::string> trade_openings_;  // {"coins": ["BTC"], "price":<space>
  std::vector<std::string> symbol_fields_;   // , "symbol_id": "COINBASE_SPOT_BTC_USD"
  std::vector<std::string> quoted_coins_;    // "BTC"
  std::vector<std::string> quoted_taker_sides_;
  std::size_t max_line_length_ = 0;
  // The date part of the last timestamp written: consecutive records mostly share a day.
  std::int64_t cached_day_ = -1;
  char cached_date_[11] = {};  // YYYY-MM-DDT
};

struct RecordWriterOptions {
  bool shuffle = false;
  std::uint64_t shuffle_seed = 0;
  std::size_t shuffle_block_lines = std::size_t{1} << 16;
};

class RecordWriter {
 public:
  // Creates (truncates) both files. Errors are ErrorKind::kFailure naming the path.
  static Result<RecordWriter> Open(const std::string& trades_path,
                                   const std::string& sentiment_path,
                                   const std::vector<std::string>& coins,
                                   RecordWriterOptions options = {});

  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;
  RecordWriter(RecordWriter&&) noexcept;
  RecordWriter& operator=(RecordWriter&&) noexcept;
  ~RecordWriter();  // closes without reporting errors: call Finish() to see them

  // Appends the record's line to its file. A failed write is reported by this or a later call.
  Status Write(const SimulatedRecord& record);
  // Writes what is buffered and closes both files.
  Status Finish();

  std::int64_t trade_lines() const;
  std::int64_t tweet_lines() const;
  std::int64_t bytes_written() const;  // both files, once Finish() has succeeded

 private:
  class LineFile;
  RecordWriter(SeedLineFormatter formatter, std::unique_ptr<LineFile> trades,
               std::unique_ptr<LineFile> tweets);

  SeedLineFormatter formatter_;
  std::unique_ptr<LineFile> trades_;
  std::unique_ptr<LineFile> tweets_;
};

}  // namespace cryptomood
