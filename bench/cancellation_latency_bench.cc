// Cancellation latency: the longest stretch of work between two polls of the cancellation
// token on heavy requests (what bounds how soon a cancelled computation stops). Each case runs
// on one thread with a token whose observer times the gaps between polls; the counters report
// the longest gap (max_gap_ms), the polls made and the run's length.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "core/analysis.h"
#include "core/bar_series.h"
#include "core/cancellation.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

using Clock = std::chrono::steady_clock;

// Times the gaps between polls of one polling thread, from Start to its last poll.
class StretchTimer final : public PollObserver {
 public:
  void Start() {
    last_ = Clock::now();
    longest_ = Clock::duration::zero();
    polls_ = 0;
    longest_ended_at_ = 0;
  }
  void OnPoll() override {
    const Clock::time_point now = Clock::now();
    ++polls_;
    if (now - last_ > longest_) {
      longest_ = now - last_;
      longest_ended_at_ = polls_;
    }
    last_ = now;
  }

  double longest_ms() const { return std::chrono::duration<double, std::milli>(longest_).count(); }
  std::int64_t polls() const { return polls_; }
  // The poll (1 = the first) that ended the longest gap.
  std::int64_t longest_ended_at() const { return longest_ended_at_; }

 private:
  Clock::time_point last_;
  Clock::duration longest_{};
  std::int64_t polls_ = 0;
  std::int64_t longest_ended_at_ = 0;
};

const MarketData& Data() {
  static const MarketData* data = [] {
    SimulationConfig config;  // the simulator's defaults: 200k trades, 50k tweets, 7 days
    config.trades = 1'000'000;
    config.tweets = 250'000;
    return new MarketData(testing::SimulateMarketData(config));
  }();
  return *data;
}

template <typename Work>
void MeasureStretches(benchmark::State& state, Work work) {
  Data();  // simulated once, outside the timed runs
  StretchTimer timer;
  const CancellationToken token(&timer);
  double longest = 0;
  for (auto _ : state) {
    timer.Start();
    work(token);  // polls once more when its computation is done
    longest = std::max(longest, timer.longest_ms());
  }
  state.counters["max_gap_ms"] = longest;
  state.counters["polls"] = static_cast<double>(timer.polls());
  state.counters["gap_end_poll"] = static_cast<double>(timer.longest_ended_at());
}

void RunAnalysis(benchmark::State& state, AnalysisParams params) {
  params.threads = 1;
  MeasureStretches(state, [&params](const CancellationToken& token) {
    auto rows = Analyze(Data(), params, token);
    benchmark::DoNotOptimize(rows);
    token.StopRequested();  // the rows are freed after the run: not the computation's time
  });
}

void StretchesTickWholeSpan(benchmark::State& state) { RunAnalysis(state, AnalysisParams{}); }

void StretchesCompatWholeSpan(benchmark::State& state) {
  AnalysisParams params;
  params.mode = AnalysisMode::kCompat;
  RunAnalysis(state, params);
}

void StretchesTickOneMillisecondWindows(benchmark::State& state) {
  AnalysisParams params;
  params.window = Interval::Fixed(1'000'000);
  RunAnalysis(state, params);
}

void StretchesBarsOneMillisecondWideLags(benchmark::State& state) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(1'000'000);
  params.lags = LagRange{-100, 100};
  RunAnalysis(state, params);
}

void StretchesBarsMinuteLagsHourWindows(benchmark::State& state) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.lags = LagRange{-60, 60};
  params.window = Interval::Fixed(3600 * kNanosPerSecond);
  RunAnalysis(state, params);
}

void StretchesSeriesOneMillisecondTwoHours(benchmark::State& state) {
  BarSeriesSpan span;
  span.interval = Interval::Fixed(1'000'000);
  span.range.from = Data().trades(0).front().timestamp;
  span.range.to = *span.range.from + std::int64_t{7200} * kNanosPerSecond;
  span.max_bars = 10'000'000;
  const MarketData cut = Data().Within(span.range);
  MeasureStretches(state, [&](const CancellationToken& token) {
    auto bars = BuildBarSeries(cut.trades(0), cut.sentiment(cut.symbols()[0].coin), span, token);
    if (bars) benchmark::DoNotOptimize(DownsampleExtremes(std::move(*bars), 1200, token));
    token.StopRequested();
  });
}

BENCHMARK(StretchesTickWholeSpan)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(StretchesCompatWholeSpan)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(StretchesTickOneMillisecondWindows)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(StretchesBarsOneMillisecondWideLags)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(StretchesBarsMinuteLagsHourWindows)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(StretchesSeriesOneMillisecondTwoHours)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace cryptomood
