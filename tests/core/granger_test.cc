#include "core/granger.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "core/random.h"

namespace cryptomood {
namespace {

using Series = std::vector<std::optional<double>>;

struct Pair {
  Series cause;
  Series effect;
};

// effect_t = 0.3 effect_{t-1} + strength * cause_{t-lag} + noise, cause white noise.
Pair Linked(std::size_t n, double strength, std::size_t lag, std::uint64_t seed) {
  RandomGenerator random(seed);
  std::vector<double> cause(n);
  std::vector<double> effect(n, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    cause[t] = random.Normal();
    const double own = t > 0 ? 0.3 * effect[t - 1] : 0.0;
    const double driven = t >= lag ? strength * cause[t - lag] : 0.0;
    effect[t] = own + driven + random.Normal();
  }
  return {Series(cause.begin(), cause.end()), Series(effect.begin(), effect.end())};
}

TEST(GrangerTest, FindsACauseAndNotTheReverse) {
  const Pair pair = Linked(2000, 0.4, 1, 3);
  const GrangerResult forward = GrangerTest(pair.cause, pair.effect, 2);
  ASSERT_TRUE(forward.p_value && forward.p_value_hc1 && forward.f);
  EXPECT_LT(*forward.p_value, 1e-10);
  EXPECT_LT(*forward.p_value_hc1, 1e-10);
  EXPECT_EQ(forward.n, 1998u);
  EXPECT_EQ(forward.df_num, 2u);
  EXPECT_EQ(forward.df_den, 1998u - 5u);
  const GrangerResult reverse = GrangerTest(pair.effect, pair.cause, 2);
  ASSERT_TRUE(reverse.p_value);
  EXPECT_GT(*reverse.p_value, 0.001);
}

TEST(GrangerTest, GapsCutTheSample) {
  // p = 1 needs effect at t and t-1 and cause at t-1. A gap in the effect at 4 removes rows 4
  // and 5; a gap in the cause at 7 removes row 8; the cause's gap at 9 (its last bar) removes
  // nothing. Rows 1..9 minus {4, 5, 8}: 6.
  Pair pair = Linked(10, 0.4, 1, 5);
  pair.effect[4].reset();
  pair.cause[7].reset();
  pair.cause[9].reset();
  const GrangerResult result = GrangerTest(pair.cause, pair.effect, 1);
  EXPECT_EQ(result.n, 6u);
  EXPECT_EQ(result.df_den, 3u);
  EXPECT_TRUE(result.f.has_value());
}

TEST(GrangerTest, TooFewRowsAreUndefinedNotNaN) {
  // p = 2 on 7 bars: T = 5 rows, T - 2p - 1 = 0.
  const Pair pair = Linked(7, 0.4, 1, 5);
  const GrangerResult result = GrangerTest(pair.cause, pair.effect, 2);
  EXPECT_EQ(result.n, 5u);
  EXPECT_EQ(result.df_den, 0u);
  EXPECT_FALSE(result.f.has_value());
  EXPECT_FALSE(result.p_value.has_value());
  EXPECT_FALSE(result.p_value_hc1.has_value());
  EXPECT_TRUE(GrangerTest(pair.cause, pair.effect, 1).f.has_value());
}

TEST(GrangerTest, DegenerateDesignsAreUndefined) {
  const Pair pair = Linked(50, 0.4, 1, 5);
  // A constant cause repeats the constant column.
  const Series constant(50, 2.0);
  const GrangerResult flat = GrangerTest(constant, pair.effect, 1);
  EXPECT_FALSE(flat.f.has_value());
  EXPECT_FALSE(flat.p_value_hc1.has_value());
  // An effect that is exactly the cause's previous value: a perfect fit.
  Series echo(50);
  for (std::size_t t = 1; t < 50; ++t) echo[t] = pair.cause[t - 1];
  echo[0] = 0.0;
  EXPECT_FALSE(GrangerTest(pair.cause, echo, 1).f.has_value());
}

TEST(GrangerTest, LargestOrderFollowsTheRuleAndTheData) {
  // m = 100: round(12) = 12, within (100 - 3) / 3 = 32.
  const Pair hundred = Linked(100, 0.4, 1, 5);
  EXPECT_EQ(MaxVarLagOrder(hundred.cause, hundred.effect), 12u);
  // m = 10: round(12 * 0.1^0.25) = 7, capped at (10 - 3) / 3 = 2.
  const Pair ten = Linked(10, 0.4, 1, 5);
  EXPECT_EQ(MaxVarLagOrder(ten.cause, ten.effect), 2u);
  // m = 10 000: round(12 * 100^0.25) = round(37.9) = 38.
  const Pair many = Linked(10'000, 0.4, 1, 5);
  EXPECT_EQ(MaxVarLagOrder(many.cause, many.effect), 38u);
  const Pair tiny = Linked(5, 0.4, 1, 5);
  EXPECT_EQ(MaxVarLagOrder(tiny.cause, tiny.effect), 0u);
  EXPECT_FALSE(SelectVarLagOrder(tiny.cause, tiny.effect).has_value());
  EXPECT_EQ(AutoGrangerLags(tiny.cause, tiny.effect), 1u);
}

TEST(GrangerTest, AicFindsAPlantedLagAndIgnoresTheSeriesOrder) {
  const Pair pair = Linked(5000, 0.5, 3, 9);
  const std::optional<std::size_t> order = SelectVarLagOrder(pair.cause, pair.effect);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order, 3u);
  EXPECT_EQ(SelectVarLagOrder(pair.effect, pair.cause), order);
  EXPECT_EQ(AutoGrangerLags(pair.cause, pair.effect), 3u);
}

TEST(GrangerTest, AutoTestsAtLeastOneLag) {
  // Two independent white noises: AIC picks 0 lags, the test still needs one.
  RandomGenerator random(21);
  Series a(3000);
  Series b(3000);
  for (std::size_t t = 0; t < a.size(); ++t) {
    a[t] = random.Normal();
    b[t] = random.Normal();
  }
  ASSERT_EQ(SelectVarLagOrder(a, b), std::optional<std::size_t>(0));
  EXPECT_EQ(AutoGrangerLags(a, b), 1u);
}

}  // namespace
}  // namespace cryptomood
