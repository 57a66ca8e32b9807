// Diagnostics: the stationarity tests (core/stationarity.h) of each symbol's bar series, the
// checks a reader needs before trusting a correlation of levels.
//
// Per symbol (those of the coins asked for, all when none; ordered by symbol_id) the bars of
// BuildBarSeries at the interval give three series, each tested on its own:
//   log_price  ln(close), with a constant and a trend ('ct');
//   returns    log_return, with a constant ('c');
//   sentiment  the bar's mean polarity, with a constant ('c').
// A bar where the value is undefined (no trade, no previous trade, no tweet) is left out and
// the defined values are taken in time order, so a gap joins its two sides: the tests see the
// series as if the missing bars had never been.
// The data is expected already cut to params.range (MarketData::Within); the range bounds the
// span of bars as BuildBarSeries documents.
// Cancellation: `cancel` is polled while the bars are built and within and between tests
// (every few milliseconds of work); once it is cancelled the run fails with its
// CancelledError (kCancelled).
// Thread-safety: pure functions over caller-owned, read-only data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bar_series.h"
#include "core/cancellation.h"
#include "core/cost_estimate.h"
#include "core/interval.h"
#include "core/market_data.h"
#include "core/result.h"
#include "core/stationarity.h"

namespace cryptomood {

struct DiagnosticsParams {
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  std::vector<std::string> coins;  // base assets to keep; empty keeps all
  TimeRange range;
  std::optional<TimestampNs> data_end;  // as BarSeriesSpan::data_end
  std::int64_t max_bars = BarSeriesSpan{}.max_bars;
};

enum class DiagnosedSeries : std::uint8_t { kLogPrice, kReturns, kSentiment };

// "log_price", "returns", "sentiment".
std::string_view ToString(DiagnosedSeries series);

struct SeriesDiagnostics {
  std::string symbol_id;
  std::string coin;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  DiagnosedSeries series = DiagnosedSeries::kLogPrice;
  TrendTerms regression = TrendTerms::kConstant;
  std::int64_t n = 0;  // defined values tested
  StationarityTests tests;
};

// The bars a run builds (one symbol's at a time), estimated as /series estimates them, against
// limits.max_bars: a refusal blames the interval. Other limits do not apply (a run's rows and
// reply are three small objects per symbol).
std::optional<CostRefusal> CheckDiagnosticsCost(const DataShape& shape,
                                                const DiagnosticsParams& params,
                                                const CostLimits& limits);

// Three results per symbol, in the order log_price, returns, sentiment.
Result<std::vector<SeriesDiagnostics>> RunDiagnostics(
    const MarketData& data, const DiagnosticsParams& params,
    const CancellationToken& cancel = CancellationToken::Never());

// The verdict on one symbol's log price at params.interval (params.coins is ignored), for a
// caller that flags correlations of levels: kUnitRoot means the price level has a unit root.
// kInconclusive when a test is undefined (too few bars).
Result<StationarityVerdict> LogPriceVerdict(
    const MarketData& data, SymbolIndex symbol, const DiagnosticsParams& params,
    const CancellationToken& cancel = CancellationToken::Never());

}  // namespace cryptomood
