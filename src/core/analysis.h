// Analysis: the batch entry point. Given loaded market data and the analysis parameters,
// runs the per-symbol operators (TickCorrelation, BarsCorrelation) over each symbol's events
// in time order and turns their closed windows into result rows with statistics, Holm-adjusted
// p-values across lags and the best lag marked. The definitions are normative in
// docs/analysis.md.
// Thread-safety: Analyze only reads the MarketData; it may run symbols on several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/asof_joiner.h"
#include "core/bar_lag_correlator.h"
#include "core/cancellation.h"
#include "core/correlation_statistics.h"
#include "core/interval.h"
#include "core/market_data.h"
#include "core/rank_correlation.h"
#include "core/result.h"
#include "core/tumbling_windows.h"

namespace cryptomood {

enum class AnalysisMode { kTick, kCompat, kBars };

std::string_view ToString(AnalysisMode mode);
std::string_view ToString(JoinDirection direction);
Result<AnalysisMode> ParseAnalysisMode(std::string_view text);
Result<JoinDirection> ParseJoinDirection(std::string_view text);
// "A:B" with integers A <= B, or a single integer "K" (= K:K).
Result<LagRange> ParseLagRange(std::string_view text);

struct AnalysisParams {
  AnalysisMode mode = AnalysisMode::kTick;
  // Unset means the mode's default: backward for tick, nearest for compat (the notebook's).
  std::optional<JoinDirection> direction;
  std::optional<std::int64_t> tolerance_nanos;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  LagRange lags;
  std::optional<Interval> window;
  std::vector<std::string> coins;  // base assets to keep; empty keeps all
  int threads = 2;
};

// How Analyze spends memory and threads, never what it computes: the rows are the same, bit
// for bit, for any value of these knobs.
struct AnalysisOptions {
  // Pairs from which Spearman ranks with compact (slower) entries; see SpearmanScratch.
  std::size_t spearman_compact_from = SpearmanScratch::kDefaultCompactFrom;
  // Threads out of tasks help the others rank (RankingHelpers): faster, but a helper may
  // grow its own Spearman memory to the largest result's size, so a server within a memory
  // budget keeps it off.
  bool share_rankings = false;
};

// The join direction a run uses once defaults are applied.
JoinDirection EffectiveDirection(const AnalysisParams& params);

// Checks combinations the parsers cannot see (e.g. lags outside bars mode).
Status ValidateAnalysisParams(const AnalysisParams& params);

struct CorrelationRow {
  std::string symbol_id;  // "*" for compat
  std::string coin;       // "*" for compat
  AnalysisMode mode = AnalysisMode::kTick;
  std::optional<JoinDirection> direction;  // tick and compat only
  std::optional<Interval> interval;        // bars only
  int lag = 0;
  WindowBounds window;
  std::optional<TimestampNs> first_timestamp;
  std::optional<TimestampNs> last_timestamp;
  CorrelationStatistics statistics;
  std::optional<double> p_value_adjusted;         // Holm over the scan's naive p-values
  std::optional<double> p_value_robust_adjusted;  // Holm over its robust p-values
  bool best_lag = false;
  // Set on tick rows (price levels) whose symbol's log price looks non-stationary:
  // "levels_nonstationary".
  std::optional<std::string> warning;
};

// Rows ordered: compat first, then by symbol_id, window start, lag. Polls `cancel` every few
// milliseconds of work on each thread; once it is cancelled the run stops, frees its working
// memory and fails with its CancelledError (kCancelled), even if the work was complete.
// `options` tune how the work runs (see AnalysisOptions), not its result.
Result<std::vector<CorrelationRow>> Analyze(
    const MarketData& data, const AnalysisParams& params,
    const CancellationToken& cancel = CancellationToken::Never(),
    const AnalysisOptions& options = AnalysisOptions{});

}  // namespace cryptomood
