// Micro-benchmarks of the simulator's parts: generating records, laying them out as seed
// lines, and JsonWriter's number formatting. Items per second = records (or numbers).
#include <benchmark/benchmark.h>

#include <vector>

#include "core/simulation.h"
#include "io/json_writer.h"
#include "io/record_writer.h"

namespace cryptomood {
namespace {

SimulationConfig BenchConfig() {
  SimulationConfig config;
  config.trades = 2'000'000;
  config.tweets = 500'000;
  config.effects = DefaultPlantedEffects();
  return config;
}

void BM_SimulationNext(benchmark::State& state) {
  auto simulation = Simulation::Create(BenchConfig());
  SimulatedRecord record;
  for (auto _ : state) {
    if (!simulation->Next(record)) {
      state.PauseTiming();
      simulation = Simulation::Create(BenchConfig());
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulationNext);

std::vector<SimulatedRecord> SampleRecords() {
  SimulationConfig config = BenchConfig();
  config.trades = 80'000;
  config.tweets = 20'000;
  auto simulation = Simulation::Create(config);
  std::vector<SimulatedRecord> records;
  SimulatedRecord record;
  while (simulation->Next(record)) records.push_back(record);
  return records;
}

void BM_SeedLineFormat(benchmark::State& state) {
  const std::vector<SimulatedRecord> records = SampleRecords();
  SeedLineFormatter formatter(BenchConfig().coins);
  std::vector<char> line(formatter.max_line_length());
  std::size_t next = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const SimulatedRecord& record = records[next];
    next = next + 1 == records.size() ? 0 : next + 1;
    const char* end = record.kind == SimulatedRecord::Kind::kTrade
                          ? formatter.WriteTrade(record.trade, line.data())
                          : formatter.WriteTweet(record.tweet, line.data());
    bytes += end - line.data();
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_SeedLineFormat);

void BM_JsonWriterDouble(benchmark::State& state) {
  JsonWriter writer;
  double value = 427.92187479239936;
  for (auto _ : state) {
    writer.Clear();
    writer.Double(value);
    value *= 1.0000001;
    benchmark::DoNotOptimize(writer.view().data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonWriterDouble);

}  // namespace
}  // namespace cryptomood
