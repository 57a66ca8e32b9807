#include "store/file_ingester.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/records.h"
#include "core/status_macros.h"
#include "core/string_index.h"
#include "core/taker_side.h"
#include "io/chunk_lines.h"
#include "io/content_keys.h"
#include "io/file_driver.h"
#include "io/line_format.h"
#include "io/progress_meter.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"
#include "io/uuid.h"
#include "store/coins_json.h"

namespace cryptomood {
namespace {

// The parser's views die with its next line; the vocabulary fields get static views instead.
std::string_view StableTakerSide(std::string_view taker_side) {
  for (std::string_view side : kTakerSideNames) {
    if (side == taker_side) return side;
  }
  return {};
}

// ---- trades ----

struct TradeChunk : ChunkLineResults {
  std::vector<TradeRow> rows;
  // Symbol ids of the chunk: a deque never moves its elements, so rows can view them.
  std::deque<std::string> symbols;
  StringIndexMap symbol_index;

  std::string_view InternSymbol(std::string_view symbol_id) {
    return symbols[InternName(symbol_index, symbol_id, [&] {
      symbols.emplace_back(symbol_id);
      return static_cast<std::uint32_t>(symbols.size() - 1);
    })];
  }
};

class TradeChunkParser {
 public:
  using Output = TradeChunk;
  static constexpr RecordKind kKind = RecordKind::kTrade;

  void Parse(const Chunk& chunk, FileFormatGate& gate, TradeChunk& out) {
    out.rows.clear();
    out.symbol_index.clear();
    out.symbols.clear();
    const FileFormat& format = gate.Await(chunk);
    const auto parse_line = [&](simdjson::padded_string_view line) -> Status {
      CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(format, line, record_));
      const std::string_view symbol_id = out.InternSymbol(record_.symbol_id);
      const auto base_offset =
          static_cast<std::size_t>(record_.base.data() - record_.symbol_id.data());
      const auto quote_offset =
          static_cast<std::size_t>(record_.quote.data() - record_.symbol_id.data());
      TradeRow row;
      row.uuid = ParseCanonicalUuid(record_.uuid).value();  // the parser checked it
      row.timestamp = record_.timestamp;
      row.time_exchange = record_.time_exchange;
      row.price = record_.price;
      row.size = record_.size;
      row.sequence = record_.sequence;
      row.symbol_id = symbol_id;
      row.base = symbol_id.substr(base_offset, record_.base.size());
      row.quote = symbol_id.substr(quote_offset, record_.quote.size());
      row.taker_side = StableTakerSide(record_.taker_side);
      row.type = record_.type.empty() ? std::string_view() : std::string_view("trade");
      row.has_coins = !record_.coins.empty();
      out.rows.push_back(row);
      return {};
    };
    ParseChunkLines(chunk, out, parse_line, format.HeaderLinesIn(chunk));
  }

  static Status Write(const TradeChunk& chunk, IngestWriter& writer) {
    for (const TradeRow& row : chunk.rows) {
      CRYPTOMOOD_RETURN_IF_ERROR(writer.AddTrade(row));
    }
    return {};
  }

 private:
  FormattedLineParser<TradeParser> parser_;
  TradeRecord record_;
};

// ---- sentiment ----

struct ParsedSentiment {
  Key128 content_key;
  TimestampNs timestamp = 0;
  double polarity = 0;
  std::size_t coins_offset = 0;  // in the arena: the coins as given, JSON
  std::size_t coins_length = 0;
  std::size_t text_offset = 0;  // in the arena
  std::size_t text_length = 0;
  std::size_t first_coin = 0;  // in coin_set_spans
  std::size_t coin_count = 0;
};

struct SentimentChunk : ChunkLineResults {
  std::vector<ParsedSentiment> records;
  std::string arena;  // grows while parsing, so records keep offsets, not views
  std::vector<std::pair<std::size_t, std::size_t>> coin_set_spans;  // offset, length
};

class SentimentChunkParser {
 public:
  using Output = SentimentChunk;
  static constexpr RecordKind kKind = RecordKind::kSentiment;

  void Parse(const Chunk& chunk, FileFormatGate& gate, SentimentChunk& out) {
    out.records.clear();
    out.arena.clear();
    out.coin_set_spans.clear();
    const FileFormat& format = gate.Await(chunk);
    const auto parse_line = [&](simdjson::padded_string_view line) -> Status {
      CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(format, line, record_));
      SortedCoinSet(record_.coins, coin_set_);
      ParsedSentiment parsed;
      parsed.content_key =
          SentimentContentKey(record_.timestamp, coin_set_, record_.polarity, record_.text);
      parsed.timestamp = record_.timestamp;
      parsed.polarity = record_.polarity;
      parsed.coins_offset = out.arena.size();
      AppendCoinsJson(record_.coins, out.arena);
      parsed.coins_length = out.arena.size() - parsed.coins_offset;
      parsed.text_offset = out.arena.size();
      out.arena += record_.text;
      parsed.text_length = record_.text.size();
      parsed.first_coin = out.coin_set_spans.size();
      parsed.coin_count = coin_set_.size();
      for (std::string_view coin : coin_set_) {
        out.coin_set_spans.emplace_back(out.arena.size(), coin.size());
        out.arena += coin;
      }
      out.records.push_back(parsed);
      return {};
    };
    ParseChunkLines(chunk, out, parse_line, format.HeaderLinesIn(chunk));
  }

