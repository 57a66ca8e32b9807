// Cost estimates against what the engine then does on simulated data: for several parameter
// sets, actual <= estimate <= 3 x actual for result rows and bars (bars counted here from the
// data, independently of the operators), and pairs bound the pairs used. Refusals name the
// parameter driving the cost and the limit.
#include "core/cost_estimate.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/bar_series.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

constexpr std::int64_t kMinute = 60 * kNanosPerSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

const MarketData& Data() { return testing::SmallSimulatedData(30'000, 8'000, 3); }

// The bars bars mode builds (params.coins: none or one): one per bucket holding a trade of the
// symbol, one per bucket holding a tweet of its coin.
std::int64_t BarsBuilt(const MarketData& data, const AnalysisParams& params) {
  std::int64_t bars = 0;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    const CoinIndex coin = data.symbols()[symbol].coin;
    if (!params.coins.empty() && params.coins.front() != data.coins()[coin]) continue;
    std::set<std::int64_t> price, mood;
    for (const TradePoint& trade : data.trades(symbol)) {
      price.insert(params.interval.BucketIndex(trade.timestamp));
    }
    for (const SentimentPoint& tweet : data.sentiment(coin)) {
      mood.insert(params.interval.BucketIndex(tweet.timestamp));
    }
    bars += static_cast<std::int64_t>(price.size() + mood.size());
  }
  return bars;
}

void ExpectTight(std::int64_t actual, std::int64_t estimate, const std::string& what) {
  EXPECT_LE(actual, estimate) << what;
  EXPECT_LE(estimate, 3 * actual) << what;
}

AnalysisParams Bars(std::int64_t interval, LagRange lags, std::optional<std::int64_t> window) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(interval);
  params.lags = lags;
  if (window) params.window = Interval::Fixed(*window);
  return params;
}

