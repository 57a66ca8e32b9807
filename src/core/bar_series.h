// BarSeries: one symbol's bars as a chart reads them, gap-free over a time span (an empty bar
// is a row with no close, not a missing row), with log returns, the mean sentiment of the
// coin's tweets per bar, and a flag for a bar still open at the data's end. Built from the
// same PriceBar/SentimentBar aggregates the bars analysis uses, so a chart and a correlation
// never disagree about what a bar is.
// DownsampleExtremes thins a long series for a chart of a given width while keeping each
// bucket's lowest and highest close, so spikes survive the thinning.
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/cancellation.h"
#include "core/interval.h"
#include "core/market_data.h"
#include "core/result.h"

namespace cryptomood {

struct SeriesBar {
  TimestampNs start = 0;
  std::optional<double> close;  // absent: no trade in the bar
  std::optional<double> vwap;   // absent: no volume in the bar
  double volume = 0;
  std::int64_t trades = 0;
  std::optional<double> log_return;  // LogReturn (core/log_return.h) when both bars have trades
  std::optional<double> sentiment;   // mean polarity, absent when no tweet
  std::int64_t tweets = 0;
  bool incomplete = false;  // the bar ends after the latest trade stored: it may still grow
};

struct BarSeriesSpan {
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  TimeRange range;  // bars from the one holding range.from to the one holding range.to - 1
  // The latest trade timestamp of the whole data set; bars ending after it are incomplete.
  std::optional<TimestampNs> data_end;
  // A backstop: more bars than this is an error, not a huge reply. Callers that serve requests
  // bound the bars first, and tighter, with the cost estimate (core/cost_estimate.h).
  std::int64_t max_bars = 5'000'000;
};

// trades and sentiment sorted by timestamp and already restricted to span.range. Unbounded
// ends of the range default to the first and last point of either series; with no points and
// no bounds the series is empty. Fails (kUsage) when the span holds more than max_bars bars,
// and with cancel's CancelledError (kCancelled) once `cancel`, polled every few thousand bars
// and records, is cancelled.
Result<std::vector<SeriesBar>> BuildBarSeries(
    std::span<const TradePoint> trades, std::span<const SentimentPoint> sentiment,
    const BarSeriesSpan& span, const CancellationToken& cancel = CancellationToken::Never());

// At most max_points bars (max_points >= 2): the series is cut into max_points / 2 buckets of
// consecutive bars, and each bucket keeps its bars with the lowest and the highest close in
// time order (its first bar when none has a close). Shorter series come back unchanged. Once
// `cancel`, polled every few thousand bars, is cancelled, the result is incomplete: a caller
// that cancels checks the token afterwards.
std::vector<SeriesBar> DownsampleExtremes(
    std::vector<SeriesBar> bars, std::int64_t max_points,
    const CancellationToken& cancel = CancellationToken::Never());

}  // namespace cryptomood
