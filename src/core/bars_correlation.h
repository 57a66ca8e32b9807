// BarsCorrelation: the bars-mode operator for one symbol. Trades and the coin's tweets in
// time order in; they become price and sentiment bars, then lagged (sentiment, return) pairs,
// filed under the window holding the sentiment bar, one accumulator per lag. Closed windows
// out as Emit(WindowBounds, std::vector<CorrelationAccumulator>&&) indexed by lag - first.
// Thread-safety: none; one per symbol.
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "core/bar_builder.h"
#include "core/bar_lag_correlator.h"
#include "core/correlation_accumulator.h"
#include "core/tumbling_windows.h"

namespace cryptomood {

class BarsCorrelation {
 private:
  // Sinks come first: their deduced return types must be known where they are used.
  auto PriceBarSink() {
    return [this](const ClosedBar<PriceBar>& bar) { pairs_.OnPriceBar(bar); };
  }
  auto SentimentBarSink() {
    return [this](const ClosedBar<SentimentBar>& bar) { pairs_.OnSentimentBar(bar); };
  }
  auto FilePair() {
    return [this](const LagPair& pair) {
      LagAccumulators& by_lag = windows_.At(pair.sentiment_bar_start);
      if (by_lag.empty()) by_lag.resize(static_cast<std::size_t>(lags_.size()));
      by_lag[static_cast<std::size_t>(pair.lag - lags_.first)].Add(pair.sentiment_bar_start,
                                                                   pair.sentiment, pair.log_return);
    };
  }

 public:
  using LagAccumulators = std::vector<CorrelationAccumulator>;

  BarsCorrelation(Interval interval, LagRange lags, std::optional<Interval> window)
      : interval_(interval),
        lags_(lags),
        prices_(interval),
        sentiment_(interval),
        pairs_(lags),
        windows_(window) {}

  void OnTrade(const TradePoint& trade) { prices_.Add(trade, PriceBarSink()); }
  void OnSentiment(const SentimentPoint& point) { sentiment_.Add(point, SentimentBarSink()); }

  // Every event earlier than watermark has been delivered.
  template <typename Emit>
  void AdvanceWatermark(TimestampNs watermark, Emit&& emit) {
    prices_.AdvanceWatermark(watermark, PriceBarSink());
    sentiment_.AdvanceWatermark(watermark, SentimentBarSink());
    // Bars before the one holding the watermark are closed on both streams.
    pairs_.CompleteThrough(interval_.BucketIndex(watermark) - 1, FilePair());
    if (pairs_.finalized_through() == std::numeric_limits<std::int64_t>::min()) return;
    // A window is done once every sentiment bar that starts inside it is finalized.
    const TimestampNs finalized_end = interval_.BucketStart(pairs_.finalized_through() + 1);
    windows_.CloseBefore(finalized_end, emit);
  }

  template <typename Emit>
  void Finish(Emit&& emit) {
    prices_.Finish(PriceBarSink());
    sentiment_.Finish(SentimentBarSink());
    pairs_.Finish(FilePair());
    windows_.CloseAll(emit);
  }

 private:
  Interval interval_;
  LagRange lags_;
  BarBuilder<PriceBar> prices_;
  BarBuilder<SentimentBar> sentiment_;
  BarLagCorrelator pairs_;
  TumblingWindows<LagAccumulators> windows_;
};

}  // namespace cryptomood
