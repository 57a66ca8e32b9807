// StreamEngine against the batch driver: random event streams, delivered out of order within
// the allowed lateness and with watermarks at random points, give exactly (bit for bit) the
// rows of one batch Analyze over the same events; late events and duplicates are refused.
#include "core/stream_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/analysis.h"
#include "core/market_data.h"

namespace cryptomood {
namespace {

constexpr TimestampNs kSecond = kNanosPerSecond;
constexpr TimestampNs kMinute = 60 * kSecond;
constexpr TimestampNs kStart = 1'531'771'200 * kSecond;  // 2018-07-16T20:00:00Z
constexpr std::int64_t kLateness = 30 * kSecond;

struct SymbolSpec {
  std::string symbol_id;
  std::string coin;
  TimestampNs first_trade;  // symbols may start mid-stream
};

// One input event in arrival order: a trade, or a tweet naming one or more coins.
struct InputEvent {
  TimestampNs timestamp = 0;
  TimestampNs arrival = 0;
  bool is_trade = false;
  std::size_t symbol = 0;
  double price = 0;
  double size = 0;
  std::vector<std::string> coins;
  double polarity = 0;
  EventKey key;
};

const std::vector<SymbolSpec>& Symbols() {
  static const std::vector<SymbolSpec> symbols = {
      {"COINBASE_SPOT_BTC_USD", "BTC", kStart},
      {"BINANCE_SPOT_BTC_USDT", "BTC", kStart + 40 * kMinute},
      {"COINBASE_SPOT_ETH_USD", "ETH", kStart},
      {"KRAKEN_SPOT_LTC_EUR", "LTC", kStart + 75 * kMinute},
  };
  return symbols;
}

// Events over `minutes` minutes, timestamps on a coarse grid (so many are equal), each
// arriving up to `max_delay` after its event time, listed in arrival order.
std::vector<InputEvent> RandomEvents(std::uint64_t seed, int minutes, std::int64_t max_delay) {
  std::mt19937_64 random(seed);
  const auto uniform = [&](double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  const auto pick = [&](std::int64_t count) {
    return std::uniform_int_distribution<std::int64_t>(0, count - 1)(random);
  };
  std::vector<InputEvent> events;
  const std::int64_t grid = 5 * kSecond;
  const std::int64_t steps = minutes * kMinute / grid;
  std::vector<double> prices = {6000, 6010, 430, 80};
  for (int i = 0; i < minutes * 40; ++i) {
    InputEvent trade;
    trade.is_trade = true;
    trade.symbol = static_cast<std::size_t>(pick(static_cast<std::int64_t>(Symbols().size())));
    trade.timestamp = kStart + pick(steps) * grid;
    if (trade.timestamp < Symbols()[trade.symbol].first_trade) continue;
    prices[trade.symbol] *= std::exp(uniform(-0.002, 0.002));
    trade.price = prices[trade.symbol];
    trade.size = uniform(0.01, 2.0);
    trade.key = EventKey{random(), random()};
    events.push_back(trade);
  }
  const std::vector<std::string> coins = {"BTC", "ETH", "LTC"};
  for (int i = 0; i < minutes * 10; ++i) {
    InputEvent tweet;
    tweet.timestamp = kStart + pick(steps) * grid;
    const std::int64_t first = pick(3);
    const std::int64_t count = 1 + pick(3 - first);
    for (std::int64_t c = first; c < first + count; ++c) tweet.coins.push_back(coins[c]);
    tweet.polarity = std::round(uniform(-1, 1) * 8) / 8;  // ties in rank
    tweet.key = EventKey{random(), random()};
    events.push_back(tweet);
  }
  std::shuffle(events.begin(), events.end(), random);  // input order among equal timestamps
  for (InputEvent& event : events) {
    event.arrival = event.timestamp + (max_delay > 0 ? pick(max_delay + 1) : 0);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const InputEvent& a, const InputEvent& b) { return a.arrival < b.arrival; });
  return events;
}

MarketData BatchData(const std::vector<InputEvent>& events) {
  MarketDataBuilder builder;
  for (const InputEvent& event : events) {
    if (event.is_trade) {
      const SymbolSpec& symbol = Symbols()[event.symbol];
      builder.AddTrade(symbol.symbol_id, symbol.coin,
                       TradePoint{event.timestamp, event.price, event.size});
    } else {
      const std::vector<std::string_view> coins(event.coins.begin(), event.coins.end());
      builder.AddSentiment(coins, SentimentPoint{event.timestamp, event.polarity});
    }
  }
  return std::move(builder).Finish();
}

// Feeds one event as the stream delivers it: a tweet once per coin. Returns its outcomes.
std::vector<EventOutcome> Deliver(StreamEngine& engine, const InputEvent& event) {
  if (event.is_trade) {
    const SymbolSpec& symbol = Symbols()[event.symbol];
    return {engine.OnTrade(StreamTrade{event.timestamp, event.price, event.size, symbol.symbol_id,
                                       symbol.coin, event.key})};
  }
  std::vector<EventOutcome> outcomes;
  for (const std::string& coin : event.coins) {
    outcomes.push_back(
        engine.OnSentiment(StreamSentiment{event.timestamp, event.polarity, coin, event.key}));
  }
  return outcomes;
}

auto RowKey(const CorrelationRow& row) {
  return std::make_tuple(row.symbol_id, row.window.start.value_or(0), row.lag);
}

void SortRows(std::vector<CorrelationRow>& rows) {
  std::sort(rows.begin(), rows.end(),
            [](const CorrelationRow& a, const CorrelationRow& b) { return RowKey(a) < RowKey(b); });
}

std::optional<std::uint64_t> Bits(std::optional<double> value) {
  if (!value) return std::nullopt;
  return std::bit_cast<std::uint64_t>(*value);
}

void ExpectSameRows(std::vector<CorrelationRow> actual, std::vector<CorrelationRow> expected) {
  SortRows(actual);
  SortRows(expected);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const CorrelationRow& a = actual[i];
    const CorrelationRow& e = expected[i];
    SCOPED_TRACE(e.symbol_id + " window " + std::to_string(e.window.start.value_or(0)) + " lag " +
                 std::to_string(e.lag));
    EXPECT_EQ(a.symbol_id, e.symbol_id);
    EXPECT_EQ(a.coin, e.coin);
    EXPECT_EQ(a.window.start, e.window.start);
    EXPECT_EQ(a.window.end, e.window.end);
    EXPECT_EQ(a.lag, e.lag);
    EXPECT_EQ(a.first_timestamp, e.first_timestamp);
    EXPECT_EQ(a.last_timestamp, e.last_timestamp);
    EXPECT_EQ(a.statistics.n, e.statistics.n);
    EXPECT_EQ(Bits(a.statistics.pearson), Bits(e.statistics.pearson));
    EXPECT_EQ(Bits(a.statistics.spearman), Bits(e.statistics.spearman));
    EXPECT_EQ(Bits(a.statistics.p_value), Bits(e.statistics.p_value));
    EXPECT_EQ(Bits(a.statistics.ci_low), Bits(e.statistics.ci_low));
    EXPECT_EQ(Bits(a.statistics.ci_high), Bits(e.statistics.ci_high));
    EXPECT_EQ(Bits(a.p_value_adjusted), Bits(e.p_value_adjusted));
    for (const auto& [stream_side, batch_side] :
         {std::pair{a.statistics.robust, e.statistics.robust},
          std::pair{a.statistics.spearman_robust, e.statistics.spearman_robust}}) {
      EXPECT_EQ(Bits(stream_side.r1_x), Bits(batch_side.r1_x));
      EXPECT_EQ(Bits(stream_side.r1_y), Bits(batch_side.r1_y));
      EXPECT_EQ(Bits(stream_side.n_eff), Bits(batch_side.n_eff));
      EXPECT_EQ(Bits(stream_side.p_value_neff), Bits(batch_side.p_value_neff));
      EXPECT_EQ(Bits(stream_side.ci_low_neff), Bits(batch_side.ci_low_neff));
      EXPECT_EQ(Bits(stream_side.se_hac), Bits(batch_side.se_hac));
      EXPECT_EQ(Bits(stream_side.p_value_hac), Bits(batch_side.p_value_hac));
      EXPECT_EQ(Bits(stream_side.p_value_robust), Bits(batch_side.p_value_robust));
    }
    EXPECT_EQ(Bits(a.p_value_robust_adjusted), Bits(e.p_value_robust_adjusted));
    EXPECT_EQ(a.best_lag, e.best_lag);
    EXPECT_EQ(a.mode, e.mode);
    EXPECT_EQ(a.direction, e.direction);
    EXPECT_EQ(a.interval, e.interval);
  }
}

// Replaces the engine with a fresh one restored from its encoded state.
void EncodeAndRestore(Result<StreamEngine>& engine) {
  StateWriter writer;
  engine->EncodeState(writer);
  const std::string blob = SealState(StateKind("TEST"), 1, std::move(writer).Take());
  engine = StreamEngine::Create(engine->params());
  ASSERT_TRUE(engine.ok());
  Result<StateReader> reader = OpenState(blob, StateKind("TEST"), 1);
  ASSERT_TRUE(reader.ok());
  const Status decoded = engine->DecodeState(*reader);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(reader->ExpectEnd().ok());
}

// Streams the events through an engine: after each event, with probability 1/8, the
// watermark moves to the largest event time seen minus the lateness (sometimes less). With
// restarts, the engine is encoded and restored into a new one at random points.
std::vector<CorrelationRow> StreamRows(const AnalysisParams& params,
                                       const std::vector<InputEvent>& events, std::uint64_t seed,
                                       int restarts = 0) {
  std::mt19937_64 random(seed);
  Result<StreamEngine> engine = StreamEngine::Create(params);
  EXPECT_TRUE(engine.ok());
  std::vector<CorrelationRow> rows;
  TimestampNs max_seen = events.front().timestamp;
  for (const InputEvent& event : events) {
    if (restarts > 0 && random() % (events.size() / static_cast<std::size_t>(restarts)) == 0) {
      EncodeAndRestore(engine);
    }
    for (const EventOutcome outcome : Deliver(*engine, event)) {
      EXPECT_EQ(outcome, EventOutcome::kAccepted);
    }
    max_seen = std::max(max_seen, event.timestamp);
    if (random() % 8 == 0) {
      const auto slack = static_cast<std::int64_t>(random() % 3) * kMinute / 2;
      engine->AdvanceWatermark(max_seen - kLateness - slack, rows);
    }
  }
  engine->Finish(rows);
  return rows;
}

AnalysisParams TickParams(JoinDirection direction, std::optional<std::int64_t> tolerance) {
  AnalysisParams params;
  params.mode = AnalysisMode::kTick;
  params.direction = direction;
  params.tolerance_nanos = tolerance;
  params.window = Interval::Fixed(10 * kMinute);
  return params;
}

AnalysisParams BarsParams(int first_lag, int last_lag, Interval window) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(kMinute);
  params.lags = LagRange{first_lag, last_lag};
  params.window = window;
  return params;
}

