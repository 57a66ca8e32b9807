// End-to-end statistics on simulated data: the engine must recover what the simulator planted
// (lag and sign) and find nothing where nothing was planted. The simulator's model is
// independent of the engine's code; the expectations come from the planted parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/simulation.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

using cryptomood::testing::SimulateMarketData;

std::vector<CorrelationRow> LagScan(const MarketData& data, const std::string& coin) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = LagRange{-3, 3};
  params.coins = {coin};
  Result<std::vector<CorrelationRow>> rows = Analyze(data, params);
  EXPECT_TRUE(rows.ok());
  return rows.ok() ? *rows : std::vector<CorrelationRow>{};
}

const CorrelationRow* BestLag(const std::vector<CorrelationRow>& rows) {
  const auto best =
      std::find_if(rows.begin(), rows.end(), [](const auto& row) { return row.best_lag; });
  return best == rows.end() ? nullptr : &*best;
}

class PlantedEffectRecoveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SimulationConfig config;
    config.seed = 7;
    config.trades = 150'000;
    config.tweets = 40'000;
    config.days = 5;
    config.effects = {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 0.4},
                      PlantedEffect{"BTC", EffectKind::kReturnsLeadSentiment, 1, -0.3}};
    data_ = new MarketData(SimulateMarketData(config));
  }
  static void TearDownTestSuite() { delete data_; }
  static MarketData* data_;
};
MarketData* PlantedEffectRecoveryTest::data_ = nullptr;

TEST_F(PlantedEffectRecoveryTest, SentimentLeadingEthReturnsIsFoundAtLagTwo) {
  const auto rows = LagScan(*data_, "ETH");
  ASSERT_EQ(rows.size(), 7u);
  const CorrelationRow* best = BestLag(rows);
  ASSERT_NE(best, nullptr);
  EXPECT_EQ(best->lag, 2);
  EXPECT_GT(*best->statistics.pearson, 0.1);
  EXPECT_LT(*best->p_value_adjusted, 1e-6);
  EXPECT_GT(*best->statistics.ci_low, 0.0);
}

TEST_F(PlantedEffectRecoveryTest, BtcSentimentFollowingReturnsShowsAsNegativeLagWithPlantedSign) {
  const auto rows = LagScan(*data_, "BTC");
  const CorrelationRow* best = BestLag(rows);
  ASSERT_NE(best, nullptr);
  // Sentiment at bar b follows the return of bar b-1: the pair (sentiment_b, return_(b-1)).
  EXPECT_EQ(best->lag, -1);
  EXPECT_LT(*best->statistics.pearson, -0.1);
  EXPECT_LT(*best->p_value_adjusted, 1e-6);
}

TEST_F(PlantedEffectRecoveryTest, NothingIsFoundWhereNothingWasPlanted) {
  const auto rows = LagScan(*data_, "LTC");
  ASSERT_EQ(rows.size(), 7u);
  for (const CorrelationRow& row : rows) {
    ASSERT_TRUE(row.p_value_adjusted.has_value());
    EXPECT_GT(*row.p_value_adjusted, 0.01) << "lag " << row.lag;
    EXPECT_LT(std::fabs(*row.statistics.pearson), 0.05) << "lag " << row.lag;
  }
}

}  // namespace
}  // namespace cryptomood
