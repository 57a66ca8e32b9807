#include "core/stationarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/mackinnon_tables.h"
#include "support/cancel_after_polls.h"

namespace cryptomood {
namespace {

// Expected figures are statsmodels 0.13.5's (adfuller, kpss, mackinnonp, mackinnoncrit); the
// oracle test tests/python/stationarity_oracle.py compares many more series.
const std::vector<double> kSeries = {1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 11, 14, 13, 15};

TEST(MacKinnonTest, PValuesFollowTheSurfaceOnBothSidesOfTauStar) {
  EXPECT_NEAR(MacKinnonPValue(-3.0, TrendTerms::kConstant), 0.034894400275345266, 1e-15);
  EXPECT_NEAR(MacKinnonPValue(-1.0, TrendTerms::kConstant), 0.7532643012005655, 1e-15);
  EXPECT_NEAR(MacKinnonPValue(-3.5, TrendTerms::kConstantTrend), 0.03939102799324626, 1e-15);
  EXPECT_NEAR(MacKinnonPValue(0.0, TrendTerms::kConstantTrend), 0.9942331676947893, 1e-15);
}

TEST(MacKinnonTest, PValuesAreZeroAndOneBeyondTheCutOffs) {
  EXPECT_EQ(MacKinnonPValue(-19.0, TrendTerms::kConstant), 0.0);
  EXPECT_EQ(MacKinnonPValue(2.75, TrendTerms::kConstant), 1.0);
  EXPECT_EQ(MacKinnonPValue(-16.2, TrendTerms::kConstantTrend), 0.0);
  EXPECT_EQ(MacKinnonPValue(0.71, TrendTerms::kConstantTrend), 1.0);
}

TEST(MacKinnonTest, CriticalValuesAtAFiniteSample) {
  const auto c = MacKinnonCriticalValues(TrendTerms::kConstant, 250);
  EXPECT_NEAR(c[0], -3.45678086, 1e-8);
  EXPECT_NEAR(c[1], -2.87317151, 1e-8);
  EXPECT_NEAR(c[2], -2.57296854, 1e-8);
  const auto ct = MacKinnonCriticalValues(TrendTerms::kConstantTrend, 250);
  EXPECT_NEAR(ct[0], -3.99544583, 1e-8);
  EXPECT_NEAR(ct[1], -3.42819908, 1e-8);
  EXPECT_NEAR(ct[2], -3.13745663, 1e-8);
}

TEST(AdfTest, MatchesStatsmodelsOnAShortSeries) {
  const auto c = AugmentedDickeyFuller(kSeries, TrendTerms::kConstant);
  ASSERT_TRUE(c.has_value());
  EXPECT_NEAR(c->statistic, -0.20938951971256847, 1e-12);
  EXPECT_EQ(c->lags, 2);
  EXPECT_EQ(c->nobs, 12);
  EXPECT_NEAR(c->p_value, 0.9373931178195035, 1e-12);
  EXPECT_NEAR(c->critical_values[1], -3.1549724074074077, 1e-12);
  const auto ct = AugmentedDickeyFuller(kSeries, TrendTerms::kConstantTrend);
  ASSERT_TRUE(ct.has_value());
  EXPECT_NEAR(ct->statistic, -6.193113115981468, 1e-11);
  EXPECT_EQ(ct->lags, 1);
  EXPECT_EQ(ct->nobs, 13);
  EXPECT_NEAR(ct->p_value, 8.551144791751115e-07, 1e-15);
  EXPECT_NEAR(ct->critical_values[0], -4.8844381383705056, 1e-12);
}

TEST(AdfTest, UndefinedWhenTooShortConstantOrNotFinite) {
  EXPECT_FALSE(AugmentedDickeyFuller(std::vector<double>{1, 2, 4}, TrendTerms::kConstant));
  EXPECT_TRUE(AugmentedDickeyFuller(std::vector<double>{1, 2, 4, 3}, TrendTerms::kConstant));
  EXPECT_FALSE(
      AugmentedDickeyFuller(std::vector<double>{1, 2, 4, 3, 5}, TrendTerms::kConstantTrend));
  EXPECT_FALSE(AugmentedDickeyFuller(std::vector<double>(40, 2.5), TrendTerms::kConstant));
  std::vector<double> with_nan = kSeries;
  with_nan[4] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(AugmentedDickeyFuller(with_nan, TrendTerms::kConstant));
}

TEST(KpssTest, MatchesStatsmodelsAndFlagsBounds) {
  const auto c = Kpss(kSeries, TrendTerms::kConstant);
  ASSERT_TRUE(c.has_value());
  EXPECT_NEAR(c->statistic, 0.8338164251207729, 1e-12);
  EXPECT_EQ(c->lags, 1);
  EXPECT_EQ(c->p_value, 0.01);
  EXPECT_EQ(c->p_value_bound, PValueBound::kUpper);
  EXPECT_EQ(c->critical_values[1], 0.463);
  // White noise-like alternation: a tiny statistic, p at least 0.10.
  const auto flat =
      Kpss(std::vector<double>{1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1}, TrendTerms::kConstant);
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(flat->p_value, 0.10);
  EXPECT_EQ(flat->p_value_bound, PValueBound::kLower);
}

TEST(KpssTest, InterpolatesInsideTheTable) {
  const std::vector<double> x = {0,  0,  0,  0,  0,  0,  1,  1,  1,  0,  0,  0,  -1, -1, -1,
                                 -1, -1, -2, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  const auto result = Kpss(x, TrendTerms::kConstant);
  ASSERT_TRUE(result.has_value());
  EXPECT_NEAR(result->statistic, 0.5644493717664445, 1e-12);
  EXPECT_EQ(result->lags, 3);
  EXPECT_NEAR(result->p_value, 0.027151042394944928, 1e-12);
  EXPECT_EQ(result->p_value_bound, PValueBound::kNone);
}

TEST(KpssTest, UndefinedForAConstantSeries) {
  EXPECT_FALSE(Kpss(std::vector<double>(30, 1.0), TrendTerms::kConstant));
  EXPECT_FALSE(Kpss(std::vector<double>{1.0}, TrendTerms::kConstant));
}

// A long random walk: both tests poll within their work, and stop once cancelled.
TEST(StationarityCancellationTest, BothTestsPollWithinTheirWorkAndStop) {
  std::vector<double> walk(300'000);
  std::uint64_t state = 12345;
  double level = 0.0;
  for (double& value : walk) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    level += static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
    value = level;
  }
  testing::CancelAfterPolls counter;
  ASSERT_TRUE(AugmentedDickeyFuller(walk, TrendTerms::kConstant, counter.token()));
  EXPECT_GE(counter.polls(), 5);
  const std::int64_t adf_polls = counter.polls();
  ASSERT_TRUE(Kpss(walk, TrendTerms::kConstant, counter.token()));
  EXPECT_GE(counter.polls() - adf_polls, 50);

  testing::CancelAfterPolls adf_cancel(2);
  EXPECT_FALSE(AugmentedDickeyFuller(walk, TrendTerms::kConstant, adf_cancel.token()));
  EXPECT_TRUE(adf_cancel.token().cancelled());
  testing::CancelAfterPolls kpss_cancel(2);
  EXPECT_FALSE(Kpss(walk, TrendTerms::kConstant, kpss_cancel.token()));
  EXPECT_TRUE(kpss_cancel.token().cancelled());
}

TEST(VerdictTest, CombinesBothTests) {
  AdfResult adf;
  adf.critical_values = {-3.4, -2.9, -2.6};
  KpssResult kpss;
  kpss.critical_values = {0.347, 0.463, 0.574, 0.739};
  adf.statistic = -4.0;
  kpss.statistic = 0.2;
  EXPECT_EQ(Verdict(adf, kpss), StationarityVerdict::kStationary);
  adf.statistic = -1.0;
  kpss.statistic = 2.0;
  EXPECT_EQ(Verdict(adf, kpss), StationarityVerdict::kUnitRoot);
  adf.statistic = -4.0;
  EXPECT_EQ(Verdict(adf, kpss), StationarityVerdict::kInconclusive);
  adf.statistic = -1.0;
  kpss.statistic = 0.2;
  EXPECT_EQ(Verdict(adf, kpss), StationarityVerdict::kInconclusive);
  EXPECT_EQ(Verdict(std::nullopt, kpss), StationarityVerdict::kInconclusive);
  EXPECT_EQ(Verdict(adf, std::nullopt), StationarityVerdict::kInconclusive);
  EXPECT_EQ(ToString(StationarityVerdict::kUnitRoot), "unit_root");
}

}  // namespace
}  // namespace cryptomood
