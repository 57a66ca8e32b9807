#include "io/market_data_loader.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/records.h"
#include "core/status_macros.h"
#include "core/string_index.h"
#include "io/chunk_lines.h"
#include "io/content_keys.h"
#include "io/file_driver.h"
#include "io/key128_set.h"
#include "io/line_format.h"
#include "io/progress_meter.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"
#include "io/uuid.h"

namespace cryptomood {
namespace {

// Strings met in one chunk (symbol ids, tickers), numbered so that records carry 4 bytes.
// Inputs name few distinct symbols and coins, so a short table is searched linearly before
// a hash map is built: cheaper than hashing every record's string.
class ChunkStrings {
 public:
  void Clear() {
    strings_.clear();
    index_.clear();
  }
  std::uint32_t Intern(std::string_view text) {
    if (strings_.size() > kLinearSearchLimit) {
      return InternName(index_, text, [&] { return Append(text); });
    }
    for (std::size_t i = 0; i < strings_.size(); ++i) {
      if (strings_[i] == text) return static_cast<std::uint32_t>(i);
    }
    const std::uint32_t index = Append(text);
    if (strings_.size() > kLinearSearchLimit) {
      for (std::uint32_t i = 0; i < strings_.size(); ++i) index_.emplace(strings_[i], i);
    }
    return index;
  }
  std::string_view operator[](std::uint32_t index) const { return strings_[index]; }
  std::size_t size() const { return strings_.size(); }

 private:
  std::uint32_t Append(std::string_view text) {
    strings_.emplace_back(text);
    return static_cast<std::uint32_t>(strings_.size() - 1);
  }

  static constexpr std::size_t kLinearSearchLimit = 8;
  std::vector<std::string> strings_;
  StringIndexMap index_;
};

// ---- trades ----

struct KeptTrade {
  TradePoint point;
  Key128 uuid;
  std::uint32_t symbol;       // in TradeChunk::symbols
  std::uint32_t base_offset;  // the base asset inside the symbol id
  std::uint32_t base_length;
};

struct TradeChunk : ChunkLineResults {
  std::int64_t accepted_outside_range = 0;
  std::vector<KeptTrade> trades;
  ChunkStrings symbols;
};

class TradeChunkParser {
 public:
  using Output = TradeChunk;
  static constexpr RecordKind kKind = RecordKind::kTrade;

  void Parse(const Chunk& chunk, const TimeRange& range, FileFormatGate& gate, TradeChunk& out) {
    out.accepted_outside_range = 0;
    out.trades.clear();
    out.symbols.Clear();
    const FileFormat& format = gate.Await(chunk);
    const auto parse_line = [&](simdjson::padded_string_view line) -> Status {
      CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(format, line, record_));
      if (!range.Contains(record_.timestamp)) {
        ++out.accepted_outside_range;
        return {};
      }
      const Uuid uuid = parser_.parser().parsed_uuid();
      out.trades.push_back(KeptTrade{
          TradePoint{record_.timestamp, record_.price, record_.size},
          Key128{uuid.high, uuid.low},
          out.symbols.Intern(record_.symbol_id),
          static_cast<std::uint32_t>(record_.base.data() - record_.symbol_id.data()),
          static_cast<std::uint32_t>(record_.base.size()),
      });
      return {};
    };
    ParseChunkLines(chunk, out, parse_line, format.HeaderLinesIn(chunk));
  }

 private:
  FormattedLineParser<TradeParser> parser_;
  TradeRecord record_;
};

// ---- sentiment ----

struct KeptSentiment {
  SentimentPoint point;
  Key128 content;
  std::uint32_t first_coin;  // in SentimentChunk::coin_refs
  std::uint32_t coin_count;
};

struct SentimentChunk : ChunkLineResults {
  std::int64_t accepted_outside_range = 0;
  std::vector<KeptSentiment> records;
  std::vector<std::uint32_t> coin_refs;  // indices into coins, a run per record
  ChunkStrings coins;
};

class SentimentChunkParser {
 public:
  using Output = SentimentChunk;
  static constexpr RecordKind kKind = RecordKind::kSentiment;