TEST(CostEstimateTest, CorrelationRowsBarsAndPairsBoundTheRun) {
  std::vector<std::pair<std::string, AnalysisParams>> cases;
  AnalysisParams tick;
  cases.emplace_back("tick", tick);
  tick.window = Interval::Fixed(kHour);
  cases.emplace_back("tick 1h", tick);
  tick.window = Interval::Fixed(kMinute);
  cases.emplace_back("tick 1m", tick);
  tick.window = Interval::Fixed(100'000);  // 100us: about one trade a window
  cases.emplace_back("tick 100us", tick);
  AnalysisParams compat;
  compat.mode = AnalysisMode::kCompat;
  compat.window = Interval::Fixed(kDay);
  cases.emplace_back("compat 1d", compat);
  cases.emplace_back("bars 1m -3:3 1h", Bars(kMinute, {-3, 3}, kHour));
  cases.emplace_back("bars 5m 0:10", Bars(5 * kMinute, {0, 10}, std::nullopt));
  cases.emplace_back("bars 1h -2:2 1d", Bars(kHour, {-2, 2}, kDay));
  cases.emplace_back("bars 1s 0:0", Bars(kNanosPerSecond, {0, 0}, std::nullopt));
  AnalysisParams one_coin = Bars(kMinute, {-5, 5}, kHour);
  one_coin.coins = {"ETH"};
  cases.emplace_back("bars ETH", one_coin);

  const DataShape shape = ShapeOf(Data());
  for (const auto& [name, params] : cases) {
    const auto rows = Analyze(Data(), params);
    ASSERT_TRUE(rows.ok()) << name;
    const CostEstimate estimate =
        EstimateCorrelationCost(shape, params, {}, /*with_compat=*/false, RowFormat::kJson);
    ExpectTight(static_cast<std::int64_t>(rows->size()), estimate.rows, name + " rows");
    std::int64_t pairs_used = 0;
    for (const CorrelationRow& row : *rows) pairs_used += row.statistics.n;
    EXPECT_LE(pairs_used, estimate.pairs) << name;
    if (params.mode == AnalysisMode::kBars) {
      ExpectTight(BarsBuilt(Data(), params), estimate.bars, name + " bars");
    } else {
      EXPECT_EQ(estimate.bars, 0) << name;
    }
  }
}

TEST(CostEstimateTest, SeriesBarsAreExactAndRowsFollowMaxPoints) {
  for (const std::int64_t interval : {kNanosPerSecond, kMinute, kHour}) {
    for (const std::optional<std::int64_t> max_points :
         {std::optional<std::int64_t>{}, std::optional<std::int64_t>{500}}) {
      SeriesParams params;
      params.interval = Interval::Fixed(interval);
      params.max_points = max_points;
      params.range.from = Data().trades(0).front().timestamp + kHour;
      params.range.to = *params.range.from + kDay;
      std::int64_t bars = 0;
      std::int64_t rows = 0;
      for (SymbolIndex symbol = 0; symbol < Data().symbols().size(); ++symbol) {
        BarSeriesSpan span;
        span.interval = params.interval;
        span.range = params.range;
        const MarketData cut = Data().Within(params.range);
        const auto built =
            BuildBarSeries(cut.trades(symbol), cut.sentiment(cut.symbols()[symbol].coin), span);
        ASSERT_TRUE(built.ok());
        bars += static_cast<std::int64_t>(built->size());
        rows += static_cast<std::int64_t>(
            (max_points ? DownsampleExtremes(*built, *max_points) : *built).size());
      }
      const CostEstimate estimate = EstimateSeriesCost(ShapeOf(Data()), params, RowFormat::kJson);
      EXPECT_EQ(estimate.bars, bars) << interval;
      ExpectTight(rows, estimate.rows, "series rows");
    }
  }
}

TEST(CostEstimateTest, HugeRequestsSaturateInsteadOfOverflowing) {
  AnalysisParams params = Bars(1'000'000, {-10'000, 10'000}, 1'000'000);
  TimeRange range;
  const CostEstimate estimate =
      EstimateCorrelationCost(ShapeOf(Data()), params, range, false, RowFormat::kJson);
  EXPECT_GT(estimate.rows, 0);
  EXPECT_GT(estimate.reply_bytes, estimate.rows);
  EXPECT_GT(estimate.pairs, CostLimits{}.max_pairs);
}

TEST(CostEstimateTest, RefusalsNameTheParameterAndTheLimit) {
  const DataShape shape = ShapeOf(Data());
  AnalysisParams tick;
  tick.window = Interval::Fixed(1'000'000);  // 1ms
  CostLimits limits;
  limits.max_rows = 1000;
  auto refusal = CheckCorrelationCost(
      EstimateCorrelationCost(shape, tick, {}, false, RowFormat::kJson), limits, tick);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->parameter, "window");
  EXPECT_EQ(refusal->measure, CostMeasure::kRows);
  const std::string message = refusal->Describe(NameStyle::kQuery);
  EXPECT_EQ(message.rfind("window=1ms implies ~", 0), 0u) << message;
  EXPECT_NE(message.find("over the limit of 1,000 (max_rows)"), std::string::npos) << message;
  EXPECT_EQ(refusal->ToError(NameStyle::kOption).kind, ErrorKind::kUsage);
  EXPECT_NE(refusal->Describe(NameStyle::kOption).find("--window 1ms"), std::string::npos);

  const AnalysisParams scan = Bars(kNanosPerSecond, {-1000, 1000}, std::nullopt);
  refusal = CheckCorrelationCost(EstimateCorrelationCost(shape, scan, {}, false, RowFormat::kJson),
                                 CostLimits{}, scan);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->parameter, "lags");
  EXPECT_EQ(refusal->measure, CostMeasure::kPairs);

  SeriesParams series;
  series.interval = Interval::Fixed(1'000'000);
  refusal =
      CheckSeriesCost(EstimateSeriesCost(shape, series, RowFormat::kJson), CostLimits{}, series);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->parameter, "interval");
  EXPECT_EQ(refusal->measure, CostMeasure::kBars);

  series.interval = Interval::Fixed(kMinute);
  EXPECT_FALSE(
      CheckSeriesCost(EstimateSeriesCost(shape, series, RowFormat::kJson), CostLimits{}, series));
  limits = CostLimits{};
  limits.max_rows = 100;
  refusal = CheckSeriesCost(EstimateSeriesCost(shape, series, RowFormat::kJson), limits, series);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->parameter, "max_points");
}

}  // namespace
}  // namespace cryptomood
