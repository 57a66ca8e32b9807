#include "core/diagnostics.h"

#include <gtest/gtest.h>

#include "core/analysis.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

const MarketData& Simulated() { return testing::SmallSimulatedData(150'000, 40'000, 5); }

const SeriesDiagnostics* Find(const std::vector<SeriesDiagnostics>& results, std::string_view coin,
                              DiagnosedSeries series) {
  for (const SeriesDiagnostics& result : results) {
    if (result.coin == coin && result.series == series) return &result;
  }
  return nullptr;
}

TEST(DiagnosticsTest, SimulatedLogPriceHasAUnitRootAndItsReturnsAreStationary) {
  const auto results = RunDiagnostics(Simulated(), DiagnosticsParams{});
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 9u);
  for (const std::string_view coin : {"BTC", "ETH", "LTC"}) {
    const SeriesDiagnostics* price = Find(*results, coin, DiagnosedSeries::kLogPrice);
    const SeriesDiagnostics* returns = Find(*results, coin, DiagnosedSeries::kReturns);
    ASSERT_NE(price, nullptr);
    ASSERT_NE(returns, nullptr);
    EXPECT_EQ(price->regression, TrendTerms::kConstantTrend);
    EXPECT_EQ(returns->regression, TrendTerms::kConstant);
    EXPECT_EQ(price->tests.verdict, StationarityVerdict::kUnitRoot) << coin;
    EXPECT_EQ(returns->tests.verdict, StationarityVerdict::kStationary) << coin;
    // A return needs a close before it: never more returns than prices.
    EXPECT_GT(price->n, 1000);
    EXPECT_LT(returns->n, price->n);
  }
}

TEST(DiagnosticsTest, KeepsTheCoinsAskedForInSymbolOrder) {
  DiagnosticsParams params;
  params.coins = {"LTC", "BTC"};
  const auto results = RunDiagnostics(Simulated(), params);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 6u);
  EXPECT_EQ((*results)[0].coin, "BTC");
  EXPECT_EQ((*results)[0].series, DiagnosedSeries::kLogPrice);
  EXPECT_EQ((*results)[1].series, DiagnosedSeries::kReturns);
  EXPECT_EQ((*results)[2].series, DiagnosedSeries::kSentiment);
  EXPECT_EQ((*results)[3].coin, "LTC");
}

TEST(DiagnosticsTest, LeavesOutBarsWithoutAValue) {
  // A 1s interval leaves most bars without a trade or a tweet: n counts only defined values.
  DiagnosticsParams params;
  params.interval = Interval::Fixed(kNanosPerSecond);
  params.coins = {"ETH"};
  const auto results = RunDiagnostics(Simulated(), params);
  ASSERT_TRUE(results.ok());
  const std::int64_t seconds = 5 * 86'400;
  const SeriesDiagnostics* price = Find(*results, "ETH", DiagnosedSeries::kLogPrice);
  ASSERT_NE(price, nullptr);
  EXPECT_LT(price->n, seconds / 2);
  ASSERT_TRUE(price->tests.adf.has_value());
  EXPECT_EQ(price->tests.adf->nobs, price->n - 1 - price->tests.adf->lags);
}

TEST(DiagnosticsTest, LogPriceVerdictAgreesWithTheRun) {
  const MarketData& data = Simulated();
  const auto results = RunDiagnostics(data, DiagnosticsParams{});
  ASSERT_TRUE(results.ok());
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    const auto verdict = LogPriceVerdict(data, symbol, DiagnosticsParams{});
    ASSERT_TRUE(verdict.ok());
    const SeriesDiagnostics* price =
        Find(*results, data.coins()[data.symbols()[symbol].coin], DiagnosedSeries::kLogPrice);
    ASSERT_NE(price, nullptr);
    EXPECT_EQ(*verdict, price->tests.verdict);
  }
}

TEST(DiagnosticsTest, StopsWhenCancelled) {
  CancellationToken cancel;
  cancel.Cancel(CancelReason::kDeadline);
  const auto results = RunDiagnostics(Simulated(), DiagnosticsParams{}, cancel);
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(results.error().kind, ErrorKind::kCancelled);
}

}  // namespace
}  // namespace cryptomood

namespace cryptomood {
namespace {

// Tick rows correlate price levels: the simulated random-walk prices make every tick row carry
// the warning; bars rows (returns) never do.
TEST(DiagnosticsTest, TickRowsOnRandomWalkLevelsCarryTheWarning) {
  AnalysisParams params;
  params.mode = AnalysisMode::kTick;
  params.window = Interval::Fixed(24 * 3600 * kNanosPerSecond);
  const auto tick = Analyze(Simulated(), params);
  ASSERT_TRUE(tick.ok());
  ASSERT_FALSE(tick->empty());
  for (const CorrelationRow& row : *tick) EXPECT_EQ(row.warning, "levels_nonstationary");
  params.mode = AnalysisMode::kBars;
  const auto bars = Analyze(Simulated(), params);
  ASSERT_TRUE(bars.ok());
  ASSERT_FALSE(bars->empty());
  for (const CorrelationRow& row : *bars) EXPECT_FALSE(row.warning.has_value());
}

}  // namespace
}  // namespace cryptomood
