// Checkpointing the correlation operators: an operator saved at any point of a time-ordered
// stream and restored into a fresh one continues to the same windows, bit for bit, as the one
// that never stopped. Also: Combine of partial accumulators equals one pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "core/bars_correlation.h"
#include "core/co_moments.h"
#include "core/correlation_accumulator.h"
#include "core/rank_correlation.h"
#include "core/state_codec.h"
#include "core/tick_correlation.h"

namespace cryptomood {
namespace {

static_assert(std::is_copy_constructible_v<TickCorrelation> &&
              std::is_copy_assignable_v<TickCorrelation>);
static_assert(std::is_copy_constructible_v<BarsCorrelation> &&
              std::is_copy_assignable_v<BarsCorrelation>);

constexpr TimestampNs kMinute = 60 * kNanosPerSecond;
constexpr TimestampNs kHour = 60 * kMinute;
// 2021-01-01T00:00:00Z plus a few odd minutes, so windows do not start with the data.
constexpr TimestampNs kStart = 1'609'459'200 * kNanosPerSecond + 7 * kMinute;

std::optional<std::uint64_t> Bits(std::optional<double> value) {
  if (!value) return std::nullopt;
  return std::bit_cast<std::uint64_t>(*value);
}

// Everything a closed window reports, doubles by bit pattern, so == means bit for bit.
struct AccumulatorDigest {
  std::int64_t count = 0;
  std::optional<TimestampNs> first;
  std::optional<TimestampNs> last;
  std::array<std::optional<std::uint64_t>, 5> moments;  // mean x, mean y, m2 x, m2 y, c xy
  std::int64_t n = 0;
  std::array<std::optional<std::uint64_t>, 5> statistics;  // pearson .. ci_high
  bool operator==(const AccumulatorDigest&) const = default;
};

struct WindowDigest {
  std::optional<TimestampNs> start;
  std::optional<TimestampNs> end;
  std::vector<AccumulatorDigest> accumulators;
  bool operator==(const WindowDigest&) const = default;
};

std::ostream& operator<<(std::ostream& out, const WindowDigest& window) {
  out << "window [" << window.start.value_or(-1) << ", " << window.end.value_or(-1) << ")";
  for (const AccumulatorDigest& accumulator : window.accumulators) {
    out << " {n=" << accumulator.n << " first=" << accumulator.first.value_or(-1)
        << " last=" << accumulator.last.value_or(-1)
        << " pearson_bits=" << accumulator.statistics[0].value_or(0) << "}";
  }
  return out;
}

AccumulatorDigest Digest(const CorrelationAccumulator& accumulator, SpearmanScratch& scratch) {
  const CoMoments& moments = accumulator.moments();
  const CorrelationStatistics statistics = accumulator.Summarize(PriceSide::kFirst, scratch);
  return AccumulatorDigest{
      accumulator.count(),
      accumulator.first_timestamp(),
      accumulator.last_timestamp(),
      {Bits(moments.mean_x()), Bits(moments.mean_y()), Bits(moments.m2_x()), Bits(moments.m2_y()),
       Bits(moments.c_xy())},
      statistics.n,
      {Bits(statistics.pearson), Bits(statistics.spearman), Bits(statistics.p_value),
       Bits(statistics.ci_low), Bits(statistics.ci_high)}};
}

// The Emit of both operators: digests every closed window into windows.
struct Collector {
  std::vector<WindowDigest>* windows;
  SpearmanScratch* scratch;