// `shift` moves every event in time (to place the data across a calendar boundary).
void ExpectStreamEqualsBatch(const AnalysisParams& params, std::uint64_t seed,
                             std::int64_t shift = 0, std::size_t min_windows = 1) {
  std::vector<InputEvent> events = RandomEvents(seed, 150, kLateness);
  for (InputEvent& event : events) event.timestamp += shift;
  const Result<std::vector<CorrelationRow>> batch = Analyze(BatchData(events), params);
  ASSERT_TRUE(batch.ok());
  ASSERT_GT(batch->size(), 6U);
  std::set<std::optional<TimestampNs>> windows;
  for (const CorrelationRow& row : *batch) windows.insert(row.window.start);
  ASSERT_GE(windows.size(), min_windows);
  ExpectSameRows(StreamRows(params, events, seed + 1), *batch);
  // Checkpointed and restored at random points, the stream still gives the same rows.
  ExpectSameRows(StreamRows(params, events, seed + 2, 5), *batch);
}

TEST(StreamEngineTest, TickBackwardEqualsBatch) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    ExpectStreamEqualsBatch(TickParams(JoinDirection::kBackward, std::nullopt), seed);
  }
}

TEST(StreamEngineTest, TickForwardAndNearestWithToleranceEqualBatch) {
  for (std::uint64_t seed = 11; seed <= 14; ++seed) {
    ExpectStreamEqualsBatch(TickParams(JoinDirection::kForward, std::nullopt), seed);
    ExpectStreamEqualsBatch(TickParams(JoinDirection::kNearest, std::nullopt), seed);
    ExpectStreamEqualsBatch(TickParams(JoinDirection::kNearest, 20 * kSecond), seed);
    ExpectStreamEqualsBatch(TickParams(JoinDirection::kBackward, 45 * kSecond), seed);
  }
}

