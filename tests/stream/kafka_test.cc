// KafkaProducer and KafkaConsumer against librdkafka's mock cluster (KafkaSandbox), reached
// over TCP on 127.0.0.1: keyed round trips, the range assignor's co-partitioning, the
// revoke-before-reassign order of eager rebalancing, lost partitions, and configuration
// errors. Every wait is bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "stream/kafka_consumer.h"
#include "stream/kafka_producer.h"
#include "stream/sandbox.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = 40s;
constexpr auto kPollStep = 100ms;
// Odd, so that only the range assignor (not round-robin) keeps partition numbers together.
constexpr int kPartitions = 3;

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sandbox = KafkaSandbox::Start(SandboxOptions{1, kPartitions});
    ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
    sandbox_ = std::move(*sandbox);
  }

  KafkaConfig ProducerConfig() const { return KafkaConfig{sandbox_->bootstraps(), {}}; }

  // Fast group joins: a short session and heartbeat.
  KafkaConfig Config() const {
    return KafkaConfig{sandbox_->bootstraps(),
                       {"session.timeout.ms=6000", "heartbeat.interval.ms=200"}};
  }

  std::unique_ptr<KafkaConsumer> Consumer(const std::string& group, ConsumerHooks hooks = {}) {
    auto consumer = KafkaConsumer::Create(Config(), group, std::move(hooks));
    EXPECT_TRUE(consumer.ok()) << consumer.error().message;
    return consumer.ok() ? std::move(*consumer) : nullptr;
  }

  std::unique_ptr<KafkaSandbox> sandbox_;
};

struct Received {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string payload;
};

// Polls until `count` messages arrived or the deadline passed.
std::vector<Received> ConsumeCount(KafkaConsumer& consumer, std::size_t count) {
  std::vector<Received> received;
  const auto deadline = Clock::now() + kDeadline;
  while (received.size() < count && Clock::now() < deadline) {
    auto message = consumer.Poll(kPollStep);
    if (!message.ok() || !*message) continue;
    const KafkaMessage& m = **message;
    received.push_back(Received{std::string(m.topic()), m.partition(), m.offset(),
                                std::string(m.key()), std::string(m.payload())});
  }
  return received;
}

TEST_F(KafkaTest, ProducedKeyedMessagesComeBackInAGroup) {
  constexpr int kMessages = 60;
  auto producer = KafkaProducer::Create(ProducerConfig());
  ASSERT_TRUE(producer.ok()) << producer.error().message;
  std::map<std::string, std::string> expected;  // payload -> key
  for (int i = 0; i < kMessages; ++i) {
    const std::string key = "COIN" + std::to_string(i % 7);
    const std::string payload = R"({"n": )" + std::to_string(i) + "}";
    ASSERT_TRUE((*producer)->Produce(kTradesTopic, key, payload, {{"h", "v"}}).ok());
    expected[payload] = key;
  }
  const Status flushed = (*producer)->Flush(20s);
  ASSERT_TRUE(flushed.ok()) << flushed.error().message;
  EXPECT_EQ((*producer)->delivered(), kMessages);
  EXPECT_EQ((*producer)->failed(), 0);

  auto consumer = Consumer("round-trip");
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(consumer->Subscribe({std::string(kTradesTopic)}).ok());
  const std::vector<Received> received = ConsumeCount(*consumer, kMessages);
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kMessages));

  std::map<std::string, std::int32_t> partition_of_key;
  std::map<std::int32_t, std::int64_t> last_offset;
  for (const Received& message : received) {
    EXPECT_EQ(message.topic, kTradesTopic);
    ASSERT_EQ(expected.count(message.payload), 1U) << message.payload;
    EXPECT_EQ(expected[message.payload], message.key) << "key travels with its payload";
    // Equal keys, equal partition; offsets rise within a partition.
    const auto [known, inserted] = partition_of_key.emplace(message.key, message.partition);
    EXPECT_EQ(known->second, message.partition) << message.key;
    const auto previous = last_offset.find(message.partition);
    if (previous != last_offset.end()) {
      EXPECT_GT(message.offset, previous->second);
    }
    last_offset[message.partition] = message.offset;
  }
  EXPECT_EQ(partition_of_key.size(), 7U);
  EXPECT_GT(last_offset.size(), 1U) << "keys spread over partitions";

  // Nothing consumed is committed: from offset 0 the lag is every message of the partition.
  std::vector<PartitionOffset> from_start;
  for (int p = 0; p < kPartitions; ++p) {
    from_start.push_back(PartitionOffset{{std::string(kTradesTopic), p}, 0});
  }
  auto lags = consumer->QueryLag(from_start, 10s);
  ASSERT_TRUE(lags.ok()) << lags.error().message;
  std::int64_t total = 0;
  for (std::int64_t lag : *lags) total += lag;
  EXPECT_EQ(total, kMessages);
  EXPECT_TRUE(consumer->Close().ok());
}

