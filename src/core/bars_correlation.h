// BarsCorrelation: the bars-mode operator for one symbol. Trades and the coin's tweets in
// time order in; they become price and sentiment bars, then lagged (sentiment, return) pairs,
// filed under the window holding the sentiment bar, one accumulator per lag. Closed windows
// out as Emit(WindowBounds, std::vector<CorrelationAccumulator>&&) indexed by lag - first.
// State: a value type (copyable). EncodeState/DecodeState checkpoint the open bars, the bars
// kept for lags and the open windows; an operator restored into one constructed with the same
// configuration continues to the same bits as the one that saved it. SaveState/RestoreState
// (core/state_codec.h) seal it under kStateKind and kStateVersion.
// Thread-safety: none; one per symbol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/bar_builder.h"
#include "core/bar_lag_correlator.h"
#include "core/cancellation.h"
#include "core/correlation_accumulator.h"
#include "core/result.h"
#include "core/state_codec.h"
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
  static constexpr std::uint32_t kStateKind = StateKind("BARS");
  static constexpr std::uint32_t kStateVersion = 1;

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

  // Once `cancel` is cancelled, stops making pairs and emits no window; the operator's state
  // is then unspecified.
  template <typename Emit>
  void Finish(Emit&& emit, const CancellationToken& cancel = CancellationToken::Never()) {
    prices_.Finish(PriceBarSink());
    sentiment_.Finish(SentimentBarSink());
    if (!pairs_.Finish(FilePair(), cancel)) return;
    windows_.CloseAll(emit);
  }

  std::size_t open_windows() const { return windows_.open_count(); }

  // Estimate of the heap bytes held: the bars kept for lags, open windows, their per-lag
  // accumulators and pair buffers (capacity, not size); excludes allocator overhead.
  std::size_t state_bytes() const {
    return pairs_.heap_bytes() + windows_.heap_bytes([](const LagAccumulators& by_lag) {
      std::size_t bytes = by_lag.capacity() * sizeof(CorrelationAccumulator);
      for (const CorrelationAccumulator& accumulator : by_lag) {
        bytes += accumulator.heap_bytes();
      }
      return bytes;
    });
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, prices_);
    EncodeValue(writer, sentiment_);
    EncodeValue(writer, pairs_);
    EncodeValue(writer, windows_);
  }

  // Replaces the state with the saved one; unchanged on error.
  Status DecodeState(StateReader& reader) {
    BarsCorrelation decoded = *this;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.prices_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.sentiment_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.pairs_));
    const auto lag_count = static_cast<std::size_t>(lags_.size());
    CRYPTOMOOD_RETURN_IF_ERROR(decoded.windows_.DecodeState(
        reader, [lag_count](const LagAccumulators& by_lag) { return by_lag.size() == lag_count; }));
    *this = std::move(decoded);
    return Status::Ok();
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