TEST(StreamEngineTest, BarsLagScanEqualsBatch) {
  for (std::uint64_t seed = 21; seed <= 26; ++seed) {
    ExpectStreamEqualsBatch(BarsParams(-2, 3, Interval::Fixed(15 * kMinute)), seed);
  }
  ExpectStreamEqualsBatch(BarsParams(0, 0, Interval::Fixed(kMinute * 60)), 27);
  ExpectStreamEqualsBatch(BarsParams(-4, -1, Interval::Fixed(7 * kMinute)), 28);
}

TEST(StreamEngineTest, CalendarMonthWindowsEqualBatch) {
  // The data's 150 minutes start at 2018-07-31T23:00:00Z: a July and an August window.
  constexpr std::int64_t kToMonthEnd = 1'533'078'000 * kSecond - kStart;
  ExpectStreamEqualsBatch(BarsParams(-1, 1, Interval::Months(1)), 41, kToMonthEnd, 2);
  ExpectStreamEqualsBatch(TickParams(JoinDirection::kBackward, std::nullopt), 42, kToMonthEnd);
  AnalysisParams monthly_ticks = TickParams(JoinDirection::kNearest, 30 * kSecond);
  monthly_ticks.window = Interval::Months(1);
  ExpectStreamEqualsBatch(monthly_ticks, 43, kToMonthEnd, 2);
}