TEST_F(KafkaTest, OnAssignChoosesTheStartOffset) {
  auto producer = KafkaProducer::Create(ProducerConfig());
  ASSERT_TRUE(producer.ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE((*producer)->Produce(kLateTopic, "k", std::to_string(i)).ok());
  }
  ASSERT_TRUE((*producer)->Flush(20s).ok());
  ConsumerHooks hooks;
  hooks.on_assign = [](const std::vector<TopicPartition>& partitions) {
    StartOffsets starts;
    for (const TopicPartition& partition : partitions) starts[partition] = 7;
    return starts;
  };
  auto consumer = Consumer("start-offsets", hooks);
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(consumer->Subscribe({std::string(kLateTopic)}).ok());
  const std::vector<Received> received = ConsumeCount(*consumer, 3);
  ASSERT_EQ(received.size(), 3U);
  EXPECT_EQ(received[0].offset, 7);
  EXPECT_EQ(received[0].payload, "7");
  EXPECT_EQ(received[2].payload, "9");
}

// The partition numbers of each topic a member holds.
std::map<std::string, std::set<std::int32_t>> ByTopic(const std::vector<TopicPartition>& list) {
  std::map<std::string, std::set<std::int32_t>> by_topic;
  for (const TopicPartition& partition : list)
    by_topic[partition.topic].insert(partition.partition);
  return by_topic;
}

TEST_F(KafkaTest, RangeAssignorCoPartitionsAndRevokesBeforeReassigning) {
  std::vector<std::string> events;  // "A assign", "A revoke", "B assign", ...
  std::vector<TopicPartition> revoked_from_a;
  const auto make_hooks = [&events](const std::string& name, std::vector<TopicPartition>* revoked) {
    ConsumerHooks hooks;
    hooks.on_assign = [&events, name](const std::vector<TopicPartition>& /*partitions*/) {
      events.push_back(name + " assign");
      return StartOffsets{};
    };
    hooks.on_revoke = [&events, name, revoked](const std::vector<TopicPartition>& partitions,
                                               Revocation revocation) {
      events.push_back(name + (revocation == Revocation::kRevoked ? " revoke" : " lost"));
      if (revoked != nullptr && revoked->empty()) *revoked = partitions;
    };
    return hooks;
  };
  const std::vector<std::string> topics = {std::string(kTradesTopic), std::string(kSentimentTopic)};
  auto a = Consumer("co-partitioned", make_hooks("A", &revoked_from_a));
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->Subscribe(topics).ok());
  auto deadline = Clock::now() + kDeadline;
  while (a->assignment().empty() && Clock::now() < deadline) static_cast<void>(a->Poll(kPollStep));
  ASSERT_EQ(a->assignment().size(), 2U * kPartitions) << "a lone member holds everything";

  auto b = Consumer("co-partitioned", make_hooks("B", nullptr));
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->Subscribe(topics).ok());
  const auto rebalanced = [&] {
    return !a->assignment().empty() && !b->assignment().empty() &&
           a->assignment().size() + b->assignment().size() == 2U * kPartitions;
  };
  deadline = Clock::now() + kDeadline;
  while (!rebalanced() && Clock::now() < deadline) {
    static_cast<void>(a->Poll(kPollStep));
    static_cast<void>(b->Poll(kPollStep));
  }
  ASSERT_TRUE(rebalanced()) << a->assignment().size() << " + " << b->assignment().size();

  std::set<std::int32_t> all;
  for (const KafkaConsumer* member : {a.get(), b.get()}) {
    auto by_topic = ByTopic(member->assignment());
    ASSERT_EQ(by_topic.size(), 2U);
    EXPECT_EQ(by_topic[std::string(kTradesTopic)], by_topic[std::string(kSentimentTopic)])
        << "partition p of both topics goes to the same member";
    all.insert(by_topic[std::string(kTradesTopic)].begin(),
               by_topic[std::string(kTradesTopic)].end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kPartitions));

  // Eager: A gives up its whole assignment (its hook sees it) before B is assigned any.
  EXPECT_EQ(revoked_from_a.size(), 2U * kPartitions);
  const auto position = [&events](const std::string& event) {
    return std::find(events.begin(), events.end(), event) - events.begin();
  };
  const auto a_revoke = position("A revoke");
  const auto b_assign = position("B assign");
  ASSERT_LT(a_revoke, static_cast<std::ptrdiff_t>(events.size()))
      << ::testing::PrintToString(events);
  ASSERT_LT(b_assign, static_cast<std::ptrdiff_t>(events.size()))
      << ::testing::PrintToString(events);
  EXPECT_LT(a_revoke, b_assign) << ::testing::PrintToString(events);

  // Leaving the group revokes through the hook too.
  EXPECT_TRUE(b->Close().ok());
  EXPECT_EQ(events.back(), "B revoke");
  EXPECT_TRUE(b->assignment().empty());
}

