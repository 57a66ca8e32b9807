// RunStreamMember in this process against librdkafka's mock cluster (KafkaSandbox) over TCP,
// with a real SQLite store: a member cut off from its group (it stops polling for longer than
// max.poll.interval.ms) drops its partitions without committing them, because their new owner
// may already have restored the last checkpoint; and an idle member commits again every
// liveness interval, so the store shows it is alive. Every wait is bounded.
#include "stream/stream_member.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/interval.h"
#include "io/scratch_dir.h"
#include "store/store.h"
#include "stream/kafka_producer.h"
#include "stream/sandbox.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kRunLimit = 60s;

// 2018-07-16T04:53:SS.<fraction>Z
std::string EventTime(int second, const std::string& fraction) {
  return std::string("2018-07-16T04:53:") + (second < 10 ? "0" : "") + std::to_string(second) +
         "." + fraction + "Z";
}

std::string TradeLine(int second) {
  return R"({"price": 438.5, "size": 1.5, "symbol_id": "COINBASE_SPOT_ETH_USD", )"
         R"("taker_side": "BUY", "timestamp": ")" +
         EventTime(second, "000000") + R"("})";
}

std::string TweetLine(int second) {
  return R"({"coins": ["ETH"], "sentiment_polarity": 0.25, "text": "eth )" +
         std::to_string(second) + R"(", "timestamp": ")" + EventTime(second, "500000") + R"("})";
}

class StreamMemberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sandbox = KafkaSandbox::Start(SandboxOptions{1, 1});
    ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
    sandbox_ = std::move(*sandbox);
    store_url_ = "sqlite:" + scratch_.Path("stream.db");
  }

  // Events within one minute of one 1h window: no window closes while the member runs.
  void PublishEvents() {
    auto producer = KafkaProducer::Create(KafkaConfig{sandbox_->bootstraps(), {}});
    ASSERT_TRUE(producer.ok()) << producer.error().message;
    for (int second = 0; second < 20; ++second) {
      ASSERT_TRUE((*producer)->Produce(kTradesTopic, "ETH", TradeLine(second)).ok());
      ASSERT_TRUE((*producer)->Produce(kSentimentTopic, "ETH", TweetLine(second)).ok());
    }
    const Status flushed = (*producer)->Flush(20s);
    ASSERT_TRUE(flushed.ok()) << flushed.error().message;
  }

  StreamOptions MemberOptions() const {
    StreamOptions options;
    options.kafka = KafkaConfig{
        sandbox_->bootstraps(),
        {"session.timeout.ms=6000", "heartbeat.interval.ms=200", "max.poll.interval.ms=6000"}};
    options.group = "cut-off";
    options.store_url = store_url_;
    options.params.mode = AnalysisMode::kTick;
    options.params.tolerance_nanos = 300 * kNanosPerSecond;
    options.params.window = Interval::Fixed(3600 * kNanosPerSecond);
    // Commits only on revocation and at the end.
    options.commit_interval = std::chrono::hours(1);
    options.liveness_interval = std::chrono::hours(1);
    return options;
  }

  std::unique_ptr<KafkaSandbox> sandbox_;
  testing_support::ScratchDir scratch_;
  std::string store_url_;
};

TEST_F(StreamMemberTest, PartitionsLostWhileStalledAreNotCommitted) {
  ASSERT_NO_FATAL_FAILURE(PublishEvents());
  StreamOptions options = MemberOptions();
  std::vector<std::string> lines;
  std::optional<Clock::time_point> assigned_at;
  bool stalled = false;
  std::optional<std::string> given_up;  // the first revocation after the stall
  std::optional<std::size_t> checkpoints_then;
  const auto started = Clock::now();
  options.log = [&](const std::string& line) {
    lines.push_back(line);
    if (!assigned_at && line.starts_with("assigned partition")) assigned_at = Clock::now();
    const bool revoked =
        line.starts_with("lost partition") || line.starts_with("revoked partition");
    if (stalled && revoked && !given_up) {
      given_up = line;
      auto store = OpenStore(store_url_);
      ASSERT_TRUE(store.ok()) << store.error().message;
      auto progress = (*store)->ListStreamProgress();
      ASSERT_TRUE(progress.ok()) << progress.error().message;
      checkpoints_then = progress->size();
    }
  };
  options.stop_requested = [&] {
    if (Clock::now() - started > kRunLimit) return true;
    // Once the member has read the events (they are all in the log already), it stops
    // polling for longer than max.poll.interval.ms.
    if (assigned_at && !stalled && Clock::now() - *assigned_at > 2s) {
      stalled = true;
      std::this_thread::sleep_for(7500ms);
    }
    return given_up.has_value();
  };

  Result<StreamTotals> totals = RunStreamMember(options);
  ASSERT_TRUE(totals.ok()) << totals.error().message;
  ASSERT_TRUE(given_up.has_value()) << ::testing::PrintToString(lines);
  EXPECT_TRUE(given_up->starts_with("lost partition 0")) << *given_up;
  EXPECT_EQ(totals->messages, 40) << "every event was read before the stall";
  ASSERT_TRUE(checkpoints_then.has_value());
  EXPECT_EQ(*checkpoints_then, 0U) << "a lost partition must not be committed";
}

