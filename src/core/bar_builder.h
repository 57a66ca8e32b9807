// Bars: per-interval aggregates of a time-ordered series. BarBuilder turns points in time
// order into closed bars in index order; an empty bucket produces no bar (consumers treat a
// missing index as "no trades" or "no tweets"). PriceBar and SentimentBar are the two
// aggregates the analysis uses.
// Thread-safety: none; one builder per series.
#pragma once

#include <cstdint>
#include <optional>

#include "core/interval.h"
#include "core/market_data.h"

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
};

template <typename Bar>
struct ClosedBar {
  std::int64_t index;  // Interval::BucketIndex of the bar
  TimestampNs start;
  Bar bar;
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
