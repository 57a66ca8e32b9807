// /correlation?source=stream and /healthz's "streams", served in process by the real routes
// over a SQLite store that a stream member's commits (Store::CommitStream) filled: the reply
// is the stored rows of the request's StreamParamsKey, filtered and in (symbol_id, window
// start, lag) order, as the same row objects the computed reply writes. The store holds no
// trade, so any row served came from the stream tables.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/stream_params_key.h"
#include "http/in_process_api.h"
#include "io/correlation_row_json.h"
#include "io/scratch_dir.h"
#include "store/store.h"
#include "store/stream_test_rows.h"

namespace cryptomood::http {
namespace {

constexpr TimestampNs kHour = testing_support::kStreamHour;

AnalysisParams BarsParams() {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = LagRange{-1, 1};
  params.window = Interval::Fixed(kHour);
  return params;
}

CorrelationRow Row(const std::string& coin, int window, int lag) {
  return testing_support::StreamRow(coin, window, lag);
}

std::string DataBody(const std::vector<CorrelationRow>& rows) {
  std::string body = "{\"data\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) body += ",";
    body += CorrelationRowJson(rows[i]);
  }
  return body + "]}\n";
}

class StreamCorrelationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(url_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    StreamCommit commit;
    commit.group = "dashboard";
    commit.params_key = StreamParamsKey(BarsParams());
    commit.partition = 2;
    commit.rows = {Row("ETH", 0, 0), Row("BTC", 1, 1), Row("BTC", 0, -1), Row("BTC", 1, -1)};
    commit.state = "state";
    commit.consumer_lag = 42;
    commit.liveness_interval_nanos = 2'500'000'000;
    Status committed = (*store)->CommitStream(commit);
    ASSERT_TRUE(committed.ok()) << committed.error().message;
    // A member that does not record its liveness interval, on another partition.
    commit.partition = 3;
    commit.rows.clear();
    commit.liveness_interval_nanos = 0;
    committed = (*store)->CommitStream(commit);
    ASSERT_TRUE(committed.ok()) << committed.error().message;

    auto port = api_.Start();
    ASSERT_TRUE(port.ok()) << port.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }

  // The body of a 200 reply, or a failure naming the status.
  std::string Get(const std::string& target, int status = 200) {
    auto reply = client_->Get(target);
    if (!reply) {
      ADD_FAILURE() << target << ": no reply";
      return {};
    }
    EXPECT_EQ(reply->status, status) << target << ": " << reply->body;
    return reply->body;
  }

  testing_support::ScratchDir scratch_;
  std::string url_ = "sqlite:" + scratch_.Path("store.db");
  InProcessApi api_{url_, RouteLimits{}};
  std::unique_ptr<httplib::Client> client_;
};

constexpr std::string_view kBars = "/correlation?source=stream&mode=bars&lags=-1:1&window=1h";

TEST_F(StreamCorrelationTest, ServesTheStoredRowsOfTheRequestsParameters) {
  EXPECT_EQ(Get(std::string(kBars)),
            DataBody({Row("BTC", 0, -1), Row("BTC", 1, -1), Row("BTC", 1, 1), Row("ETH", 0, 0)}));
  // Another spelling of the same parameters finds the same rows.
  EXPECT_EQ(Get("/correlation?window=60m&lags=-1:1&interval=60s&mode=bars&source=stream"),
            Get(std::string(kBars)));
  // Other parameters name other rows: none were stored for them.
  EXPECT_EQ(Get("/correlation?source=stream&mode=bars&lags=0:1&window=1h"), "{\"data\":[]}\n");
  EXPECT_EQ(Get("/correlation?source=stream&window=1h"), "{\"data\":[]}\n");
}

TEST_F(StreamCorrelationTest, FiltersByCoinAndWindowStart) {
  EXPECT_EQ(Get(std::string(kBars) + "&coin=BTC&from=2018-07-16T21:00:00Z"),
            DataBody({Row("BTC", 1, -1), Row("BTC", 1, 1)}));
  EXPECT_EQ(Get(std::string(kBars) + "&coin=ETH,SOL&to=2018-07-16T21:00:00Z"),
            DataBody({Row("ETH", 0, 0)}));
}

TEST_F(StreamCorrelationTest, NdjsonIsOneRowObjectALine) {
  EXPECT_EQ(Get(std::string(kBars) + "&coin=ETH&format=ndjson"),
            CorrelationRowJson(Row("ETH", 0, 0)) + "\n");
}

TEST_F(StreamCorrelationTest, SourceAndWindowAreChecked) {
  EXPECT_NE(Get("/correlation?source=stream&mode=bars", 400).find("\"parameter\":\"window\""),
            std::string::npos);
  EXPECT_NE(Get("/correlation?source=kafka&window=1h", 400).find("\"parameter\":\"source\""),
            std::string::npos);
}

TEST_F(StreamCorrelationTest, HealthListsStreamProgress) {
  const std::string body = Get("/healthz");
  EXPECT_NE(body.find("\"status\":\"ok\",\"backend\":\"sqlite\",\"schema_version\":"),
            std::string::npos)
      << body;
  const std::string entry = "{\"group\":\"dashboard\",\"params_key\":\"" +
                            StreamParamsKey(BarsParams()) + "\",\"partition\":";
  const std::size_t first =
      body.find("\"streams\":[" + entry + "2,\"consumer_lag\":42,\"committed_at\":\"20");
  ASSERT_NE(first, std::string::npos) << body;
  // The interval in seconds where the checkpoint records it; absent where it does not.
  const std::size_t second = body.find("\"liveness_interval_seconds\":2.5}," + entry + "3,", first);
  ASSERT_NE(second, std::string::npos) << body;
  EXPECT_EQ(body.find("liveness_interval_seconds", second + 30), std::string::npos) << body;
  EXPECT_TRUE(body.ends_with("Z\"}]}")) << body;
}

}  // namespace
}  // namespace cryptomood::http
