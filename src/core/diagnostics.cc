#include "core/diagnostics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "core/bar_series.h"
#include "core/status_macros.h"

namespace cryptomood {
namespace {

struct SeriesPlan {
  DiagnosedSeries series;
  TrendTerms regression;
};

constexpr std::array<SeriesPlan, 3> kPlans = {{
    {DiagnosedSeries::kLogPrice, TrendTerms::kConstantTrend},
    {DiagnosedSeries::kReturns, TrendTerms::kConstant},
    {DiagnosedSeries::kSentiment, TrendTerms::kConstant},
}};

std::optional<double> ValueOf(const SeriesBar& bar, DiagnosedSeries series) {
  switch (series) {
    case DiagnosedSeries::kLogPrice:
      if (!bar.close) return std::nullopt;
      return std::log(*bar.close);
    case DiagnosedSeries::kReturns:
      return bar.log_return;
    case DiagnosedSeries::kSentiment:
      return bar.sentiment;
  }
  return std::nullopt;
}

// The defined values of the series, in time order.
std::vector<double> DefinedValues(std::span<const SeriesBar> bars, DiagnosedSeries series) {
  std::vector<double> values;
  values.reserve(bars.size());
  for (const SeriesBar& bar : bars) {
    if (const std::optional<double> value = ValueOf(bar, series)) values.push_back(*value);
  }
  return values;
}

Result<std::vector<SeriesBar>> BarsOf(const MarketData& data, SymbolIndex symbol,
                                      const DiagnosticsParams& params,
                                      const CancellationToken& cancel) {
  BarSeriesSpan span;
  span.interval = params.interval;
  span.range = params.range;
  span.data_end = params.data_end;
  span.max_bars = params.max_bars;
  return BuildBarSeries(data.trades(symbol), data.sentiment(data.symbols()[symbol].coin), span,
                        cancel);
}

bool Wanted(const DiagnosticsParams& params, const std::string& coin) {
  return params.coins.empty() ||
         std::find(params.coins.begin(), params.coins.end(), coin) != params.coins.end();
}

}  // namespace

std::string_view ToString(DiagnosedSeries series) {
  switch (series) {
    case DiagnosedSeries::kLogPrice:
      return "log_price";
    case DiagnosedSeries::kReturns:
      return "returns";
    case DiagnosedSeries::kSentiment:
      return "sentiment";
  }
  return "log_price";
}

std::optional<CostRefusal> CheckDiagnosticsCost(const DataShape& shape,
                                                const DiagnosticsParams& params,
                                                const CostLimits& limits) {
  SeriesParams series;
  series.coins = params.coins;
  series.range = params.range;
  series.interval = params.interval;
  // Every bar is built, none is written: two points a symbol keep the rows and reply
  // estimates out of the way, leaving the bars.
  series.max_points = 2;
  CostLimits bars_only = limits;
  bars_only.max_rows = std::numeric_limits<std::int64_t>::max();
  bars_only.max_reply_bytes = std::numeric_limits<std::int64_t>::max();
  return CheckSeriesCost(EstimateSeriesCost(shape, series, RowFormat::kJson), bars_only, series);
}

Result<std::vector<SeriesDiagnostics>> RunDiagnostics(const MarketData& data,
                                                      const DiagnosticsParams& params,
                                                      const CancellationToken& cancel) {
  std::vector<SymbolIndex> symbols;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    if (Wanted(params, data.coins()[data.symbols()[symbol].coin])) symbols.push_back(symbol);
  }
  std::sort(symbols.begin(), symbols.end(), [&](SymbolIndex a, SymbolIndex b) {
    return data.symbols()[a].symbol_id < data.symbols()[b].symbol_id;
  });
  std::vector<SeriesDiagnostics> results;
  for (const SymbolIndex symbol : symbols) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto bars, BarsOf(data, symbol, params, cancel));
    const SymbolInfo& info = data.symbols()[symbol];
    for (const SeriesPlan& plan : kPlans) {
      if (cancel.StopRequested()) return cancel.CancelledError();
      const std::vector<double> values = DefinedValues(bars, plan.series);
      SeriesDiagnostics& result = results.emplace_back();
      result.symbol_id = info.symbol_id;
      result.coin = data.coins()[info.coin];
      result.interval = params.interval;
      result.series = plan.series;
      result.regression = plan.regression;
      result.n = static_cast<std::int64_t>(values.size());
      result.tests = TestStationarity(values, plan.regression, cancel);
    }
  }
  if (cancel.StopRequested()) return cancel.CancelledError();
  return results;
}

Result<StationarityVerdict> LogPriceVerdict(const MarketData& data, SymbolIndex symbol,
                                            const DiagnosticsParams& params,
                                            const CancellationToken& cancel) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto bars, BarsOf(data, symbol, params, cancel));
  const std::vector<double> values = DefinedValues(bars, DiagnosedSeries::kLogPrice);
  const StationarityTests tests = TestStationarity(values, TrendTerms::kConstantTrend, cancel);
  if (cancel.StopRequested()) return cancel.CancelledError();
  return tests.verdict;
}

}  // namespace cryptomood
