#include "core/correlation_statistics.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

namespace cryptomood {
namespace {

// Closed forms of the two-sided Student t p-value for small degrees of freedom, rewritten in r.
// With t = r * sqrt(df / (1 - r^2)) one has t^2 / (df + t^2) = r^2, so theta = atan(|t| /
// sqrt(df)) = asin(|r|), and the textbook t distribution functions become:
//   df = 1 (Cauchy): p = 1 - (2/pi) atan|t|
//                      = (2/pi) acos|r|
//   df = 2:          p = 1 - |t| / sqrt(2 + t^2)
//                      = 1 - |r|
//   df = 3:          p = 1 - (2/pi)(theta + sin(theta) cos(theta))
//                      = 1 - (2/pi)(asin|r| + |r| sqrt(1 - r^2))
//   df = 4:          p = 1 - sin(theta) (1 + cos^2(theta) / 2)
//                      = 1 - |r| (1 + (1 - r^2) / 2)
double ClosedFormPValue(double r, int degrees_of_freedom) {
  const double a = std::abs(r);
  switch (degrees_of_freedom) {
    case 1:
      return 2.0 / std::numbers::pi * std::acos(a);
    case 2:
      return 1.0 - a;
    case 3:
      return 1.0 - 2.0 / std::numbers::pi * (std::asin(a) + a * std::sqrt(1.0 - a * a));
    case 4:
      return 1.0 - a * (1.0 + (1.0 - a * a) / 2.0);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// The r whose t statistic is t for n pairs: t = r sqrt(df / (1 - r^2)) <=> r = t / sqrt(t^2 + df).
double RFromT(double t, std::int64_t n) {
  return t / std::sqrt(t * t + static_cast<double>(n - 2));
}

TEST(PearsonPValueTest, MatchesClosedFormsForSmallSamples) {
  for (const double r : {-0.95, -0.5, -0.1, 0.05, 0.3, 0.5, 0.7, 0.99}) {
    for (int degrees_of_freedom = 1; degrees_of_freedom <= 4; ++degrees_of_freedom) {
      SCOPED_TRACE(testing::Message() << "r=" << r << " df=" << degrees_of_freedom);
      const auto p = PearsonPValue(r, degrees_of_freedom + 2);
      ASSERT_TRUE(p.has_value());
      EXPECT_NEAR(*p, ClosedFormPValue(r, degrees_of_freedom), 1e-14);
    }
  }
}

TEST(PearsonPValueTest, HandWorkedValues) {
  // n = 3, r = 0.5: p = (2/pi) acos(0.5) = (2/pi)(pi/3) = 2/3.
  EXPECT_NEAR(PearsonPValue(0.5, 3).value_or(99), 2.0 / 3.0, 1e-15);
  // n = 4, r = -0.8: p = 1 - 0.8 = 0.2.
  EXPECT_NEAR(PearsonPValue(-0.8, 4).value_or(99), 0.2, 1e-15);
}

TEST(PearsonPValueTest, MatchesPublishedCriticalValues) {
  // Two-sided critical values from a standard Student t table (6 decimals): at |t| = critical
  // value the p-value equals the table's significance level. Table rounding (5e-7 in t) moves
  // p by under 1e-7.
  struct Row {
    double critical_t;
    std::int64_t degrees_of_freedom;
    double alpha;
  };
  for (const Row row : {Row{2.306004, 8, 0.05}, Row{2.845340, 20, 0.01}, Row{2.042272, 30, 0.05},
                        Row{1.753050, 15, 0.10}}) {
    SCOPED_TRACE(row.degrees_of_freedom);
    const std::int64_t n = row.degrees_of_freedom + 2;
    EXPECT_NEAR(PearsonPValue(RFromT(row.critical_t, n), n).value_or(99), row.alpha, 3e-7);
    EXPECT_NEAR(PearsonPValue(-RFromT(row.critical_t, n), n).value_or(99), row.alpha, 3e-7);
  }
  // The classic rule of thumb: with n = 10, r = 0.6319 is just significant at 5%.
  EXPECT_NEAR(PearsonPValue(0.6319, 10).value_or(99), 0.05, 1e-4);
}

TEST(PearsonPValueTest, LargeSamplesApproachTheNormalDistribution) {
  // With df = 1e12 the t distribution equals the standard normal to ~1e-9 relative even at
  // t = 6, and the normal two-sided tail is erfc(t / sqrt(2)).
  const std::int64_t n = 1'000'000'000'002;
  for (const double t : {0.5, 1.959963984540054, 3.0, 6.0}) {
    SCOPED_TRACE(t);
    const double expected = std::erfc(t / std::numbers::sqrt2);
    const auto p = PearsonPValue(RFromT(t, n), n);
    ASSERT_TRUE(p.has_value());
    EXPECT_NEAR(*p, expected, 1e-6 * expected);
  }
}

TEST(PearsonPValueTest, TinyTailProbabilitiesKeepRelativeAccuracy) {
  // Close to |r| = 1, computing 1 - cdf would lose most digits; p must stay relatively exact.
  // df = 2: p = 1 - r, and 1 - r is exact in floating point here (Sterbenz).
  const double r = 1.0 - 3e-13;
  EXPECT_NEAR(PearsonPValue(r, 4).value_or(99), 1.0 - r, 1e-9 * (1.0 - r));
  // df = 1: p = (2/pi) acos(r), about 7.8e-7.
  const double cauchy = ClosedFormPValue(r, 1);
  EXPECT_NEAR(PearsonPValue(r, 3).value_or(99), cauchy, 1e-8 * cauchy);
  // df = 1e12, t = 30: the normal tail erfc(30 / sqrt 2), about 5e-198, far below 1 - cdf's
  // resolution (the t tail differs from the normal one by ~t^4 / (4 df) = 2e-7 relative).
  const std::int64_t n = 1'000'000'000'002;
  const double normal_tail = std::erfc(30.0 / std::numbers::sqrt2);
  EXPECT_NEAR(PearsonPValue(RFromT(30.0, n), n).value_or(99), normal_tail, 1e-5 * normal_tail);
  // A strong correlation in a large sample gives a p-value far below 1e-100, but not NaN.
  const auto tiny = PearsonPValue(0.9, 1000);
  ASSERT_TRUE(tiny.has_value());
  EXPECT_GE(*tiny, 0.0);
  EXPECT_LT(*tiny, 1e-100);
}

TEST(PearsonPValueTest, EdgeCases) {
  EXPECT_EQ(PearsonPValue(1.0, 10), 0.0);
  EXPECT_EQ(PearsonPValue(-1.0, 10), 0.0);
  EXPECT_EQ(PearsonPValue(1.0, 3), 0.0);
  EXPECT_NEAR(PearsonPValue(0.0, 50).value_or(99), 1.0, 1e-15);
  EXPECT_EQ(PearsonPValue(0.3, 50), PearsonPValue(-0.3, 50));
  EXPECT_FALSE(PearsonPValue(0.5, 2).has_value());
  EXPECT_FALSE(PearsonPValue(0.5, 0).has_value());
  EXPECT_FALSE(PearsonPValue(0.5, -7).has_value());
  EXPECT_FALSE(PearsonPValue(std::numeric_limits<double>::quiet_NaN(), 10).has_value());
}

TEST(PearsonPValueTest, ExtremeInputsNeitherThrowNorSetErrno) {
  const double extremes[] = {0.0,    -0.0,
                             1e-300, 4.9e-324,
                             0.5,    -0.999999999999,
                             1.5,    std::numeric_limits<double>::infinity()};
  const std::int64_t sizes[] = {3, 4, 1000, std::int64_t{1} << 53,
                                std::numeric_limits<std::int64_t>::max()};
  for (const double r : extremes) {
    for (const std::int64_t n : sizes) {
      SCOPED_TRACE(testing::Message() << "r=" << r << " n=" << n);
      errno = 0;
      std::optional<double> p;
      EXPECT_NO_THROW(p = PearsonPValue(r, n));
      EXPECT_NO_THROW((void)FisherConfidenceInterval(r, n));
      EXPECT_EQ(errno, 0);
      ASSERT_TRUE(p.has_value());
      EXPECT_GE(*p, 0.0);
      EXPECT_LE(*p, 1.0);
    }
  }
}

// Fisher's z written out independently of std::atanh / std::tanh:
// atanh(r) = ln((1 + r) / (1 - r)) / 2, tanh(z) = (e^(2z) - 1) / (e^(2z) + 1).
std::pair<double, double> FisherByLogAndExp(double r, std::int64_t n, double quantile) {
  const double z = 0.5 * std::log((1.0 + r) / (1.0 - r));
  const double half_width = quantile / std::sqrt(static_cast<double>(n - 3));
  const auto tanh = [](double v) { return (std::exp(2 * v) - 1) / (std::exp(2 * v) + 1); };
  return {tanh(z - half_width), tanh(z + half_width)};
}

TEST(FisherConfidenceIntervalTest, HandWorkedValue) {
  // r = 0.5, n = 28: atanh(0.5) = ln(3)/2 = 0.5493061443340549, sqrt(n - 3) = 5,
  // z = 0.5493061443 -/+ 1.959963984540054 / 5 = (0.1573133474, 0.9412989412),
  // tanh of those = (0.1560283625, 0.7358184794).
  const auto interval = FisherConfidenceInterval(0.5, 28);
  ASSERT_TRUE(interval.has_value());
  EXPECT_NEAR(interval->first, 0.15602836252908606, 1e-12);
  EXPECT_NEAR(interval->second, 0.7358184794439376, 1e-12);
}

TEST(FisherConfidenceIntervalTest, MatchesIndependentFormula) {
  for (const double r : {-0.9, -0.3, 0.0, 0.1, 0.6319, 0.95}) {
    for (const std::int64_t n : {4, 5, 10, 100, 100000}) {
      SCOPED_TRACE(testing::Message() << "r=" << r << " n=" << n);
      const auto interval = FisherConfidenceInterval(r, n);
      ASSERT_TRUE(interval.has_value());
      const auto expected = FisherByLogAndExp(r, n, 1.959963984540054);
      EXPECT_NEAR(interval->first, expected.first, 1e-13);
      EXPECT_NEAR(interval->second, expected.second, 1e-13);
      EXPECT_LE(interval->first, r);
      EXPECT_GE(interval->second, r);
    }
  }
}

TEST(FisherConfidenceIntervalTest, OtherCoverage) {
  // 99%: the normal quantile 2.575829303549 gives a wider interval.
  const auto wide = FisherConfidenceInterval(0.4, 30, 2.575829303549);
  const auto expected = FisherByLogAndExp(0.4, 30, 2.575829303549);
  ASSERT_TRUE(wide.has_value());
  EXPECT_NEAR(wide->first, expected.first, 1e-13);
  EXPECT_NEAR(wide->second, expected.second, 1e-13);
  const auto narrow = FisherConfidenceInterval(0.4, 30);
  ASSERT_TRUE(narrow.has_value());
  EXPECT_LT(wide->first, narrow->first);
  EXPECT_GT(wide->second, narrow->second);
}

TEST(FisherConfidenceIntervalTest, EdgeCases) {
  EXPECT_FALSE(FisherConfidenceInterval(0.5, 3).has_value());
  EXPECT_FALSE(FisherConfidenceInterval(0.5, 0).has_value());
  EXPECT_FALSE(FisherConfidenceInterval(std::numeric_limits<double>::quiet_NaN(), 10).has_value());
  EXPECT_EQ(FisherConfidenceInterval(1.0, 10), std::pair(1.0, 1.0));
  EXPECT_EQ(FisherConfidenceInterval(-1.0, 4), std::pair(-1.0, -1.0));
  const auto symmetric = FisherConfidenceInterval(0.0, 12);
  ASSERT_TRUE(symmetric.has_value());
  EXPECT_DOUBLE_EQ(symmetric->first, -symmetric->second);
  // n = 4: sqrt(n - 3) = 1, so z = atanh(r) -/+ 1.959963984540054.
  const auto smallest = FisherConfidenceInterval(0.2, 4);
  ASSERT_TRUE(smallest.has_value());
  EXPECT_NEAR(smallest->first, std::tanh(std::atanh(0.2) - 1.959963984540054), 1e-15);
}

TEST(SummarizeTest, FillsEveryFieldForTheHandWorkedExample) {
  // x = 1..5, y = (2, 4, 5, 4, 5): r = sqrt(0.6) (see co_moments_test.cc) and
  // rho = 7 / sqrt(90) (see rank_correlation_test.cc).
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {2, 4, 5, 4, 5};
  CoMoments moments;
  for (std::size_t i = 0; i < x.size(); ++i) moments.Add(x[i], y[i]);
  const CorrelationStatistics statistics = Summarize(moments, x, y, PriceSide::kFirst);
  const double r = std::sqrt(0.6);
  EXPECT_EQ(statistics.n, 5);
  EXPECT_NEAR(statistics.pearson.value_or(99), r, 1e-15);
  EXPECT_NEAR(statistics.spearman.value_or(99), 7.0 / std::sqrt(90.0), 1e-15);
  // df = 3 closed form: 1 - (2/pi)(asin(sqrt 0.6) + sqrt(0.6 * 0.4)) = 0.12402706265755...
  EXPECT_NEAR(statistics.p_value.value_or(99), ClosedFormPValue(r, 3), 1e-14);
  EXPECT_NEAR(statistics.p_value.value_or(99), 0.1240270626575547, 1e-14);
  // n - 3 = 2: tanh(atanh(sqrt 0.6) -/+ 1.959963984540054 / sqrt 2).
  const auto expected = FisherByLogAndExp(r, 5, 1.959963984540054);
  EXPECT_NEAR(statistics.ci_low.value_or(99), expected.first, 1e-13);
  EXPECT_NEAR(statistics.ci_high.value_or(99), expected.second, 1e-13);
}

TEST(SummarizeTest, SmallSamplesAreNullNotZero) {
  const std::vector<double> x = {1, 2};
  const std::vector<double> y = {3, 5};
  CoMoments moments;
  moments.Add(1, 3);
  moments.Add(2, 5);
  const CorrelationStatistics two = Summarize(moments, x, y, PriceSide::kFirst);
  EXPECT_EQ(two.n, 2);
  EXPECT_FALSE(two.pearson || two.spearman || two.p_value || two.ci_low || two.ci_high);

  // n = 3: r and p are defined, the interval is not.
  const std::vector<double> x3 = {1, 2, 3};
  const std::vector<double> y3 = {1, 3, 2};
  CoMoments three;
  for (std::size_t i = 0; i < 3; ++i) three.Add(x3[i], y3[i]);
  const CorrelationStatistics statistics = Summarize(three, x3, y3, PriceSide::kFirst);
  EXPECT_NEAR(statistics.pearson.value_or(99), 0.5, 1e-15);
  EXPECT_NEAR(statistics.spearman.value_or(99), 0.5, 1e-15);
  EXPECT_NEAR(statistics.p_value.value_or(99), 2.0 / 3.0, 1e-14);
  EXPECT_FALSE(statistics.ci_low.has_value());
  EXPECT_FALSE(statistics.ci_high.has_value());
}

TEST(SummarizeTest, ZeroVarianceIsNull) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {0.5, 0.5, 0.5, 0.5, 0.5};
  CoMoments moments;
  for (std::size_t i = 0; i < x.size(); ++i) moments.Add(x[i], y[i]);
  const CorrelationStatistics statistics = Summarize(moments, x, y, PriceSide::kFirst);
  EXPECT_EQ(statistics.n, 5);
  EXPECT_FALSE(statistics.pearson || statistics.spearman || statistics.p_value ||
               statistics.ci_low || statistics.ci_high);
}

TEST(SummarizeTest, SpansOfOtherPairsGiveNullSpearman) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {1, 3, 2, 4};
  CoMoments moments;
  for (int i = 0; i < 5; ++i) moments.Add(i, i % 3);
  SpearmanScratch scratch;
  const CorrelationStatistics statistics = Summarize(moments, x, y, PriceSide::kFirst, scratch);
  EXPECT_TRUE(statistics.pearson.has_value());
  EXPECT_FALSE(statistics.spearman.has_value());
}

}  // namespace
}  // namespace cryptomood
