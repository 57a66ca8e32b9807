#include "stream/file_publisher.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "core/records.h"
#include "core/status_macros.h"
#include "io/chunk_lines.h"
#include "io/content_keys.h"
#include "io/input_sniffer.h"
#include "io/line_format.h"
#include "io/progress_meter.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

constexpr std::int64_t kProgressEveryMessages = 1024;

// Validates one line with a record kind's parser and gives the keys it is published under.
// The keys view the line or the parser's buffers: valid until the next call.
class LineKeyer {
 public:
  virtual ~LineKeyer() = default;
  virtual Status Parse(simdjson::padded_string_view line, std::vector<std::string_view>& keys) = 0;
};

class TradeKeyer final : public LineKeyer {
 public:
  Status Parse(simdjson::padded_string_view line, std::vector<std::string_view>& keys) override {
    CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(line, record_));
    keys.assign(1, record_.base);
    return {};
  }

 private:
  TradeParser parser_;
  TradeRecord record_;
};

class SentimentKeyer final : public LineKeyer {
 public:
  Status Parse(simdjson::padded_string_view line, std::vector<std::string_view>& keys) override {
    CRYPTOMOOD_RETURN_IF_ERROR(parser_.Parse(line, record_));
    SortedCoinSet(record_.coins, keys);
    return {};
  }

 private:
  SentimentParser parser_;
  SentimentRecord record_;
};

// A chunk's valid lines (offsets into the chunk) and their keys (copied into `keys`).
struct KeyedChunk : ChunkLineResults {
  struct Line {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::size_t first_key = 0;  // in key_spans
    std::size_t key_count = 0;
  };
  std::vector<Line> valid;
  std::string keys;
  std::vector<std::pair<std::size_t, std::size_t>> key_spans;  // offset in keys, length
};

void ParseKeyedChunk(const Chunk& chunk, LineKeyer& keyer, KeyedChunk& out) {
  out.valid.clear();
  out.keys.clear();
  out.key_spans.clear();
  std::vector<std::string_view> keys;
  ParseChunkLines(chunk, out, [&](simdjson::padded_string_view line) -> Status {
    CRYPTOMOOD_RETURN_IF_ERROR(keyer.Parse(line, keys));
    out.valid.push_back(
        KeyedChunk::Line{static_cast<std::size_t>(line.data() - chunk.data().data()), line.size(),
                         out.key_spans.size(), keys.size()});
    for (std::string_view key : keys) {
      out.key_spans.emplace_back(out.keys.size(), key.size());
      out.keys += key;
    }
    return {};
  });
}

// One input file as a sequence of valid lines, read a chunk at a time, rejects reported as
// each chunk is read.
class LineSource {
 public:
  LineSource(std::unique_ptr<ChunkReader> reader, RecordKind kind, std::unique_ptr<LineKeyer> keyer,
             const PublishOptions& options, ProgressMeter& progress)
      : reader_(std::move(reader)),
        kind_(kind),
        keyer_(std::move(keyer)),
        reporter_(reader_->display_name(), options.strict, options.rejects),
        progress_(progress) {}

  // Makes the next valid line current, reading chunks as needed; false at the end of input.
  Result<bool> Advance() {
    ++next_;
    while (next_ >= parsed_.valid.size()) {
      auto loaded = LoadChunk();
      if (!loaded.ok() || !*loaded) return loaded;
    }
    return true;
  }

  std::string_view topic() const {
    return kind_ == RecordKind::kTrade ? kTradesTopic : kSentimentTopic;
  }
  std::string_view line() const {
    const KeyedChunk::Line& line = parsed_.valid[next_];
    return chunk_.data().substr(line.offset, line.length);
  }
  std::size_t key_count() const { return parsed_.valid[next_].key_count; }
  std::string_view key(std::size_t index) const {
    const auto& [offset, length] = parsed_.key_spans[parsed_.valid[next_].first_key + index];
    return std::string_view(parsed_.keys).substr(offset, length);
  }

