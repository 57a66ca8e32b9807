// Granger causality at the scale: a year of 1m bars (525,600) for one symbol, `auto`
// lags (the VAR order search up to pmax = 102) and both directions' tests, as AnalyzeCausality
// runs them per symbol. The series are seeded: sentiment AR(1) 0.5, returns driven by the
// sentiment two bars earlier; the argument is the share of bars missing a return, in 1/1000
// (0: no gaps, the largest common sample; 20: one in fifty, which leaves the order search the
// rows with 103 defined bars in a row).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "core/granger.h"
#include "core/random.h"

namespace cryptomood {
namespace {

constexpr std::size_t kBarsPerYear = 525'600;

struct BarPair {
  std::vector<std::optional<double>> returns;
  std::vector<std::optional<double>> sentiment;
};

BarPair YearOfMinuteBars(double gap_share) {
  RandomGenerator random(2024);
  BarPair bars;
  bars.returns.resize(kBarsPerYear);
  bars.sentiment.resize(kBarsPerYear);
  double mood = 0.0;
  std::vector<double> moods(kBarsPerYear);
  for (std::size_t t = 0; t < kBarsPerYear; ++t) {
    mood = 0.5 * mood + 0.3 * random.Normal();
    moods[t] = mood;
    bars.sentiment[t] = mood;
    const double driven = t >= 2 ? 0.1 * moods[t - 2] : 0.0;
    if (random.Uniform() >= gap_share) bars.returns[t] = 1e-3 * (driven + random.Normal());
  }
  return bars;
}

void BM_GrangerAutoYearOfMinuteBars(benchmark::State& state) {
  const BarPair bars = YearOfMinuteBars(static_cast<double>(state.range(0)) / 1000.0);
  for (auto _ : state) {
    const std::size_t lags = AutoGrangerLags(bars.returns, bars.sentiment);
    const GrangerResult forward = GrangerTest(bars.sentiment, bars.returns, lags);
    const GrangerResult backward = GrangerTest(bars.returns, bars.sentiment, lags);
    benchmark::DoNotOptimize(forward);
    benchmark::DoNotOptimize(backward);
    state.counters["lags"] = static_cast<double>(lags);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBarsPerYear));
}
BENCHMARK(BM_GrangerAutoYearOfMinuteBars)
    ->Arg(0)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_VarLagOrderSearchYearOfMinuteBars(benchmark::State& state) {
  const BarPair bars = YearOfMinuteBars(static_cast<double>(state.range(0)) / 1000.0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(SelectVarLagOrder(bars.returns, bars.sentiment));
  }
}
BENCHMARK(BM_VarLagOrderSearchYearOfMinuteBars)
    ->Arg(0)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace cryptomood
