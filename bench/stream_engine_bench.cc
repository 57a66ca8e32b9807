// Micro-benchmark of the streaming operator alone: StreamEngine fed parsed events from memory
// (no Kafka, no parsing, no store), in tick mode and in bars mode (1m bars, lags -5:5), both
// with 1h windows. The input is one day of data, 2M events in timestamp order, trades:tweets
// 4:1 over N coins with one symbol each; every 1000 events the watermark moves to the last
// event time minus 30 s, and Finish closes the rest. Each iteration runs a fresh engine over
// the whole input, rows included. Items per second = events fed (trades + tweets).
//
// Run (in a build configured with -DCRYPTOMOOD_BENCH=ON):
//   ninja -C build stream_engine_bench
//   ./build/bench/stream_engine_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/state_codec.h"
#include "core/stream_engine.h"

namespace cryptomood {
namespace {

constexpr TimestampNs kStart = 1'531'771'200 * kNanosPerSecond;  // 2018-07-16T20:00:00Z
constexpr TimestampNs kDuration = 24 * 3600 * kNanosPerSecond;
constexpr std::size_t kEvents = 2'000'000;
constexpr std::size_t kWatermarkEvery = 1000;
constexpr TimestampNs kLateness = 30 * kNanosPerSecond;

// The events of one run, in arrival (= timestamp) order: is_trade[i] says whether event i is
// the next of trades or of sentiments. The names the events' string_views point to live here,
// so a Feed is built once, in place, and never moved.
struct Feed {
  std::vector<std::string> coins;
  std::vector<std::string> symbol_ids;
  std::vector<StreamTrade> trades;
  std::vector<StreamSentiment> sentiments;
  std::vector<bool> is_trade;

