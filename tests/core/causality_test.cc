// Granger causality on simulated markets: the planted leads and follows must be found in the
// planted direction, and nothing where nothing was planted (after Holm).
#include "core/causality.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/multiple_testing.h"
#include "core/simulation.h"
#include "support/cancel_after_polls.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

using cryptomood::testing::SimulateMarketData;

constexpr std::int64_t kDay = std::int64_t{24} * 3600 * kNanosPerSecond;

AnalysisParams OneMinuteBars() {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  return params;
}

const CausalityRow& Find(const std::vector<CausalityRow>& rows, const std::string& coin,
                         CausalitySeries cause) {
  for (const CausalityRow& row : rows) {
    if (row.coin == coin && row.cause == cause) return row;
  }
  static const CausalityRow kMissing;
  ADD_FAILURE() << "no row for " << coin << " " << ToString(cause);
  return kMissing;
}

// The simulate command's defaults (ETH:leads:2:0.4, BTC:follows:1:0.3) at the planted-effect
// test's size: 5 days of 1m bars, about seven trades and three tweets per coin and bar.
class PlantedCausalityTest : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  static MarketData Simulate(std::uint64_t seed) {
    SimulationConfig config;
    config.seed = seed;
    config.trades = 150'000;
    config.tweets = 40'000;
    config.days = 5;
    config.effects = DefaultPlantedEffects();
    return SimulateMarketData(config);
  }
};

TEST_P(PlantedCausalityTest, FindsThePlantedDirectionsAndNothingElse) {
  const MarketData data = Simulate(GetParam());
  const Result<std::vector<CausalityRow>> rows =
      AnalyzeCausality(data, OneMinuteBars(), GrangerLags{});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 6u);

  const CausalityRow& eth = Find(*rows, "ETH", CausalitySeries::kSentiment);
  EXPECT_EQ(eth.effect, CausalitySeries::kReturns);
  ASSERT_TRUE(eth.test.p_value.has_value());
  EXPECT_LT(*eth.test.p_value, 0.001);
  EXPECT_GE(eth.test.lags, 2u) << "the planted lead is 2 bars";

  const CausalityRow& btc = Find(*rows, "BTC", CausalitySeries::kReturns);
  EXPECT_EQ(btc.effect, CausalitySeries::kSentiment);
  ASSERT_TRUE(btc.test.p_value.has_value());
  EXPECT_LT(*btc.test.p_value, 0.001);

  // Nothing planted: LTC either way, and the reverse of each planted direction (ETH's returns
  // echo into its persistent sentiment, which conditioning on the sentiment's own past removes).
  const CausalityRow* unplanted[] = {&Find(*rows, "LTC", CausalitySeries::kSentiment),
                                     &Find(*rows, "LTC", CausalitySeries::kReturns),
                                     &Find(*rows, "ETH", CausalitySeries::kReturns),
                                     &Find(*rows, "BTC", CausalitySeries::kSentiment)};
  for (const CausalityRow* row : unplanted) {
    ASSERT_TRUE(row->p_value_adjusted.has_value());
    EXPECT_GT(*row->p_value_adjusted, 0.05) << row->coin << " " << ToString(row->cause);
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const CausalityRow& row = (*rows)[i];
    // `auto` picks one order per symbol and window, for both directions.
    EXPECT_EQ(row.test.lags, (*rows)[i - i % 2].test.lags) << i;
    ASSERT_TRUE(row.p_value_adjusted.has_value());
    EXPECT_GE(*row.p_value_adjusted, *row.test.p_value);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, PlantedCausalityTest, ::testing::Values(7, 8, 9));

const MarketData& SmallData() {
  static const MarketData kData = [] {
    SimulationConfig config;
    config.trades = 30'000;
    config.tweets = 10'000;
    config.days = 2;
    config.effects = DefaultPlantedEffects();
    return SimulateMarketData(config);
  }();
  return kData;
}

TEST(CausalityTest, RowsComeInDirectionPairsPerSymbolAndWindowWithHolmOverTheRun) {
  AnalysisParams params = OneMinuteBars();
  params.window = Interval::Fixed(kDay);
  params.coins = {"BTC", "ETH"};
  const Result<std::vector<CausalityRow>> rows = AnalyzeCausality(SmallData(), params, {2});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  // Two symbols, the data's two days (the simulation starts at midnight), two directions.
  ASSERT_EQ(rows->size(), 8u);
  std::vector<std::optional<double>> p_values;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const CausalityRow& row = (*rows)[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(row.symbol_id, i < 4 ? "COINBASE_SPOT_BTC_USD" : "COINBASE_SPOT_ETH_USD");
    EXPECT_EQ(row.cause, i % 2 == 0 ? CausalitySeries::kSentiment : CausalitySeries::kReturns);
    ASSERT_TRUE(row.window.start && row.window.end);
    EXPECT_EQ(*row.window.end - *row.window.start, kDay);
    EXPECT_EQ(row.test.lags, 2u);
    EXPECT_LE(row.test.n, 1440u);
    p_values.push_back(row.test.p_value);
  }
  EXPECT_LT(*(*rows)[0].window.start, *(*rows)[2].window.start);
  const std::vector<std::optional<double>> adjusted = HolmAdjust(p_values);
  for (std::size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].p_value_adjusted, adjusted[i]) << i;
  }
}

TEST(CausalityTest, ParsesLags) {
  EXPECT_FALSE(ParseGrangerLags("auto")->fixed.has_value());
  EXPECT_EQ(ParseGrangerLags("3")->fixed, std::optional<std::size_t>(3));
  for (const char* bad : {"0", "-1", "", "2x", "101", "auto "}) {
    const Result<GrangerLags> parsed = ParseGrangerLags(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
  }
  EXPECT_FALSE(AnalyzeCausality(SmallData(), OneMinuteBars(), {0}).ok());
}

TEST(CausalityTest, StopsWhenCancelled) {
  cryptomood::testing::CancelAfterPolls cancel(3);
  const Result<std::vector<CausalityRow>> rows =
      AnalyzeCausality(SmallData(), OneMinuteBars(), GrangerLags{}, cancel.token());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().kind, ErrorKind::kCancelled);
}

}  // namespace
}  // namespace cryptomood