  void Parse(const Chunk& chunk, const TimeRange& range, FileFormatGate& gate,
             SentimentChunk& out) {
    out.accepted_outside_range = 0;
    out.records.clear();
    out.coin_refs.clear();
    out.coins.Clear();
    const FileFormat& format = gate.Await(chunk);
    const auto parse_line = [&](simdjson::padded_string_view line) -> Status {
      CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(format, line, record_));
      if (!range.Contains(record_.timestamp)) {
        ++out.accepted_outside_range;
        return {};
      }
      // The coin set, not the list: order and repetition do not make a tweet different.
      SortedCoinSet(record_.coins, sorted_coins_);
      const auto first_coin = static_cast<std::uint32_t>(out.coin_refs.size());
      for (std::string_view coin : sorted_coins_) out.coin_refs.push_back(out.coins.Intern(coin));
      out.records.push_back(KeptSentiment{
          SentimentPoint{record_.timestamp, record_.polarity},
          SentimentContentKey(record_.timestamp, sorted_coins_, record_.polarity, record_.text),
          first_coin,
          static_cast<std::uint32_t>(sorted_coins_.size()),
      });
      return {};
    };
    ParseChunkLines(chunk, out, parse_line, format.HeaderLinesIn(chunk));
  }

 private:
  FormattedLineParser<SentimentParser> parser_;
  SentimentRecord record_;
  std::vector<std::string_view> sorted_coins_;
};

// ---- the load ----

// Typical line lengths are about 310 bytes (trades) and 130 (tweets); reserving for a bit
// shorter lines rarely leaves a rehash and wastes little memory.
constexpr std::uint64_t kShortTradeLine = 250;
constexpr std::uint64_t kShortSentimentLine = 100;

class Loader {
 public:
  explicit Loader(const LoadOptions& options)
      : options_(options), builder_(options.range), progress_(options.show_progress, stderr) {}

  Result<LoadedInput> Run() && {
    LoadedInput loaded;
    for (const std::string& path : options_.trade_files) {
      CRYPTOMOOD_RETURN_IF_ERROR(LoadFile<TradeChunkParser>(path, loaded.trades));
    }
    seen_trades_ = Key128Set{};  // no longer needed: free it before sorting
    for (const std::string& path : options_.sentiment_files) {
      CRYPTOMOOD_RETURN_IF_ERROR(LoadFile<SentimentChunkParser>(path, loaded.sentiment));
    }
    seen_sentiment_ = Key128Set{};
    loaded.data = std::move(builder_).Finish();
    return loaded;
  }

 private:
  template <typename ChunkParser>
  Status LoadFile(const std::string& path, InputCounts& counts);

  // Sizes the duplicate set for a file up front (from its size and a short line length),
  // which saves the rehashes of a growing table: a large share of load time otherwise.
  template <typename ChunkParser>
  void ReserveDuplicateSet(std::uint64_t file_bytes) {
    Key128Set& set = ChunkParser::kKind == RecordKind::kTrade ? seen_trades_ : seen_sentiment_;
    const std::uint64_t shortest_line =
        ChunkParser::kKind == RecordKind::kTrade ? kShortTradeLine : kShortSentimentLine;
    set.Reserve(set.size() + static_cast<std::size_t>(file_bytes / shortest_line));
  }

  // Sizes the series the builder creates from here on for this file's records (at most its
  // size over a short line each, added to the files before).
  template <typename ChunkParser>
  void ExpectSeriesSizes(std::uint64_t file_bytes) {
    if (ChunkParser::kKind == RecordKind::kTrade) {
      expected_trades_ += static_cast<std::size_t>(file_bytes / kShortTradeLine);
      builder_.ExpectTradesPerSymbol(expected_trades_);
    } else {
      expected_tweets_ += static_cast<std::size_t>(file_bytes / kShortSentimentLine);
      builder_.ExpectTweetsPerCoin(expected_tweets_);
    }
  }

  void Keep(const TradeChunk& chunk, InputCounts& counts);
  void Keep(const SentimentChunk& chunk, InputCounts& counts);

  const LoadOptions& options_;
  MarketDataBuilder builder_;
  ProgressMeter progress_;
  Key128Set seen_trades_;
  Key128Set seen_sentiment_;
  // Per chunk: the builder's index of each of its symbols and coins, once looked up.
  std::vector<std::optional<SymbolIndex>> chunk_symbols_;
  std::vector<std::optional<CoinIndex>> chunk_coins_;
  std::vector<CoinIndex> record_coins_;
  std::size_t expected_trades_ = 0;
  std::size_t expected_tweets_ = 0;
};

