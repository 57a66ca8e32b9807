// Causality: Granger tests (core/granger.h) between each symbol's bar returns and its coin's
// bar sentiment, both ways, for bars mode. Per symbol and window, the symbol's bars come from
// BuildBarSeries (core/bar_series.h) over its trades and its coin's tweets at the run's
// interval: returns = log_return, sentiment = mean polarity, each absent where its bar has
// none, so gaps cut the samples as they cut returns. A window holds the bars that start in it
// (a window's first return reaches back to the previous bar's close, as every return does).
//
// Contracts:
// - Two rows per symbol and window: cause "sentiment" -> effect "returns", then "returns" ->
//   "sentiment". Rows are ordered by symbol_id, window start, then that direction order.
// - Lags: a fixed P >= 1 for every test, or `auto`: one order per symbol and window, chosen on
//   the pair (returns, sentiment) by AutoGrangerLags (the bivariate VAR's AIC order, at least
//   1), and used by both directions, so the two rows of a pair test the same model.
// - p_value_adjusted: Holm (core/multiple_testing.h) over every defined p_value of the run,
//   both directions, all symbols and windows; null where p_value is.
// Cost: symbols and windows run one after another on the calling thread; `auto` on a year of
// 1m bars costs one order search (O(bars * pmax)) and two QR fits (bench/granger_bench.cc).
// Thread-safety: AnalyzeCausality only reads the MarketData.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis.h"
#include "core/cancellation.h"
#include "core/granger.h"
#include "core/interval.h"
#include "core/market_data.h"
#include "core/result.h"
#include "core/tumbling_windows.h"

namespace cryptomood {

// The Granger lag order of a run: fixed, or nullopt for `auto`.
struct GrangerLags {
  std::optional<std::size_t> fixed;
  std::string ToString() const;  // "auto" or the number
};

// "auto" or a whole number >= 1; errors are kUsage and say what is accepted.
Result<GrangerLags> ParseGrangerLags(std::string_view text);

enum class CausalitySeries { kSentiment, kReturns };
std::string_view ToString(CausalitySeries series);  // "sentiment", "returns"

struct CausalityRow {
  std::string symbol_id;
  std::string coin;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  WindowBounds window;
  CausalitySeries cause = CausalitySeries::kSentiment;
  CausalitySeries effect = CausalitySeries::kReturns;
  GrangerResult test;
  std::optional<double> p_value_adjusted;
};

// The causality rows of a bars-mode run: params.interval, params.window and params.coins apply
// (the time range is the MarketData's). Fails with kUsage for a fixed order of 0, with
// BuildBarSeries' errors, and with cancel's CancelledError once `cancel`, polled between
// windows and tests, is cancelled.
Result<std::vector<CausalityRow>> AnalyzeCausality(
    const MarketData& data, const AnalysisParams& params, const GrangerLags& lags,
    const CancellationToken& cancel = CancellationToken::Never());

}  // namespace cryptomood
