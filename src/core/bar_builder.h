// Bars: per-interval aggregates of a time-ordered series. BarBuilder turns points in time
// order into closed bars in index order; an empty bucket produces no bar (consumers treat a
// missing index as "no trades" or "no tweets"). PriceBar and SentimentBar are the two
// aggregates the analysis uses.
// State: EncodeState/DecodeState save and restore the open bar (core/state_codec.h).
// Thread-safety: none; one builder per series.
#pragma once

#include <cstdint>
#include <optional>

#include "core/interval.h"
#include "core/market_data.h"
#include "core/result.h"
#include "core/state_codec.h"

namespace cryptomood {

// Close (last trade's price), volume-weighted average price, volume and trade count.
struct PriceBar {
  double close = 0;
  double notional = 0;  // sum of price * size
  double volume = 0;
  std::int64_t trade_count = 0;

  void Add(const TradePoint& trade) {
    close = trade.price;
    notional += trade.price * trade.size;
    volume += trade.size;
    ++trade_count;
  }
  std::optional<double> vwap() const {
    if (volume <= 0) return std::nullopt;
    return notional / volume;
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, close);
    EncodeValue(writer, notional);
    EncodeValue(writer, volume);
    EncodeValue(writer, trade_count);
  }
  Status DecodeState(StateReader& reader) {
    PriceBar decoded;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.close));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.notional));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.volume));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.trade_count));
    if (decoded.trade_count < 1) return CorruptState("a price bar without trades");
    *this = decoded;
    return Status::Ok();
  }
};

// Mean polarity of the tweets in the bar and their count.
struct SentimentBar {
  double polarity_sum = 0;
  std::int64_t tweet_count = 0;

  void Add(const SentimentPoint& point) {
    polarity_sum += point.polarity;
    ++tweet_count;
  }
  double mean() const { return polarity_sum / static_cast<double>(tweet_count); }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, polarity_sum);
    EncodeValue(writer, tweet_count);
  }
  Status DecodeState(StateReader& reader) {
    SentimentBar decoded;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.polarity_sum));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.tweet_count));
    if (decoded.tweet_count < 1) return CorruptState("a sentiment bar without tweets");
    *this = decoded;
    return Status::Ok();
  }
};

template <typename Bar>
struct ClosedBar {
  std::int64_t index;  // Interval::BucketIndex of the bar
  TimestampNs start;
  Bar bar;

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, index);
    EncodeValue(writer, start);
    EncodeValue(writer, bar);
  }
  Status DecodeState(StateReader& reader) {
    ClosedBar decoded{};
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.index));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.start));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.bar));
    *this = decoded;
    return Status::Ok();
  }
};

template <typename Bar>
class BarBuilder {
 public:
  explicit BarBuilder(Interval interval) : interval_(interval) {}

  template <typename Point, typename Emit>
  void Add(const Point& point, Emit&& emit) {
    const std::int64_t index = interval_.BucketIndex(point.timestamp);
    if (open_ && index != open_->index) Close(emit);
    if (!open_) open_ = ClosedBar<Bar>{index, interval_.BucketStart(index), Bar{}};
    open_->bar.Add(point);
  }

  // No point earlier than watermark will come: the open bar closes if it ends by then.
  template <typename Emit>
  void AdvanceWatermark(TimestampNs watermark, Emit&& emit) {
    if (open_ && watermark >= interval_.BucketStart(open_->index + 1)) Close(emit);
  }

  template <typename Emit>
  void Finish(Emit&& emit) {
    if (open_) Close(emit);
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, interval_.ToString());
    EncodeValue(writer, open_);
  }

  // Replaces the open bar with the saved one; unchanged on error.
  Status DecodeState(StateReader& reader) {
    CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, interval_.ToString(), "bar interval"));
    std::optional<ClosedBar<Bar>> decoded;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded));
    if (decoded && interval_.BucketIndex(decoded->start) != decoded->index) {
      return CorruptState("an open bar's start is not in its bucket");
    }
    open_ = decoded;
    return Status::Ok();
  }

 private:
  template <typename Emit>
  void Close(Emit& emit) {
    emit(*open_);
    open_.reset();
  }

  Interval interval_;
  std::optional<ClosedBar<Bar>> open_;
};

}  // namespace cryptomood