template <typename ChunkParser>
Status Loader::LoadFile(const std::string& path, InputCounts& counts) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::unique_ptr<ChunkReader> reader,
                              ChunkReader::Open(path, options_.chunk_bytes));
  FileSteps<ChunkParser> steps;
  steps.parse = [this](ChunkParser& parser, const Chunk& chunk, FileFormatGate& format,
                       typename ChunkParser::Output& output) {
    parser.Parse(chunk, options_.range, format, output);
  };
  steps.keep = [this, &counts](const Chunk& /*chunk*/, typename ChunkParser::Output& output) {
    counts.accepted += output.accepted_outside_range;
    Keep(output, counts);
    return Status::Ok();
  };

  // With a time range most lines may never reach the set; let it grow as needed then.
  const bool whole_file_kept = !options_.range.from && !options_.range.to;
  const std::optional<std::uint64_t> text_bytes = reader->expected_text_bytes();
  if (text_bytes && whole_file_kept) ReserveDuplicateSet<ChunkParser>(*text_bytes);
  if (text_bytes) ExpectSeriesSizes<ChunkParser>(*text_bytes);
  const FileDriverSettings settings{.threads = options_.threads,
                                    .strict = options_.strict,
                                    .rejects = options_.rejects,
                                    .progress = &progress_,
                                    .cancel = options_.cancel};
  CRYPTOMOOD_ASSIGN_OR_RETURN(const FileTally tally, DriveFile(*reader, settings, steps));
  counts.lines += tally.lines;
  counts.rejected += tally.rejected;
  return {};
}

// How far ahead the duplicate sets are prefetched: enough to cover a memory latency.
constexpr std::size_t kPrefetchDistance = 8;

// The builder's index for each string of a chunk, looked up on first use: once per distinct
// symbol or coin in a chunk rather than once per record.
template <typename Index, typename Intern>
Index ChunkIndex(std::vector<std::optional<Index>>& indices, std::uint32_t chunk_index,
                 Intern intern) {
  std::optional<Index>& index = indices[chunk_index];
  if (!index) index = intern();
  return *index;
}

void Loader::Keep(const TradeChunk& chunk, InputCounts& counts) {
  chunk_symbols_.assign(chunk.symbols.size(), std::nullopt);
  for (std::size_t i = 0; i < chunk.trades.size(); ++i) {
    if (i + kPrefetchDistance < chunk.trades.size()) {
      seen_trades_.Prefetch(chunk.trades[i + kPrefetchDistance].uuid);
    }
    const KeptTrade& trade = chunk.trades[i];
    if (!seen_trades_.Insert(trade.uuid)) {
      ++counts.duplicates;
      continue;
    }
    ++counts.accepted;
    // Kept trades are inside the range (the parser set the others aside), so the symbol is
    // only ever looked up for a trade the builder files.
    const SymbolIndex symbol = ChunkIndex(chunk_symbols_, trade.symbol, [&] {
      const std::string_view symbol_id = chunk.symbols[trade.symbol];
      return builder_.InternSymbol(symbol_id,
                                   symbol_id.substr(trade.base_offset, trade.base_length));
    });
    builder_.AddTrade(symbol, trade.point);
  }
}

void Loader::Keep(const SentimentChunk& chunk, InputCounts& counts) {
  chunk_coins_.assign(chunk.coins.size(), std::nullopt);
  for (std::size_t i = 0; i < chunk.records.size(); ++i) {
    if (i + kPrefetchDistance < chunk.records.size()) {
      seen_sentiment_.Prefetch(chunk.records[i + kPrefetchDistance].content);
    }
    const KeptSentiment& record = chunk.records[i];
    if (!seen_sentiment_.Insert(record.content)) {
      ++counts.duplicates;
      continue;
    }
    ++counts.accepted;
    record_coins_.clear();
    const auto refs = std::span(chunk.coin_refs).subspan(record.first_coin, record.coin_count);
    for (const std::uint32_t coin : refs) {
      record_coins_.push_back(
          ChunkIndex(chunk_coins_, coin, [&] { return builder_.InternCoin(chunk.coins[coin]); }));
    }
    builder_.AddSentiment(record_coins_, record.point);
  }
}

}  // namespace

Result<LoadedInput> LoadMarketData(const LoadOptions& options) { return Loader(options).Run(); }

}  // namespace cryptomood