// A member that stops polling for longer than max.poll.interval.ms is cut off from its group;
// at its next poll its partitions are reported lost (another member may own them by then),
// not revoked.
TEST_F(KafkaTest, AMemberCutOffFromItsGroupLosesItsPartitions) {
  std::vector<Revocation> revocations;
  ConsumerHooks hooks;
  hooks.on_revoke = [&revocations](const std::vector<TopicPartition>& /*partitions*/,
                                   Revocation revocation) { revocations.push_back(revocation); };
  KafkaConfig config = Config();
  config.properties.push_back("max.poll.interval.ms=6000");  // its least: the session timeout
  auto consumer = KafkaConsumer::Create(config, "cut-off", hooks);
  ASSERT_TRUE(consumer.ok()) << consumer.error().message;
  KafkaConsumer& member = **consumer;
  ASSERT_TRUE(member.Subscribe({std::string(kTradesTopic)}).ok());
  auto deadline = Clock::now() + kDeadline;
  while (member.assignment().empty() && Clock::now() < deadline) {
    static_cast<void>(member.Poll(kPollStep));
  }
  ASSERT_FALSE(member.assignment().empty());
  ASSERT_TRUE(revocations.empty());

  std::this_thread::sleep_for(7500ms);  // no poll for longer than max.poll.interval.ms
  deadline = Clock::now() + kDeadline;
  while (revocations.empty() && Clock::now() < deadline) {
    static_cast<void>(member.Poll(kPollStep));
  }
  ASSERT_FALSE(revocations.empty());
  EXPECT_EQ(revocations.front(), Revocation::kLost);
  EXPECT_TRUE(member.assignment().empty());
}

TEST_F(KafkaTest, BadPropertiesAreUsageErrorsNamingTheProperty) {
  KafkaConfig unknown = ProducerConfig();
  unknown.properties.push_back("no.such.property=1");
  auto producer = KafkaProducer::Create(unknown);
  ASSERT_FALSE(producer.ok());
  EXPECT_EQ(producer.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(producer.error().message.rfind("-X no.such.property: ", 0), 0U)
      << producer.error().message;

  KafkaConfig invalid = Config();
  invalid.properties.push_back("session.timeout.ms=soon");
  auto consumer = KafkaConsumer::Create(invalid, "g", {});
  ASSERT_FALSE(consumer.ok());
  EXPECT_EQ(consumer.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(consumer.error().message.rfind("-X session.timeout.ms: ", 0), 0U)
      << consumer.error().message;

  KafkaConfig malformed = ProducerConfig();
  malformed.properties.push_back("linger.ms");
  auto no_value = KafkaProducer::Create(malformed);
  ASSERT_FALSE(no_value.ok());
  EXPECT_EQ(no_value.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(no_value.error().message.rfind("-X linger.ms: ", 0), 0U) << no_value.error().message;
}

TEST(TopicsTest, CorrelationTopicNamesTheWindowInterval) {
  auto hour = Interval::Parse("1h");
  ASSERT_TRUE(hour.ok());
  EXPECT_EQ(CorrelationTopic(*hour), "cryptomood.correlation.1h");
}

}  // namespace
}  // namespace cryptomood