// Without allowed lateness (events in time order, ties included) the watermark may follow
// every event to its own time: the tightest a stream can run, and still the batch rows.
TEST(StreamEngineTest, ZeroLatenessOnEventsInTimeOrderEqualsBatch) {
  for (const AnalysisParams& params : {BarsParams(-2, 3, Interval::Fixed(15 * kMinute)),
                                       TickParams(JoinDirection::kNearest, 20 * kSecond)}) {
    const std::vector<InputEvent> events = RandomEvents(51, 90, 0);
    ASSERT_TRUE(std::ranges::is_sorted(events, {}, &InputEvent::timestamp));
    const Result<std::vector<CorrelationRow>> batch = Analyze(BatchData(events), params);
    ASSERT_TRUE(batch.ok());
    ASSERT_GT(batch->size(), 6U);
    Result<StreamEngine> engine = StreamEngine::Create(params);
    ASSERT_TRUE(engine.ok());
    std::vector<CorrelationRow> rows;
    for (const InputEvent& event : events) {
      for (const EventOutcome outcome : Deliver(*engine, event)) {
        EXPECT_EQ(outcome, EventOutcome::kAccepted);
      }
      engine->AdvanceWatermark(event.timestamp, rows);
    }
    const std::size_t closed_on_the_way = rows.size();
    engine->Finish(rows);
    EXPECT_LT(closed_on_the_way, rows.size()) << "the last window closes at the end";
    EXPECT_GT(closed_on_the_way, 0U) << "windows close as the watermark passes them";
    ExpectSameRows(rows, *batch);
  }
}

TEST(StreamEngineTest, StateDecodesOnlyIntoTheSameParameters) {
  Result<StreamEngine> engine =
      StreamEngine::Create(BarsParams(-1, 1, Interval::Fixed(kMinute * 10)));
  ASSERT_TRUE(engine.ok());
  for (const InputEvent& event : RandomEvents(41, 30, 0)) Deliver(*engine, event);
  StateWriter writer;
  engine->EncodeState(writer);
  const std::string bytes = std::move(writer).Take();
  Result<StreamEngine> other =
      StreamEngine::Create(BarsParams(-1, 2, Interval::Fixed(kMinute * 10)));
  ASSERT_TRUE(other.ok());
  StateReader reader(bytes);
  EXPECT_FALSE(other->DecodeState(reader).ok());
  // Every truncation is refused, never a crash.
  for (std::size_t length = 0; length < bytes.size(); length += 7) {
    Result<StreamEngine> same = StreamEngine::Create(engine->params());
    StateReader truncated(std::string_view(bytes).substr(0, length));
    const Status status = same->DecodeState(truncated);
    EXPECT_TRUE(!status.ok() || !truncated.ExpectEnd().ok());
  }
}