  void operator()(const WindowBounds& bounds, CorrelationAccumulator&& accumulator) const {
    windows->push_back(WindowDigest{bounds.start, bounds.end, {Digest(accumulator, *scratch)}});
  }
  void operator()(const WindowBounds& bounds, std::vector<CorrelationAccumulator>&& by_lag) const {
    WindowDigest window{bounds.start, bounds.end, {}};
    for (const CorrelationAccumulator& accumulator : by_lag) {
      window.accumulators.push_back(Digest(accumulator, *scratch));
    }
    windows->push_back(std::move(window));
  }
};

// One step of a stream: an event, or a watermark.
struct Step {
  enum class Kind { kSentiment, kTrade, kWatermark };
  Kind kind;
  TimestampNs timestamp;
  double value = 0;  // polarity or price
  double size = 0;
};

// A random stream over several hours: ties at equal timestamps (sentiment first), gaps that
// leave windows and bars empty, polarities with repeats (Spearman ties), a random-walk price,
// and watermarks at random points, each at most the next event's timestamp and never behind
// the previous one.
std::vector<Step> RandomStream(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto events = static_cast<std::size_t>(20 + engine() % 300);
  std::vector<Step> stream;
  TimestampNs time = kStart;
  double price = 100.0 * std::exp(normal(engine));
  for (std::size_t i = 0; i < events; ++i) {
    const double gap = unit(engine);
    if (gap < 0.03) {
      time += 2 * kHour + static_cast<TimestampNs>(engine() % static_cast<std::uint64_t>(kHour));
    } else if (gap > 0.3) {
      time += static_cast<TimestampNs>(engine() % static_cast<std::uint64_t>(12 * kMinute));
    }  // else a tie with the previous event
    if (unit(engine) < 0.45) {
      const double polarity = unit(engine) < 0.3 ? std::round(unit(engine) * 4.0) / 2.0 - 1.0
                                                 : 2.0 * unit(engine) - 1.0;
      stream.push_back(Step{Step::Kind::kSentiment, time, polarity, 0});
    } else {
      price *= std::exp(0.01 * normal(engine));
      stream.push_back(Step{Step::Kind::kTrade, time, price, unit(engine)});
    }
  }
  // At equal timestamps sentiment goes before trades (kSentiment < kTrade).
  std::stable_sort(stream.begin(), stream.end(), [](const Step& a, const Step& b) {
    return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.kind < b.kind;
  });
  std::vector<Step> with_watermarks;
  TimestampNs watermark = kStart - kHour;
  for (const Step& event : stream) {
    if (unit(engine) < 0.3) {
      const auto room = static_cast<std::uint64_t>(event.timestamp - watermark);
      watermark += unit(engine) < 0.2 ? static_cast<TimestampNs>(room)
                                      : static_cast<TimestampNs>(engine() % (room + 1));
      with_watermarks.push_back(Step{Step::Kind::kWatermark, watermark});
    }
    with_watermarks.push_back(event);
  }
  if (unit(engine) < 0.5) {  // sometimes a last watermark past the data, before Finish
    with_watermarks.push_back(Step{Step::Kind::kWatermark, stream.back().timestamp + 3 * kHour});
  }
  return with_watermarks;
}

template <typename Operator>
void Apply(Operator& correlation, const Step& step, const Collector& emit) {
  switch (step.kind) {
    case Step::Kind::kSentiment:
      correlation.OnSentiment(SentimentPoint{step.timestamp, step.value});
      return;
    case Step::Kind::kTrade:
      correlation.OnTrade(TradePoint{step.timestamp, step.value, step.size});
      return;
    case Step::Kind::kWatermark:
      correlation.AdvanceWatermark(step.timestamp, emit);
      return;
  }
}

// Runs the stream through `make()` uninterrupted, and again saving it after a random number
// of steps and continuing in a `make()` restored from the saved state: a fresh one, or for
// odd seeds one that has already seen part of another stream (restoring replaces all state).
// The windows the restored operator emits must be exactly those the uninterrupted one emits
// after that point.
template <typename MakeOperator>
void ExpectRestoredRunMatches(MakeOperator make, std::uint64_t seed) {
  const std::vector<Step> stream = RandomStream(seed);
  const std::size_t cut = std::mt19937_64(seed ^ 0x5EED)() % (stream.size() + 1);
  SpearmanScratch scratch;
  std::vector<WindowDigest> uninterrupted_windows;
  std::vector<WindowDigest> restored_windows;
  const Collector uninterrupted_emit{&uninterrupted_windows, &scratch};
  const Collector restored_emit{&restored_windows, &scratch};

  auto uninterrupted = make();
  for (std::size_t i = 0; i < cut; ++i) Apply(uninterrupted, stream[i], uninterrupted_emit);
  const std::string saved = SaveState(uninterrupted);
  auto restored = make();
  const bool reused = seed % 2 == 1;
  if (reused) {
    std::vector<WindowDigest> ignored;
    const std::vector<Step> other = RandomStream(seed * 31);
    for (std::size_t i = 0; i < other.size() / 2; ++i) {
      Apply(restored, other[i], Collector{&ignored, &scratch});
    }
  }
  const Status status = RestoreState(saved, restored);
  ASSERT_TRUE(status.ok()) << status.error().message;
  if (!reused) {  // a reused tick operator may have spent its reservation hint, which is saved
    EXPECT_EQ(SaveState(restored), saved) << "the restored state saves differently";
  }
  const std::size_t emitted_before_cut = uninterrupted_windows.size();

  for (std::size_t i = cut; i < stream.size(); ++i) {
    Apply(uninterrupted, stream[i], uninterrupted_emit);
    Apply(restored, stream[i], restored_emit);
  }
  uninterrupted.Finish(uninterrupted_emit);
  restored.Finish(restored_emit);
  EXPECT_EQ(uninterrupted.open_windows(), 0U);
  EXPECT_EQ(restored.open_windows(), 0U);

  const std::vector<WindowDigest> after_cut(
      uninterrupted_windows.begin() + static_cast<std::ptrdiff_t>(emitted_before_cut),
      uninterrupted_windows.end());
  ASSERT_EQ(restored_windows.size(), after_cut.size()) << "cut after " << cut << " steps";
  for (std::size_t i = 0; i < after_cut.size(); ++i) {
    EXPECT_EQ(restored_windows[i], after_cut[i]) << "window " << i << ", cut after " << cut;
  }
}

constexpr int kSeedsPerConfiguration = 40;

TEST(OperatorStateTest, TickCorrelationContinuesBitForBitAfterRestore) {
  std::uint64_t seed = 1000;
  for (const JoinDirection direction :
       {JoinDirection::kBackward, JoinDirection::kForward, JoinDirection::kNearest}) {
    for (const std::optional<std::int64_t> tolerance :
         {std::optional<std::int64_t>(), std::optional<std::int64_t>(10 * kMinute)}) {
      for (const std::optional<Interval> window :
           {std::optional<Interval>(), std::optional<Interval>(Interval::Fixed(kHour))}) {
        for (int round = 0; round < kSeedsPerConfiguration; ++round) {
          SCOPED_TRACE("direction " + std::to_string(static_cast<int>(direction)) +
                       (tolerance ? " with tolerance" : "") + (window ? " windowed" : "") +
                       " seed " + std::to_string(seed));
          ExpectRestoredRunMatches(
              [&] {
                return TickCorrelation(direction, tolerance, window, round % 2 == 0 ? 50 : 0);
              },
              seed++);
        }
      }
    }
  }
}

TEST(OperatorStateTest, BarsCorrelationContinuesBitForBitAfterRestore) {
  std::uint64_t seed = 5000;
  for (const LagRange lags : {LagRange{-3, 2}, LagRange{0, 0}, LagRange{1, 3}}) {
    for (const std::optional<Interval> window :
         {std::optional<Interval>(Interval::Fixed(kHour)), std::optional<Interval>()}) {
      for (int round = 0; round < kSeedsPerConfiguration; ++round) {
        SCOPED_TRACE("lags " + std::to_string(lags.first) + ":" + std::to_string(lags.last) +
                     (window ? " windowed" : "") + " seed " + std::to_string(seed));
        ExpectRestoredRunMatches(
            [&] { return BarsCorrelation(Interval::Fixed(10 * kMinute), lags, window); }, seed++);
      }
    }
  }
}

TEST(OperatorStateTest, CopiedOperatorContinuesLikeTheOriginal) {
  // The stream engine starts a new symbol from a copy of a prototype that has seen sentiment.
  const std::vector<Step> stream = RandomStream(99);
  SpearmanScratch scratch;
  std::vector<WindowDigest> original_windows;
  std::vector<WindowDigest> copy_windows;
  BarsCorrelation original(Interval::Fixed(10 * kMinute), LagRange{-1, 1}, Interval::Fixed(kHour));
  const std::size_t half = stream.size() / 2;
  for (std::size_t i = 0; i < half; ++i) {
    Apply(original, stream[i], Collector{&original_windows, &scratch});
  }
  original_windows.clear();
  BarsCorrelation copy = original;
  for (std::size_t i = half; i < stream.size(); ++i) {
    Apply(original, stream[i], Collector{&original_windows, &scratch});
    Apply(copy, stream[i], Collector{&copy_windows, &scratch});
  }
  original.Finish(Collector{&original_windows, &scratch});
  copy.Finish(Collector{&copy_windows, &scratch});
  EXPECT_EQ(copy_windows, original_windows);
}

// Feeds the first `steps` steps of a stream, for a state worth saving.
template <typename Operator>
Operator Fed(Operator correlation, std::uint64_t seed, std::size_t steps) {
  const std::vector<Step> stream = RandomStream(seed);
  std::vector<WindowDigest> ignored;
  SpearmanScratch scratch;
  for (std::size_t i = 0; i < std::min(steps, stream.size()); ++i) {
    Apply(correlation, stream[i], Collector{&ignored, &scratch});
  }
  return correlation;
}

TEST(OperatorStateTest, RestoreRejectsADifferentConfiguration) {
  const TickCorrelation tick =
      Fed(TickCorrelation(JoinDirection::kNearest, 5 * kMinute, Interval::Fixed(kHour)), 7, 100);
  const std::string saved = SaveState(tick);
  TickCorrelation other_direction(JoinDirection::kForward, 5 * kMinute, Interval::Fixed(kHour));
  EXPECT_FALSE(RestoreState(saved, other_direction).ok());
  TickCorrelation other_tolerance(JoinDirection::kNearest, std::nullopt, Interval::Fixed(kHour));
  EXPECT_FALSE(RestoreState(saved, other_tolerance).ok());
  TickCorrelation other_window(JoinDirection::kNearest, 5 * kMinute, Interval::Fixed(2 * kHour));
  EXPECT_FALSE(RestoreState(saved, other_window).ok());

  const BarsCorrelation bars = Fed(
      BarsCorrelation(Interval::Fixed(kMinute), LagRange{-3, 2}, Interval::Fixed(kHour)), 7, 100);
  const std::string bars_saved = SaveState(bars);
  BarsCorrelation other_lags(Interval::Fixed(kMinute), LagRange{-3, 3}, Interval::Fixed(kHour));
  EXPECT_FALSE(RestoreState(bars_saved, other_lags).ok());
  BarsCorrelation other_interval(Interval::Fixed(2 * kMinute), LagRange{-3, 2},
                                 Interval::Fixed(kHour));
  EXPECT_FALSE(RestoreState(bars_saved, other_interval).ok());
  // Kinds differ, so one operator's state never decodes as the other's.
  TickCorrelation tick_target(JoinDirection::kNearest, 5 * kMinute, Interval::Fixed(kHour));
  EXPECT_FALSE(RestoreState(bars_saved, tick_target).ok());
}

// Decoding corrupt payloads (the envelope's checksum bypassed) fails or succeeds, never
// crashes; every truncation fails; a failed restore leaves the target unchanged.
template <typename Operator>
void ExpectCorruptPayloadsAreHandled(const Operator& saved_operator, const Operator& fresh) {
  StateWriter writer;
  saved_operator.EncodeState(writer);
  const std::string payload = writer.bytes();
  const std::string fresh_state = SaveState(fresh);
  for (std::size_t length = 0; length < payload.size(); ++length) {
    Operator target = fresh;
    const Status status = RestoreState(
        SealState(Operator::kStateKind, Operator::kStateVersion, payload.substr(0, length)),
        target);
    ASSERT_FALSE(status.ok()) << "payload truncated to " << length;
    ASSERT_EQ(SaveState(target), fresh_state) << "a failed restore changed the target";
  }
  std::mt19937_64 engine(payload.size());
  for (std::size_t position = 0; position < payload.size(); ++position) {
    std::string corrupt = payload;
    corrupt[position] = static_cast<char>(corrupt[position] ^ (1 + engine() % 255));
    Operator target = fresh;
    const Status status =
        RestoreState(SealState(Operator::kStateKind, Operator::kStateVersion, corrupt), target);
    if (!status.ok()) {
      ASSERT_EQ(SaveState(target), fresh_state);
    }
  }
}

TEST(OperatorStateTest, CorruptPayloadsAreRejectedOrDecodedWithoutCrashing) {
  for (const JoinDirection direction : {JoinDirection::kForward, JoinDirection::kNearest}) {
    const TickCorrelation fresh(direction, std::nullopt, Interval::Fixed(kHour));
    ExpectCorruptPayloadsAreHandled(Fed(fresh, 21, 40), fresh);
  }
  const BarsCorrelation fresh(Interval::Fixed(10 * kMinute), LagRange{-3, 2},
                              Interval::Fixed(kHour));
  ExpectCorruptPayloadsAreHandled(Fed(fresh, 22, 80), fresh);
}

TEST(OperatorStateTest, StateStaysBoundedWhileWatermarksAdvance) {
  // A day of one trade and one tweet a minute, watermark at every event: at most the current
  // window and the one before it stay open, whatever the length of the stream.
  TickCorrelation tick(JoinDirection::kNearest, std::nullopt, Interval::Fixed(kHour));
  BarsCorrelation bars(Interval::Fixed(5 * kMinute), LagRange{-3, 2}, Interval::Fixed(kHour));
  std::vector<WindowDigest> windows;
  SpearmanScratch scratch;
  const Collector emit{&windows, &scratch};
  std::size_t most_open = 0;
  std::size_t most_bytes = 0;
  for (TimestampNs time = kStart; time < kStart + 24 * kHour; time += kMinute) {
    tick.AdvanceWatermark(time, emit);
    bars.AdvanceWatermark(time, emit);
    const auto minute = static_cast<double>(time - kStart) / static_cast<double>(kMinute);
    const SentimentPoint tweet{time, std::sin(minute)};
    const TradePoint trade{time, 100.0 + std::cos(minute), 1.0};
    tick.OnSentiment(tweet);
    bars.OnSentiment(tweet);
    tick.OnTrade(trade);
    bars.OnTrade(trade);
    most_open = std::max({most_open, tick.open_windows(), bars.open_windows()});
    most_bytes = std::max({most_bytes, tick.state_bytes(), bars.state_bytes()});
  }
  EXPECT_LE(most_open, 2U);
  EXPECT_GT(most_bytes, 0U);
  // An hour's pairs (60 of them, 16 bytes each) with slack for growth and bookkeeping.
  EXPECT_LT(most_bytes, 8U * 1024U);
  EXPECT_GE(windows.size(), 2U * 23U);
}

// ---- Combine ----

struct Sample {
  std::vector<TimestampNs> timestamps;
  std::vector<double> x;
  std::vector<double> y;
};

// Correlated pairs far from zero with a small spread (the hard case for moments), with ties.
Sample RandomSample(std::mt19937_64& engine, std::size_t n) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Sample sample;
  for (std::size_t i = 0; i < n; ++i) {
    const double common = normal(engine);
    sample.timestamps.push_back(kStart + static_cast<TimestampNs>(engine() % (1U << 30)));
    sample.x.push_back(6000.0 + 0.25 * std::round(4.0 * common));
    sample.y.push_back(0.3 * common + 0.2 * normal(engine));
  }
  return sample;
}

// 2 to 5 contiguous parts at random cut points (parts may be empty).
std::vector<std::size_t> RandomCuts(std::mt19937_64& engine, std::size_t n) {
  const std::size_t parts = 2 + engine() % 4;
  std::vector<std::size_t> cuts = {0, n};
  for (std::size_t i = 1; i < parts; ++i) cuts.push_back(engine() % (n + 1));
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

void ExpectRelativelyNear(double actual, double expected, const char* what) {
  const double scale = std::max(std::abs(actual), std::abs(expected));
  EXPECT_LE(std::abs(actual - expected), 1e-12 * scale)
      << what << ": " << actual << " vs " << expected;
}

void ExpectRelativelyNear(std::optional<double> actual, std::optional<double> expected,
                          const char* what) {
  ASSERT_EQ(actual.has_value(), expected.has_value()) << what;
  if (actual) ExpectRelativelyNear(*actual, *expected, what);
}

void ExpectMomentsNear(const CoMoments& actual, const CoMoments& expected) {
  EXPECT_EQ(actual.count(), expected.count());
  ExpectRelativelyNear(actual.mean_x(), expected.mean_x(), "mean x");
  ExpectRelativelyNear(actual.mean_y(), expected.mean_y(), "mean y");
  ExpectRelativelyNear(actual.m2_x(), expected.m2_x(), "m2 x");
  ExpectRelativelyNear(actual.m2_y(), expected.m2_y(), "m2 y");
  ExpectRelativelyNear(actual.c_xy(), expected.c_xy(), "c xy");
  ExpectRelativelyNear(actual.Pearson(), expected.Pearson(), "pearson");
}

TEST(OperatorStateTest, CombineOfRandomSplitsEqualsOnePass) {
  std::mt19937_64 engine(4242);
  SpearmanScratch scratch;
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 3 + engine() % 400;
    const Sample sample = RandomSample(engine, n);
    const std::vector<std::size_t> cuts = RandomCuts(engine, n);
    CorrelationAccumulator one_pass;
    CoMoments one_pass_moments;
    for (std::size_t i = 0; i < n; ++i) {
      one_pass.Add(sample.timestamps[i], sample.x[i], sample.y[i]);
      one_pass_moments.Add(sample.x[i], sample.y[i]);
    }
    CorrelationAccumulator combined;
    CoMoments combined_moments;
    for (std::size_t part = 0; part + 1 < cuts.size(); ++part) {
      CorrelationAccumulator accumulator;
      CoMoments moments;
      for (std::size_t i = cuts[part]; i < cuts[part + 1]; ++i) {
        accumulator.Add(sample.timestamps[i], sample.x[i], sample.y[i]);
        moments.Add(sample.x[i], sample.y[i]);
      }
      combined.Combine(accumulator);
      combined_moments.Combine(moments);
    }
    SCOPED_TRACE("round " + std::to_string(round) + ", " + std::to_string(cuts.size() - 1) +
                 " parts of " + std::to_string(n));
    ExpectMomentsNear(combined_moments, one_pass_moments);
    ExpectMomentsNear(combined.moments(), one_pass.moments());
    EXPECT_EQ(combined.count(), one_pass.count());
    EXPECT_EQ(combined.first_timestamp(), one_pass.first_timestamp());
    EXPECT_EQ(combined.last_timestamp(), one_pass.last_timestamp());
    const CorrelationStatistics actual = combined.Summarize(PriceSide::kFirst, scratch);
    const CorrelationStatistics expected = one_pass.Summarize(PriceSide::kFirst, scratch);
    EXPECT_EQ(actual.n, expected.n);
    ExpectRelativelyNear(actual.pearson, expected.pearson, "summarized pearson");
    ExpectRelativelyNear(actual.spearman, expected.spearman, "spearman");
    ASSERT_TRUE(expected.spearman.has_value());
  }
}

}  // namespace
}  // namespace cryptomood