  // The share of the input's bytes up to the end of the current line; nullopt for a pipe.
  std::optional<double> fraction() const {
    const auto size = reader_->expected_text_bytes();
    if (!size || *size == 0) return std::nullopt;
    const KeyedChunk::Line& line = parsed_.valid[next_];
    const std::uint64_t chunk_start = chunk_.end_offset() - chunk_.data().size();
    return static_cast<double>(chunk_start + line.offset + line.length) /
           static_cast<double>(*size);
  }

  std::uint64_t stored_bytes_read() const { return reader_->stored_bytes_read(); }
  std::optional<std::uint64_t> size_bytes() const { return reader_->size_bytes(); }
  void CountMessages(std::size_t messages) { messages_ += static_cast<std::int64_t>(messages); }

  // The whole-file checks once the input is exhausted, and the file's summary.
  Result<FilePublishSummary> Finish() const {
    const std::string& name = reader_->display_name();
    if (reader_->bytes_read() == 0 && !reader_->damage()) return Error{name + " is empty"};
    if (reporter_.lines() == reporter_.rejected()) {
      return Error{reporter_.NoValidLine()};
    }
    return FilePublishSummary{name, kind_, static_cast<std::int64_t>(reporter_.lines()),
                              static_cast<std::int64_t>(reporter_.rejected()), messages_};
  }

 private:
  Result<bool> LoadChunk() {
    auto more = reader_->Next(chunk_);
    if (more.ok() && !*more && reader_->damage()) {
      CRYPTOMOOD_RETURN_IF_ERROR(reporter_.ReportDamage(*reader_->damage()));
    }
    if (!more.ok() || !*more) return more;
    if (chunk_.index() == 0 && StartsWithCsvHeader(chunk_.data())) {
      return Error{reader_->display_name() +
                   " is CSV; produce publishes JSON lines only (analyze and ingest read CSV)"};
    }
    ParseKeyedChunk(chunk_, *keyer_, parsed_);
    next_ = 0;
    if (chunk_.index() == 0) {
      CRYPTOMOOD_RETURN_IF_ERROR(CheckLooksLike(kind_, reader_->display_name(), chunk_));
    }
    if (!parsed_.rejects.empty()) progress_.Clear();
    CRYPTOMOOD_RETURN_IF_ERROR(reporter_.Report(chunk_, parsed_));
    return true;
  }

  std::unique_ptr<ChunkReader> reader_;
  RecordKind kind_;
  std::unique_ptr<LineKeyer> keyer_;
  RejectReporter reporter_;
  ProgressMeter& progress_;
  Chunk chunk_;
  KeyedChunk parsed_;
  std::size_t next_ = static_cast<std::size_t>(-1);  // the current line in parsed_.valid
  std::int64_t messages_ = 0;
};

// Lets `rate` messages a second through on average; see the header.
class TokenBucket {
 public:
  explicit TokenBucket(double rate)
      : rate_(rate), capacity_(std::max(1.0, rate / 10)), tokens_(capacity_) {}

  void Take() {
    if (rate_ <= 0) return;
    Refill();
    if (tokens_ < 1) {
      std::this_thread::sleep_for(std::chrono::duration<double>((1 - tokens_) / rate_));
      Refill();
    }
    tokens_ -= 1;
  }

 private:
  using Clock = std::chrono::steady_clock;
  void Refill() {
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + seconds * rate_);
    last_ = now;
  }

  double rate_;
  double capacity_;
  double tokens_;
  Clock::time_point last_ = Clock::now();
};

Result<std::unique_ptr<LineSource>> OpenSource(const std::string& path, RecordKind kind,
                                               const PublishOptions& options,
                                               ProgressMeter& progress) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::unique_ptr<ChunkReader> reader,
                              ChunkReader::Open(path, options.chunk_bytes));
  std::unique_ptr<LineKeyer> keyer;
  if (kind == RecordKind::kTrade) {
    keyer = std::make_unique<TradeKeyer>();
  } else {
    keyer = std::make_unique<SentimentKeyer>();
  }
  return std::make_unique<LineSource>(std::move(reader), kind, std::move(keyer), options, progress);
}