TEST_F(StreamMemberTest, AnIdleMemberCommitsAgainSoTheStoreShowsItIsAlive) {
  ASSERT_NO_FATAL_FAILURE(PublishEvents());
  StreamOptions options = MemberOptions();
  options.liveness_interval = 300ms;
  std::optional<Clock::time_point> assigned_at;
  std::vector<TimestampNs> commit_times;  // committed_at as the store reported it, once a second
  std::int64_t recorded_interval = 0;
  auto next_look = Clock::now();
  options.log = [&](const std::string& line) {
    if (!assigned_at && line.starts_with("assigned partition")) assigned_at = Clock::now();
  };
  options.stop_requested = [&] {
    if (!assigned_at || Clock::now() < next_look) return false;
    next_look = Clock::now() + 1s;
    auto store = OpenStore(store_url_);
    if (!store.ok()) return true;
    auto progress = (*store)->ListStreamProgress();
    if (progress.ok() && progress->size() == 1) {
      commit_times.push_back(progress->front().committed_at);
      recorded_interval = progress->front().liveness_interval_nanos;
    }
    return commit_times.size() == 4 || Clock::now() - *assigned_at > kRunLimit;
  };
  Result<StreamTotals> totals = RunStreamMember(options);
  ASSERT_TRUE(totals.ok()) << totals.error().message;
  EXPECT_EQ(totals->messages, 40);
  EXPECT_EQ(totals->rows, 0) << "no window closed: the commits carry no rows";
  // All events were read within the first second; afterwards the member is idle, and still
  // each look finds a later commit.
  ASSERT_EQ(commit_times.size(), 4U);
  EXPECT_EQ(recorded_interval, 300'000'000) << "the checkpoint records the interval";
  for (std::size_t i = 2; i < commit_times.size(); ++i) {
    EXPECT_GT(commit_times[i], commit_times[i - 1]) << "look " << i;
  }
}

TEST_F(StreamMemberTest, AMemberFencedOffByANewerClaimLeavesThePartitionToItsNewOwner) {
  ASSERT_NO_FATAL_FAILURE(PublishEvents());
  StreamOptions options = MemberOptions();
  options.liveness_interval = 300ms;
  bool assigned = false;
  std::optional<Clock::time_point> fenced_at;
  std::vector<std::string> lines;
  options.log = [&](const std::string& line) {
    lines.push_back(line);
    assigned = assigned || line.starts_with("assigned partition 0");
    if (!fenced_at && line.starts_with("fenced off partition 0")) fenced_at = Clock::now();
  };
  // Once the member has committed, a new owner claims the partition (as after a rebalance
  // this member has not heard of yet); the member runs on for a second after it is refused.
  std::optional<StreamProgress> at_claim;
  const auto started = Clock::now();
  options.stop_requested = [&] {
    if (Clock::now() - started > kRunLimit) return true;
    if (fenced_at) return Clock::now() - *fenced_at > 1s;
    if (!assigned || at_claim) return false;
    auto store = OpenStore(store_url_);
    if (!store.ok()) return true;
    auto progress = (*store)->ListStreamProgress();
    if (!progress.ok() || progress->size() != 1) return false;
    if (!(*store)->ClaimStreamPartition(options.group, progress->front().params_key, 0).ok()) {
      return true;
    }
    progress = (*store)->ListStreamProgress();  // a commit under way lands before the claim
    if (progress.ok() && progress->size() == 1) at_claim = progress->front();
    return !at_claim;
  };
  Result<StreamTotals> totals = RunStreamMember(options);
  ASSERT_TRUE(totals.ok()) << totals.error().message;
  ASSERT_TRUE(at_claim.has_value()) << ::testing::PrintToString(lines);
  ASSERT_TRUE(fenced_at.has_value()) << ::testing::PrintToString(lines);
  auto store = OpenStore(store_url_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto progress = (*store)->ListStreamProgress();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  ASSERT_EQ(progress->size(), 1U);
  EXPECT_EQ(progress->front().committed_at, at_claim->committed_at)
      << "nothing was committed after the claim, not even at the member's end";
  EXPECT_EQ(progress->front().rows, at_claim->rows);
  EXPECT_EQ(std::ranges::count_if(
                lines, [](const std::string& line) { return line.starts_with("fenced off"); }),
            1)
      << "the partition is dropped at its first refused commit: "
      << ::testing::PrintToString(lines);
}

}  // namespace
}  // namespace cryptomood