  explicit Feed(int coin_count) {
    std::mt19937_64 random(static_cast<std::uint64_t>(coin_count));
    coins.reserve(static_cast<std::size_t>(coin_count));
    symbol_ids.reserve(static_cast<std::size_t>(coin_count));
    for (int c = 0; c < coin_count; ++c) {
      char name[8];
      std::snprintf(name, sizeof(name), "C%02d", c);
      coins.emplace_back(name);
      symbol_ids.push_back("BINANCE_SPOT_" + coins.back() + "_USDT");
    }
    std::vector<double> prices(coins.size(), 100.0);
    std::uniform_int_distribution<std::size_t> pick(0, coins.size() - 1);
    std::uniform_int_distribution<int> kind(0, 4);  // 4 in 5 events are trades
    std::normal_distribution<double> step(0.0, 0.001);
    std::uniform_real_distribution<double> size(0.001, 2.0);
    std::uniform_int_distribution<int> polarity_thousandths(-1000, 1000);
    // Exponential gaps with the mean that spreads kEvents over kDuration: a Poisson stream.
    std::exponential_distribution<double> gap(static_cast<double>(kEvents) /
                                              static_cast<double>(kDuration));
    trades.reserve(kEvents);
    sentiments.reserve(kEvents / 4);
    is_trade.reserve(kEvents);
    double time = static_cast<double>(kStart);
    for (std::size_t i = 0; i < kEvents; ++i) {
      time += gap(random);
      const auto timestamp = static_cast<TimestampNs>(time);
      const std::size_t series = pick(random);
      if (kind(random) != 0) {
        prices[series] *= std::exp(step(random));
        trades.push_back(StreamTrade{timestamp, prices[series], size(random), symbol_ids[series],
                                     coins[series], EventKey{random(), random()}});
        is_trade.push_back(true);
      } else {
        sentiments.push_back(StreamSentiment{timestamp, polarity_thousandths(random) / 1000.0,
                                             coins[series], EventKey{random(), random()}});
        is_trade.push_back(false);
      }
    }
  }
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;
};

const Feed& FeedFor(int coin_count) {
  static std::map<int, std::unique_ptr<const Feed>> feeds;
  std::unique_ptr<const Feed>& feed = feeds[coin_count];
  if (!feed) feed = std::make_unique<const Feed>(coin_count);
  return *feed;
}

AnalysisParams TickParams() {
  AnalysisParams params;
  params.mode = AnalysisMode::kTick;
  params.direction = JoinDirection::kBackward;
  params.window = Interval::Fixed(3600 * kNanosPerSecond);
  return params;
}

AnalysisParams BarsParams() {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = LagRange{-5, 5};
  params.window = Interval::Fixed(3600 * kNanosPerSecond);
  return params;
}

void RecordStateSize(benchmark::State& state, const AnalysisParams& params, const Feed& feed);

void RunStream(benchmark::State& state, const AnalysisParams& params) {
  const Feed& feed = FeedFor(static_cast<int>(state.range(0)));
  std::vector<CorrelationRow> rows;
  std::size_t refused = 0;
  for (auto _ : state) {
    Result<StreamEngine> engine = StreamEngine::Create(params);
    if (!engine.ok()) {
      state.SkipWithError("StreamEngine::Create failed");
      return;
    }
    rows.clear();
    std::size_t next_trade = 0;
    std::size_t next_sentiment = 0;
    for (std::size_t i = 0; i < feed.is_trade.size(); ++i) {
      TimestampNs timestamp;
      EventOutcome outcome;
      if (feed.is_trade[i]) {
        const StreamTrade& trade = feed.trades[next_trade++];
        timestamp = trade.timestamp;
        outcome = engine->OnTrade(trade);
      } else {
        const StreamSentiment& sentiment = feed.sentiments[next_sentiment++];
        timestamp = sentiment.timestamp;
        outcome = engine->OnSentiment(sentiment);
      }
      refused += outcome != EventOutcome::kAccepted;
      if ((i + 1) % kWatermarkEvery == 0) engine->AdvanceWatermark(timestamp - kLateness, rows);
    }
    engine->Finish(rows);
    benchmark::DoNotOptimize(rows.data());
    benchmark::ClobberMemory();
  }
  if (refused != 0) state.SkipWithError("an event was refused (late or duplicate)");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(feed.is_trade.size()));
  state.counters["rows"] = static_cast<double>(rows.size());
  RecordStateSize(state, params, feed);
}

// Untimed pass over the same feed: the largest state (StreamEngine::state_bytes) and the
// largest checkpoint (EncodeState) seen at the watermark points, per symbol.
void RecordStateSize(benchmark::State& state, const AnalysisParams& params, const Feed& feed) {
  Result<StreamEngine> engine = StreamEngine::Create(params);
  if (!engine.ok()) return;
  std::vector<CorrelationRow> rows;
  std::size_t peak_bytes = 0;
  std::size_t peak_encoded = 0;
  std::size_t next_trade = 0;
  std::size_t next_sentiment = 0;
  for (std::size_t i = 0; i < feed.is_trade.size(); ++i) {
    TimestampNs timestamp;
    if (feed.is_trade[i]) {
      timestamp = feed.trades[next_trade].timestamp;
      engine->OnTrade(feed.trades[next_trade++]);
    } else {
      timestamp = feed.sentiments[next_sentiment].timestamp;
      engine->OnSentiment(feed.sentiments[next_sentiment++]);
    }
    if ((i + 1) % kWatermarkEvery != 0) continue;
    engine->AdvanceWatermark(timestamp - kLateness, rows);
    peak_bytes = std::max(peak_bytes, engine->state_bytes());
    if ((i + 1) % (kWatermarkEvery * 50) == 0) {
      StateWriter writer;
      engine->EncodeState(writer);
      peak_encoded = std::max(peak_encoded, std::move(writer).Take().size());
    }
  }
  const auto symbols = static_cast<double>(std::max<std::size_t>(engine->symbol_count(), 1));
  state.counters["state_bytes_per_symbol"] = static_cast<double>(peak_bytes) / symbols;
  state.counters["checkpoint_bytes_per_symbol"] = static_cast<double>(peak_encoded) / symbols;
}

void BM_StreamEngineTick(benchmark::State& state) { RunStream(state, TickParams()); }
BENCHMARK(BM_StreamEngineTick)->ArgName("coins")->Arg(50)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_StreamEngineBars(benchmark::State& state) { RunStream(state, BarsParams()); }
BENCHMARK(BM_StreamEngineBars)->ArgName("coins")->Arg(50)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cryptomood