TEST(StreamEngineTest, RefusesCompatAndAllTimeWindows) {
  AnalysisParams params = TickParams(JoinDirection::kBackward, std::nullopt);
  params.window.reset();
  EXPECT_FALSE(StreamEngine::Create(params).ok());
  params.window = Interval::Fixed(kMinute);
  params.mode = AnalysisMode::kCompat;
  params.direction.reset();
  EXPECT_FALSE(StreamEngine::Create(params).ok());
}

TEST(StreamEngineTest, LateAndDuplicateEventsAreRefusedAndUnused) {
  const AnalysisParams params = TickParams(JoinDirection::kBackward, std::nullopt);
  Result<StreamEngine> engine = StreamEngine::Create(params);
  ASSERT_TRUE(engine.ok());
  const StreamSentiment tweet{kStart, 0.5, "BTC", EventKey{1, 2}};
  EXPECT_EQ(engine->OnSentiment(tweet), EventOutcome::kAccepted);
  EXPECT_EQ(engine->OnSentiment(tweet), EventOutcome::kDuplicate);
  // The same tweet for another coin is another message, not a duplicate.
  EXPECT_EQ(engine->OnSentiment(StreamSentiment{kStart, 0.5, "ETH", EventKey{1, 2}}),
            EventOutcome::kAccepted);
  const StreamTrade trade{kStart + kSecond, 6000, 1, "COINBASE_SPOT_BTC_USD", "BTC", {3, 4}};
  EXPECT_EQ(engine->OnTrade(trade), EventOutcome::kAccepted);
  EXPECT_EQ(engine->OnTrade(trade), EventOutcome::kDuplicate);
  std::vector<CorrelationRow> rows;
  engine->AdvanceWatermark(kStart + kMinute, rows);
  EXPECT_EQ(engine->buffered_events(), 0U);
  // Once released, a copy is older than the watermark: late, whatever it duplicates.
  EXPECT_EQ(engine->OnTrade(trade), EventOutcome::kLate);
  EXPECT_EQ(engine->OnSentiment(StreamSentiment{kStart + kMinute - 1, 0.1, "BTC", {5, 6}}),
            EventOutcome::kLate);
  EXPECT_EQ(engine->OnSentiment(StreamSentiment{kStart + kMinute, 0.1, "BTC", {5, 6}}),
            EventOutcome::kAccepted);
  engine->Finish(rows);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].statistics.n, 1);
  EXPECT_EQ(
      engine->OnTrade(StreamTrade{kStart + kMinute * 99, 6000, 1, "X_Y_BTC_USD", "BTC", {7, 8}}),
      EventOutcome::kLate);
}

TEST(StreamEngineTest, StateIsBoundedByOpenWindows) {
  const AnalysisParams params = BarsParams(-2, 2, Interval::Fixed(10 * kMinute));
  const std::vector<InputEvent> events = RandomEvents(31, 600, kLateness);
  Result<StreamEngine> engine = StreamEngine::Create(params);
  ASSERT_TRUE(engine.ok());
  std::vector<CorrelationRow> rows;
  std::size_t largest_open = 0;
  TimestampNs max_seen = events.front().timestamp;
  for (const InputEvent& event : events) {
    Deliver(*engine, event);
    max_seen = std::max(max_seen, event.timestamp);
    engine->AdvanceWatermark(max_seen - kLateness, rows);
    largest_open = std::max(largest_open, engine->open_windows());
  }
  // Ten hours of 10-minute windows: at most one open and one closing per symbol at a time.
  EXPECT_LE(largest_open, 2 * Symbols().size());
  EXPECT_GT(rows.size(), 100U);
}

}  // namespace
}  // namespace cryptomood
