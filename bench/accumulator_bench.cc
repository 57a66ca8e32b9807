// Micro-benchmarks for the statistics on the hot path: CoMoments::Add (called once per joined
// pair), CoMoments::Merge (once per window or partial result) and SpearmanRho (once per result,
// over all its pairs).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <vector>

#include "core/co_moments.h"
#include "core/rank_correlation.h"

namespace cryptomood {
namespace {

struct Pairs {
  std::vector<double> prices;
  std::vector<double> polarities;
};

// Price-like x (a random walk near 3e4) and polarity-like y in [-1, 1], with ties in y as real
// sentiment scores have (they come rounded to a few decimals).
Pairs MakePairs(std::size_t n) {
  std::mt19937_64 engine(42);
  std::normal_distribution<double> step(0.0, 1.0);
  std::uniform_int_distribution<int> polarity_thousandths(-1000, 1000);
  Pairs pairs;
  pairs.prices.reserve(n);
  pairs.polarities.reserve(n);
  double price = 30000.0;
  for (std::size_t i = 0; i < n; ++i) {
    price += step(engine);
    pairs.prices.push_back(price);
    pairs.polarities.push_back(polarity_thousandths(engine) / 1000.0);
  }
  return pairs;
}

const Pairs& MillionPairs() {
  static const Pairs pairs = MakePairs(1'000'000);
  return pairs;
}

void BM_CoMomentsAdd(benchmark::State& state) {
  const Pairs& pairs = MillionPairs();
  for (auto _ : state) {
    CoMoments moments;
    for (std::size_t i = 0; i < pairs.prices.size(); ++i) {
      moments.Add(pairs.prices[i], pairs.polarities[i]);
    }
    benchmark::DoNotOptimize(moments);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.prices.size()));
}
BENCHMARK(BM_CoMomentsAdd)->Unit(benchmark::kMillisecond);

void BM_CoMomentsMerge(benchmark::State& state) {
  const Pairs& pairs = MillionPairs();
  std::vector<CoMoments> parts(1000);
  for (std::size_t i = 0; i < pairs.prices.size(); ++i) {
    parts[i % parts.size()].Add(pairs.prices[i], pairs.polarities[i]);
  }
  for (auto _ : state) {
    CoMoments total;
    for (const CoMoments& part : parts) total.Merge(part);
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(parts.size()));
}
BENCHMARK(BM_CoMomentsMerge);

void BM_SpearmanRhoWithScratch(benchmark::State& state) {
  const Pairs pairs = MakePairs(static_cast<std::size_t>(state.range(0)));
  SpearmanScratch scratch;
  for (auto _ : state) {
    benchmark::DoNotOptimize(SpearmanRho(pairs.prices, pairs.polarities, scratch));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SpearmanRhoWithScratch)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_SpearmanRhoAllocating(benchmark::State& state) {
  const Pairs pairs = MakePairs(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(SpearmanRho(pairs.prices, pairs.polarities));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SpearmanRhoAllocating)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cryptomood
