#include "core/window_rows.h"

#include <cmath>
#include <optional>
#include <utility>

#include "core/multiple_testing.h"

namespace cryptomood {

CorrelationRow TickWindowRow(const SeriesIdentity& identity, const AnalysisParams& params,
                             const WindowBounds& window, const CorrelationAccumulator& accumulator,
                             SpearmanScratch& scratch) {
  CorrelationRow row;
  row.symbol_id = identity.symbol_id;
  row.coin = identity.coin;
  row.mode = params.mode;
  row.window = window;
  row.first_timestamp = accumulator.first_timestamp();
  row.last_timestamp = accumulator.last_timestamp();
  // Tick pairs are (price, polarity); bars pairs (sentiment, return).
  const PriceSide price =
      params.mode == AnalysisMode::kBars ? PriceSide::kSecond : PriceSide::kFirst;
  row.statistics = accumulator.Summarize(price, scratch);
  row.p_value_adjusted = row.statistics.p_value;
  row.p_value_robust_adjusted = row.statistics.robust.p_value_robust;
  if (params.mode == AnalysisMode::kBars) {
    row.interval = params.interval;
  } else {
    row.direction = EffectiveDirection(params);
  }
  return row;
}

void MarkLagScan(std::span<CorrelationRow> rows) {
  std::vector<std::optional<double>> p_values;
  std::vector<std::optional<double>> robust_p_values;
  p_values.reserve(rows.size());
  robust_p_values.reserve(rows.size());
  for (const CorrelationRow& row : rows) {
    p_values.push_back(row.statistics.p_value);
    robust_p_values.push_back(row.statistics.robust.p_value_robust);
  }
  const std::vector<std::optional<double>> adjusted = HolmAdjust(p_values);
  const std::vector<std::optional<double>> robust_adjusted = HolmAdjust(robust_p_values);
  CorrelationRow* best = nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].p_value_adjusted = adjusted[i];
    rows[i].p_value_robust_adjusted = robust_adjusted[i];
    const std::optional<double>& r = rows[i].statistics.pearson;
    if (r && (!best || std::fabs(*r) > std::fabs(*best->statistics.pearson))) best = &rows[i];
  }
  if (best) best->best_lag = true;
}

bool AppendBarsWindowRows(const SeriesIdentity& identity, const AnalysisParams& params,
                          const WindowBounds& window,
                          std::span<const CorrelationAccumulator> by_lag, SpearmanScratch& scratch,
                          std::vector<CorrelationRow>& rows, const CancellationToken& cancel) {
  const std::size_t scan_begin = rows.size();
  for (std::size_t i = 0; i < by_lag.size(); ++i) {
    if (cancel.StopRequested()) return false;
    CorrelationRow row = TickWindowRow(identity, params, window, by_lag[i], scratch);
    row.lag = params.lags.first + static_cast<int>(i);
    rows.push_back(std::move(row));
  }
  MarkLagScan(std::span(rows).subspan(scan_begin));
  return true;
}

}  // namespace cryptomood