// The source whose next line comes first: the smaller fraction when both sizes are known,
// otherwise the one not picked last.
std::size_t PickSource(const std::vector<LineSource*>& active, std::size_t last_picked) {
  if (active.size() == 1) return 0;
  const auto first = active[0]->fraction();
  const auto second = active[1]->fraction();
  if (first && second) return *second < *first ? 1 : 0;
  return last_picked == 0 ? 1 : 0;
}

class Publisher {
 public:
  Publisher(const PublishOptions& options, const PublishFunction& publish)
      : options_(options),
        publish_(publish),
        progress_(options.show_progress, stderr),
        bucket_(options.rate) {}

  Result<std::vector<FilePublishSummary>> Run() {
    CRYPTOMOOD_RETURN_IF_ERROR(Open());
    CRYPTOMOOD_RETURN_IF_ERROR(PublishAll());
    progress_.Clear();
    std::vector<FilePublishSummary> summaries;
    for (const auto& source : sources_) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(FilePublishSummary summary, source->Finish());
      summaries.push_back(std::move(summary));
    }
    return summaries;
  }

 private:
  Status Open() {
    const std::pair<const std::string*, RecordKind> files[] = {
        {&options_.trade_file, RecordKind::kTrade},
        {&options_.sentiment_file, RecordKind::kSentiment}};
    std::optional<std::uint64_t> total = 0;
    for (const auto& [path, kind] : files) {
      if (path->empty()) continue;
      CRYPTOMOOD_ASSIGN_OR_RETURN(std::unique_ptr<LineSource> source,
                                  OpenSource(*path, kind, options_, progress_));
      const auto size = source->size_bytes();
      total = total && size ? std::optional(*total + *size) : std::nullopt;
      sources_.push_back(std::move(source));
    }
    progress_.Start(sources_.size() == 1 ? "produce" : "produce (both files)", total);
    return {};
  }

  Status PublishAll() {
    std::vector<LineSource*> active;
    for (const auto& source : sources_) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(const bool has_line, source->Advance());
      if (has_line) active.push_back(source.get());
    }
    std::size_t picked = 0;
    while (!active.empty()) {
      picked = PickSource(active, picked);
      LineSource& source = *active[picked];
      CRYPTOMOOD_RETURN_IF_ERROR(PublishLine(source));
      CRYPTOMOOD_ASSIGN_OR_RETURN(const bool has_line, source.Advance());
      if (!has_line) active.erase(active.begin() + static_cast<std::ptrdiff_t>(picked));
    }
    return {};
  }

  Status PublishLine(LineSource& source) {
    for (std::size_t i = 0; i < source.key_count(); ++i) {
      bucket_.Take();
      CRYPTOMOOD_RETURN_IF_ERROR(publish_(source.topic(), source.key(i), source.line()));
      if (++messages_ % kProgressEveryMessages == 0) UpdateProgress();
    }
    source.CountMessages(source.key_count());
    return {};
  }

  void UpdateProgress() {
    std::uint64_t bytes = 0;
    for (const auto& source : sources_) bytes += source->stored_bytes_read();
    progress_.Update(bytes);
  }

  const PublishOptions& options_;
  const PublishFunction& publish_;
  ProgressMeter progress_;
  TokenBucket bucket_;
  std::vector<std::unique_ptr<LineSource>> sources_;
  std::int64_t messages_ = 0;
};

}  // namespace

Result<std::vector<FilePublishSummary>> PublishFiles(const PublishOptions& options,
                                                     const PublishFunction& publish) {
  if (options.trade_file.empty() && options.sentiment_file.empty()) {
    return Error{"nothing to publish: give --trades and/or --sentiment", ErrorKind::kUsage};
  }
  if (options.rate < 0) return Error{"--rate must not be negative", ErrorKind::kUsage};
  return Publisher(options, publish).Run();
}

}  // namespace cryptomood
