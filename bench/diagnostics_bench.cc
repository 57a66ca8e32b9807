// Stationarity diagnostics at scale: one symbol's year of 1m bars (525,600), as
// `analyze --diagnostics` and GET /diagnostics run them: the bars, then ADF and KPSS on the log
// price, the returns and the sentiment. The budget is under a second per symbol.
// Cases: the whole run (bars included), and each test alone on the log price.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "core/bar_series.h"
#include "core/diagnostics.h"
#include "core/stationarity.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

// One coin over 365 days: about four trades and one tweet a minute, so nearly every bar has a
// close and most have a sentiment.
const MarketData& YearOfOneSymbol() {
  static const MarketData* data = [] {
    SimulationConfig config;
    config.coins = {"BTC"};
    config.days = 365;
    config.trades = 2'100'000;
    config.tweets = 525'600;
    return new MarketData(testing::SimulateMarketData(config));
  }();
  return *data;
}

const std::vector<double>& YearOfLogPrices() {
  static const std::vector<double>* prices = [] {
    const MarketData& data = YearOfOneSymbol();
    BarSeriesSpan span;
    auto bars = BuildBarSeries(data.trades(0), data.sentiment(data.symbols()[0].coin), span);
    auto* out = new std::vector<double>;
    if (!bars.ok()) return out;
    for (const SeriesBar& bar : *bars) {
      if (bar.close) out->push_back(std::log(*bar.close));
    }
    return out;
  }();
  return *prices;
}

void BM_DiagnosticsOneSymbolYear(benchmark::State& state) {
  const MarketData& data = YearOfOneSymbol();
  std::int64_t bars = 0;
  for (auto _ : state) {
    auto rows = RunDiagnostics(data, DiagnosticsParams{});
    if (!rows.ok() || rows->empty()) {
      state.SkipWithError("diagnostics failed");
      return;
    }
    bars = rows->front().n;
    benchmark::DoNotOptimize(rows->front().tests.verdict);
  }
  state.counters["log_prices"] = static_cast<double>(bars);
}
BENCHMARK(BM_DiagnosticsOneSymbolYear)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AdfLogPriceYear(benchmark::State& state) {
  const std::vector<double>& prices = YearOfLogPrices();
  std::int64_t lags = 0;
  for (auto _ : state) {
    auto adf = AugmentedDickeyFuller(prices, TrendTerms::kConstantTrend);
    if (!adf) {
      state.SkipWithError("ADF undefined");
      return;
    }
    lags = adf->lags;
    benchmark::DoNotOptimize(adf->statistic);
  }
  state.counters["n"] = static_cast<double>(prices.size());
  state.counters["lags"] = static_cast<double>(lags);
}
BENCHMARK(BM_AdfLogPriceYear)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_KpssLogPriceYear(benchmark::State& state) {
  const std::vector<double>& prices = YearOfLogPrices();
  std::int64_t lags = 0;
  for (auto _ : state) {
    auto kpss = Kpss(prices, TrendTerms::kConstantTrend);
    if (!kpss) {
      state.SkipWithError("KPSS undefined");
      return;
    }
    lags = kpss->lags;
    benchmark::DoNotOptimize(kpss->statistic);
  }
  state.counters["n"] = static_cast<double>(prices.size());
  state.counters["lags"] = static_cast<double>(lags);
}
BENCHMARK(BM_KpssLogPriceYear)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace cryptomood
