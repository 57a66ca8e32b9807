// Request cost: /correlation and /series requests parsed from query strings, estimated on
// simulated stored data and compared with the replies the real writers then produce (actual
// <= estimate <= 3 x actual bytes, in every format), and refused with a 413 "too_large"
// naming the parameter and the limit when over the limits.
#include "http/request_cost.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "http/computed_replies.h"
#include "support/simulated_market_data.h"

namespace cryptomood::http {
namespace {

const StoredMarketData& Stored() {
  static const StoredMarketData* stored = [] {
    auto* data = new StoredMarketData;
    data->data = testing::SmallSimulatedData(30'000, 8'000, 3);
    data->data_end = data->data.trades(0).back().timestamp;
    return data;
  }();
  return *stored;
}

CorrelationRequest Correlation(QueryParameters::Pairs pairs) {
  auto parameters = QueryParameters::Check(std::move(pairs), kCorrelationParameters);
  EXPECT_TRUE(parameters.ok());
  auto request = ParseCorrelationRequest(*parameters);
  EXPECT_TRUE(request.ok()) << request.error().message;
  return *request;
}

SeriesRequest Series(QueryParameters::Pairs pairs) {
  auto parameters = QueryParameters::Check(std::move(pairs), kSeriesParameters);
  EXPECT_TRUE(parameters.ok());
  auto request = ParseSeriesRequest(*parameters);
  EXPECT_TRUE(request.ok()) << request.error().message;
  return *request;
}

// Never under, and within 4x: a row's longest form (every statistic defined, printed at 17
// digits) is about 3.5 times its shortest (a CSV row of a small window, its robust fields empty).
void ExpectTight(std::int64_t actual, std::int64_t estimate, const std::string& what) {
  EXPECT_LE(actual, estimate) << what;
  EXPECT_LE(estimate, 4 * actual) << what;
}

TEST(RequestCostTest, CorrelationReplyBytesAreBoundedTightly) {
  const std::vector<QueryParameters::Pairs> queries = {
      {},
      {{"window", "1h"}},
      {{"mode", "tick"}, {"window", "1m"}},
      {{"mode", "compat"}, {"window", "1d"}},
      {{"mode", "bars"}, {"lags", "-3:3"}, {"window", "1h"}},
      {{"mode", "bars"}, {"interval", "5m"}, {"lags", "0:20"}, {"coin", "ETH"}},
  };
  for (const auto& query : queries) {
    for (const std::string format : {"json", "csv", "ndjson"}) {
      QueryParameters::Pairs pairs = query;
      pairs.emplace_back("format", format);
      const CorrelationRequest request = Correlation(pairs);
      const auto body = ComputeCorrelationReply(Stored(), request, CancellationToken::Never());
      ASSERT_TRUE(body.ok());
      const CostEstimate estimate = EstimateCorrelationRequest(Stored(), request);
      ExpectTight(static_cast<std::int64_t>(body->size()), estimate.reply_bytes,
                  request.cache_key + " bytes");
    }
  }
}

TEST(RequestCostTest, SeriesReplyBytesAreBoundedTightly) {
  const std::vector<QueryParameters::Pairs> queries = {
      {},
      {{"interval", "1h"}},
      {{"interval", "10s"}, {"max_points", "400"}},
      {{"interval", "1m"}, {"coin", "BTC"}, {"from", "2018-07-17T00:00:00Z"}},
  };
  for (const auto& query : queries) {
    for (const std::string format : {"json", "csv", "ndjson"}) {
      QueryParameters::Pairs pairs = query;
      pairs.emplace_back("format", format);
      const SeriesRequest request = Series(pairs);
      const auto body = ComputeSeriesReply(Stored(), request, CancellationToken::Never());
      ASSERT_TRUE(body.ok());
      const CostEstimate estimate = EstimateSeriesRequest(Stored(), request);
      ExpectTight(static_cast<std::int64_t>(body->size()), estimate.reply_bytes,
                  request.cache_key + " bytes");
    }
  }
}

TEST(RequestCostTest, OverTheLimitsIsA413NamingTheParameter) {
  const auto too_large = CheckCorrelationRequestCost(
      Stored(), Correlation({{"mode", "bars"}, {"interval", "1s"}, {"lags", "-10000:10000"}}),
      CostLimits{});
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->code, "too_large");
  EXPECT_EQ(too_large->parameter, "lags");
  EXPECT_NE(too_large->message.find("(max_pairs)"), std::string::npos) << too_large->message;
  EXPECT_NE(too_large->ToJson().find("\"too_large\""), std::string::npos);

  const auto window = CheckCorrelationRequestCost(Stored(), Correlation({{"window", "1ms"}}),
                                                  CostLimits{.max_rows = 1000});
  ASSERT_TRUE(window);
  EXPECT_EQ(window->parameter, "window");

  const auto series = CheckSeriesRequestCost(Stored(), Series({{"interval", "1ms"}}), CostLimits{});
  ASSERT_TRUE(series);
  EXPECT_EQ(series->status, 413);
  EXPECT_EQ(series->parameter, "interval");
  EXPECT_NE(series->message.find("(max_bars)"), std::string::npos) << series->message;

  EXPECT_FALSE(CheckCorrelationRequestCost(Stored(), Correlation({}), CostLimits{}));
  EXPECT_FALSE(CheckSeriesRequestCost(Stored(), Series({}), CostLimits{}));
}

TEST(RequestCostTest, ComputedRepliesStopWhenCancelled) {
  CancellationToken token;
  token.Cancel(CancelReason::kClientGone);
  const auto correlation = ComputeCorrelationReply(Stored(), Correlation({}), token);
  ASSERT_FALSE(correlation.ok());
  EXPECT_EQ(correlation.error().kind, ErrorKind::kCancelled);
  const auto series = ComputeSeriesReply(Stored(), Series({}), token);
  ASSERT_FALSE(series.ok());
  EXPECT_EQ(series.error().kind, ErrorKind::kCancelled);
}

}  // namespace
}  // namespace cryptomood::http