  static Status Write(const SentimentChunk& chunk, IngestWriter& writer) {
    const std::string_view arena = chunk.arena;
    std::vector<std::string_view> coin_set;
    for (const ParsedSentiment& parsed : chunk.records) {
      coin_set.clear();
      for (std::size_t i = 0; i < parsed.coin_count; ++i) {
        const auto& [offset, length] = chunk.coin_set_spans[parsed.first_coin + i];
        coin_set.push_back(arena.substr(offset, length));
      }
      SentimentRow row;
      row.content_key = parsed.content_key;
      row.timestamp = parsed.timestamp;
      row.polarity = parsed.polarity;
      row.coins_json = arena.substr(parsed.coins_offset, parsed.coins_length);
      row.coin_set = coin_set;
      row.text = arena.substr(parsed.text_offset, parsed.text_length);
      CRYPTOMOOD_RETURN_IF_ERROR(writer.AddSentiment(row));
    }
    return {};
  }

 private:
  FormattedLineParser<SentimentParser> parser_;
  SentimentRecord record_;
  std::vector<std::string_view> coin_set_;
};

// Passes rejects on to the command line's sink and into the store. RejectSink cannot fail, so
// the first store error is kept and checked after each chunk.
class StoringRejectSink final : public RejectSink {
 public:
  StoringRejectSink(RejectSink* forward, IngestWriter& writer)
      : forward_(forward), writer_(writer) {}

  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view raw_line) override {
    if (forward_ != nullptr) forward_->Reject(file, line_number, reason, raw_line);
    Store(line_number, reason, raw_line);
  }
  // The store keeps the first part of an over-long line (the reader's line limit).
  void ContinueRawLine(std::string_view more_raw_bytes) override {
    if (forward_ != nullptr) forward_->ContinueRawLine(more_raw_bytes);
  }
  // Stored as a rejected entry without raw bytes.
  void Damaged(std::string_view file, std::int64_t line_number, std::string_view reason) override {
    if (forward_ != nullptr) forward_->Damaged(file, line_number, reason);
    Store(line_number, reason, {});
  }

  const Status& status() const { return status_; }

 private:
  void Store(std::int64_t line_number, std::string_view reason, std::string_view raw_line) {
    if (!status_.ok()) return;
    status_ = writer_.AddReject(RejectRow{line_number, reason, raw_line});
  }

  RejectSink* forward_;
  IngestWriter& writer_;
  Status status_;
};

class Ingester {
 public:
  Ingester(Store& store, const IngestOptions& options)
      : store_(store), options_(options), progress_(options.show_progress, stderr) {}

  Result<std::vector<FileIngestSummary>> Run() {
    std::vector<FileIngestSummary> summaries;
    const auto ingest_all = [&](const std::vector<std::string>& files, auto parser_tag) -> Status {
      using ChunkParser = decltype(parser_tag);
      for (const std::string& path : files) {
        CRYPTOMOOD_ASSIGN_OR_RETURN(FileIngestSummary summary, IngestFile<ChunkParser>(path));
        if (options_.on_file_done) options_.on_file_done(summary);
        summaries.push_back(std::move(summary));
      }
      return {};
    };
    CRYPTOMOOD_RETURN_IF_ERROR(ingest_all(options_.trade_files, TradeChunkParser{}));
    CRYPTOMOOD_RETURN_IF_ERROR(ingest_all(options_.sentiment_files, SentimentChunkParser{}));
    return summaries;
  }

 private:
  template <typename ChunkParser>
  Result<FileIngestSummary> IngestFile(const std::string& path);

  Store& store_;
  const IngestOptions& options_;
  ProgressMeter progress_;
};

template <typename ChunkParser>
Result<FileIngestSummary> Ingester::IngestFile(const std::string& path) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::unique_ptr<ChunkReader> reader,
                              ChunkReader::Open(path, options_.chunk_bytes));
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      std::unique_ptr<IngestWriter> writer,
      store_.BeginIngest(
          IngestFileInfo{RecordedFileName(path), ChunkParser::kKind, options_.batch_rows}));
  StoringRejectSink rejects(options_.rejects, *writer);
  FileSteps<ChunkParser> steps;
  steps.parse = [](ChunkParser& parser, const Chunk& chunk, FileFormatGate& format,
                   typename ChunkParser::Output& output) { parser.Parse(chunk, format, output); };
  steps.keep = [&writer](const Chunk& /*chunk*/, typename ChunkParser::Output& output) -> Status {
    CRYPTOMOOD_RETURN_IF_ERROR(ChunkParser::Write(output, *writer));
    return writer->EndLines(static_cast<std::int64_t>(output.record_lines()));
  };
  steps.rejects_status = [&rejects] { return rejects.status(); };
  steps.damaged = [&writer] { return writer->EndLines(1); };

  const FileDriverSettings settings{.threads = options_.threads,
                                    .strict = options_.strict,
                                    .rejects = &rejects,
                                    .progress = &progress_};
  if (auto tally = DriveFile(*reader, settings, steps); !tally.ok()) {
    writer->Abandon(tally.error().message);
    return tally.error();
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(const IngestTally tally, writer->Finish());
  return FileIngestSummary{reader->display_name(), ChunkParser::kKind, tally};
}

}  // namespace

std::string RecordedFileName(const std::string& path) {
  if (path == "-") return "<stdin>";
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) return path;
  return absolute.lexically_normal().string();
}

Result<std::vector<FileIngestSummary>> IngestFiles(Store& store, const IngestOptions& options) {
  return Ingester(store, options).Run();
}

}  // namespace cryptomood
