#include "io/record_writer.h"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "core/random.h"
#include "core/status_macros.h"
#include "core/taker_side.h"
#include "io/json_writer.h"

namespace cryptomood {
namespace {

constexpr std::int64_t kNanosPerDay = 86'400 * kNanosPerSecond;
constexpr std::size_t kOutputBufferBytes = std::size_t{1} << 20;

// Upper bounds of the variable parts of a line, for sizing buffers.
constexpr std::size_t kTimestampLength = 29;  // "YYYY-MM-DDTHH:MM:SS.ffffffZ" quoted
constexpr std::size_t kIntegerLength = 20;
constexpr std::size_t kUuidLength = 38;  // quoted

}  // namespace

std::string SimulatedSymbolId(std::string_view coin) {
  return "COINBASE_SPOT_" + std::string(coin) + "_USD";
}

namespace {

char* Append(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

char* AppendTwoDigits(char* out, std::int64_t value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

char* AppendDigits(char* out, std::int64_t value, int width) {
  for (int position = width - 1; position >= 0; --position) {
    out[position] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

char* AppendHex(char* out, std::uint64_t bits, int first_nibble, int nibble_count) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  for (int nibble = first_nibble; nibble < first_nibble + nibble_count; ++nibble) {
    *out++ = kHexDigits[(bits >> (60 - 4 * nibble)) & 0xF];
  }
  return out;
}

// 8-4-4-4-12 lower-case hex digits, quoted.
char* AppendQuotedUuid(char* out, const SimulatedUuid& uuid) {
  *out++ = '"';
  out = AppendHex(out, uuid.high, 0, 8);
  *out++ = '-';
  out = AppendHex(out, uuid.high, 8, 4);
  *out++ = '-';
  out = AppendHex(out, uuid.high, 12, 4);
  *out++ = '-';
  out = AppendHex(out, uuid.low, 0, 4);
  *out++ = '-';
  out = AppendHex(out, uuid.low, 4, 12);
  *out++ = '"';
  return out;
}

}  // namespace

std::string FormatSimulatedUuid(const SimulatedUuid& uuid) {
  char text[kUuidLength];
  char* const end = AppendQuotedUuid(text, uuid);
  return std::string(text + 1, end - 1);
}

namespace {

std::int64_t FloorDivide(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

std::size_t LongestOf(const std::vector<std::string>& texts) {
  std::size_t longest = 0;
  for (const std::string& text : texts) longest = std::max(longest, text.size());
  return longest;
}

Error WriteFailure(const std::string& path) {
  return Error{"cannot write " + path + ": " + std::strerror(errno), ErrorKind::kFailure};
}

}  // namespace

SeedLineFormatter::SeedLineFormatter(const std::vector<std::string>& coins) {
  for (const std::string& coin : coins) {
    quoted_coins_.push_back(JsonQuoted(coin));
    trade_openings_.push_back("{\"coins\": [" + quoted_coins_.back() + "], \"price\": ");
    symbol_fields_.push_back(", \"symbol_id\": " + JsonQuoted(SimulatedSymbolId(coin)));
  }
  for (const TakerSide side : kTakerSides) {
    quoted_taker_sides_.push_back(JsonQuoted(TakerSideName(side)));
  }
  // Fixed text, keys and separators: 200 bytes is ample for both layouts.
  const std::size_t trade_line = 200 + LongestOf(trade_openings_) + LongestOf(symbol_fields_) +
                                 LongestOf(quoted_taker_sides_) + 2 * kMaxDoubleTextLength +
                                 kIntegerLength + 2 * kTimestampLength + kUuidLength;
  const std::size_t tweet_line = 200 + kMaxCoinsPerTweet * (LongestOf(quoted_coins_) + 2) +
                                 kMaxDoubleTextLength + kTimestampLength;
  max_line_length_ = std::max(trade_line, tweet_line);
}

char* SeedLineFormatter::WriteTimestamp(TimestampNs timestamp, char* out) {
  const std::int64_t day = FloorDivide(timestamp, kNanosPerDay);
  if (day != cached_day_) {
    using namespace std::chrono;
    const year_month_day date{sys_days{days{day}}};
    char* date_out = AppendDigits(cached_date_, static_cast<int>(date.year()), 4);
    *date_out++ = '-';
    date_out = AppendTwoDigits(date_out, static_cast<unsigned>(date.month()));
    *date_out++ = '-';
    date_out = AppendTwoDigits(date_out, static_cast<unsigned>(date.day()));
    *date_out = 'T';
    cached_day_ = day;
  }
  const std::int64_t micros_of_day = (timestamp - day * kNanosPerDay) / kNanosPerMicro;
  const std::int64_t seconds_of_day = micros_of_day / 1'000'000;
  *out++ = '"';
  out = Append(out, std::string_view(cached_date_, sizeof cached_date_));
  out = AppendTwoDigits(out, seconds_of_day / 3600);
  *out++ = ':';
  out = AppendTwoDigits(out, seconds_of_day / 60 % 60);
  *out++ = ':';
  out = AppendTwoDigits(out, seconds_of_day % 60);
  *out++ = '.';
  out = AppendDigits(out, micros_of_day % 1'000'000, 6);
  *out++ = 'Z';
  *out++ = '"';
  return out;
}

char* SeedLineFormatter::WriteTrade(const SimulatedTrade& trade, char* out) {
  out = Append(out, trade_openings_[trade.coin]);
  out = AppendDoubleText(out, trade.price);
  out = Append(out, ", \"sequence\": ");
  out = std::to_chars(out, out + kIntegerLength, trade.sequence).ptr;
  out = Append(out, ", \"size\": ");
  out = AppendDoubleText(out, trade.size);
  out = Append(out, symbol_fields_[trade.coin]);
  out = Append(out, ", \"taker_side\": ");
  out = Append(out, quoted_taker_sides_[static_cast<std::size_t>(trade.taker_side)]);
  out = Append(out, ", \"timestamp\": ");
  char* const timestamp_begin = out;
  out = WriteTimestamp(trade.timestamp, out);
  const std::string_view timestamp(timestamp_begin,
                                   static_cast<std::size_t>(out - timestamp_begin));
  out = Append(out, ", \"time_exchange\": ");
  out = Append(out, timestamp);
  out = Append(out, ", \"type\": \"trade\", \"uuid\": ");
  out = AppendQuotedUuid(out, trade.uuid);
  return Append(out, "}\n");
}

char* SeedLineFormatter::WriteTweet(const SimulatedTweet& tweet, char* out) {
  out = Append(out, "{\"coins\": [");
  for (std::uint32_t slot = 0; slot < tweet.coin_count; ++slot) {
    if (slot > 0) out = Append(out, ", ");
    out = Append(out, quoted_coins_[tweet.coins[slot]]);
  }
  out = Append(out, "], \"sentiment_polarity\": ");
  out = AppendDoubleText(out, tweet.polarity);
  out = Append(out, ", \"text\": \"");
  out = Append(out, kSimulatedTweetText);
  out = Append(out, "\", \"timestamp\": ");
  out = WriteTimestamp(tweet.timestamp, out);
  return Append(out, "}\n");
}

// One output file: lines are formatted straight into a large buffer that goes out in one
// fwrite when nearly full; with shuffling they collect in a block first.
class RecordWriter::LineFile {
 public:
  static Result<std::unique_ptr<LineFile>> Open(const std::string& path,
                                                std::size_t max_line_length,
                                                const RecordWriterOptions& options,
                                                std::uint64_t shuffle_stream) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
      return Error{"cannot create " + path + ": " + std::strerror(errno), ErrorKind::kFailure};
    }
    std::setvbuf(file, nullptr, _IONBF, 0);  // we buffer ourselves, in bigger pieces
    return std::unique_ptr<LineFile>(
        new LineFile(path, file, max_line_length, options, shuffle_stream));
  }

  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  LineFile(LineFile&&) = delete;
  LineFile& operator=(LineFile&&) = delete;
  ~LineFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  // Where the next line goes; room for max_line_length bytes.
  char* LineStart() { return shuffle_ ? line_scratch_.data() : buffer_.data() + buffered_; }

  Status CommitLine(const char* end) {
    ++lines_;
    if (!shuffle_) {
      buffered_ = static_cast<std::size_t>(end - buffer_.data());
      return EnsureRoom();
    }
    const auto length = static_cast<std::size_t>(end - line_scratch_.data());
    block_lines_.push_back(BlockLine{block_text_.size(), length});
    block_text_.append(line_scratch_.data(), length);
    if (block_lines_.size() >= shuffle_block_lines_) return EmitShuffledBlock();
    return status_;
  }

  Status Close() {
    if (shuffle_ && status_.ok()) status_ = EmitShuffledBlock();
    if (status_.ok()) status_ = Flush();
    if (file_ != nullptr && std::fclose(file_) != 0 && status_.ok()) status_ = WriteFailure(path_);
    file_ = nullptr;
    return status_;
  }

  std::int64_t lines() const { return lines_; }
  std::int64_t bytes() const { return bytes_; }

 private:
  struct BlockLine {
    std::size_t offset;
    std::size_t length;
  };

  LineFile(std::string path, std::FILE* file, std::size_t max_line_length,
           const RecordWriterOptions& options, std::uint64_t shuffle_stream)
      : path_(std::move(path)),
        file_(file),
        max_line_length_(max_line_length),
        buffer_(std::max(kOutputBufferBytes, 2 * max_line_length)),
        shuffle_(options.shuffle),
        shuffle_block_lines_(std::max<std::size_t>(options.shuffle_block_lines, 1)),
        shuffle_random_(RandomGenerator::ForStream(options.shuffle_seed, shuffle_stream)) {
    if (shuffle_) line_scratch_.resize(max_line_length);
  }

  Status EnsureRoom() {
    if (buffer_.size() - buffered_ < max_line_length_) return Flush();
    return status_;
  }

  Status Flush() {
    if (!status_.ok() || buffered_ == 0) {
      buffered_ = 0;  // after a failure, keep accepting lines but drop them
      return status_;
    }
    if (std::fwrite(buffer_.data(), 1, buffered_, file_) != buffered_) {
      status_ = WriteFailure(path_);
    }
    bytes_ += static_cast<std::int64_t>(buffered_);
    buffered_ = 0;
    return status_;
  }

  // Fisher-Yates over the block's lines, then out through the ordinary buffer.
  Status EmitShuffledBlock() {
    for (std::size_t remaining = block_lines_.size(); remaining > 1; --remaining) {
      const std::size_t pick = shuffle_random_.UniformBelow(remaining);
      std::swap(block_lines_[remaining - 1], block_lines_[pick]);
    }
    for (const BlockLine& line : block_lines_) {
      std::memcpy(buffer_.data() + buffered_, block_text_.data() + line.offset, line.length);
      buffered_ += line.length;
      if (!EnsureRoom().ok()) break;
    }
    block_lines_.clear();
    block_text_.clear();
    return status_;
  }

  std::string path_;
  std::FILE* file_;
  std::size_t max_line_length_;
  std::vector<char> buffer_;
  std::size_t buffered_ = 0;
  bool shuffle_;
  std::size_t shuffle_block_lines_;
  RandomGenerator shuffle_random_;
  std::vector<char> line_scratch_;
  std::string block_text_;
  std::vector<BlockLine> block_lines_;
  std::int64_t lines_ = 0;
  std::int64_t bytes_ = 0;
  Status status_;  // the first failure sticks: later writes would only add noise
};

Result<RecordWriter> RecordWriter::Open(const std::string& trades_path,
                                        const std::string& sentiment_path,
                                        const std::vector<std::string>& coins,
                                        RecordWriterOptions options) {
  SeedLineFormatter formatter(coins);
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto trades,
                              LineFile::Open(trades_path, formatter.max_line_length(), options, 1));
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      auto tweets, LineFile::Open(sentiment_path, formatter.max_line_length(), options, 2));
  return RecordWriter(std::move(formatter), std::move(trades), std::move(tweets));
}

RecordWriter::RecordWriter(SeedLineFormatter formatter, std::unique_ptr<LineFile> trades,
                           std::unique_ptr<LineFile> tweets)
    : formatter_(std::move(formatter)), trades_(std::move(trades)), tweets_(std::move(tweets)) {}
RecordWriter::RecordWriter(RecordWriter&&) noexcept = default;
RecordWriter& RecordWriter::operator=(RecordWriter&&) noexcept = default;
RecordWriter::~RecordWriter() = default;

Status RecordWriter::Write(const SimulatedRecord& record) {
  if (record.kind == SimulatedRecord::Kind::kTrade) {
    return trades_->CommitLine(formatter_.WriteTrade(record.trade, trades_->LineStart()));
  }
  return tweets_->CommitLine(formatter_.WriteTweet(record.tweet, tweets_->LineStart()));
}

Status RecordWriter::Finish() {
  Status trades_closed = trades_->Close();
  Status tweets_closed = tweets_->Close();
  return trades_closed.ok() ? tweets_closed : trades_closed;
}

std::int64_t RecordWriter::trade_lines() const { return trades_->lines(); }
std::int64_t RecordWriter::tweet_lines() const { return tweets_->lines(); }
std::int64_t RecordWriter::bytes_written() const { return trades_->bytes() + tweets_->bytes(); }

}  // namespace cryptomood
