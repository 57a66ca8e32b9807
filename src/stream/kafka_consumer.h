// KafkaConsumer: one member of a Kafka consumer group, subscribed to topics, with the offsets
// under the application's control.
// Configuration applied after the user's -X properties (always in force): group.id,
// partition.assignment.strategy=range (eager rebalancing; see topics.h for why range gives
// co-partitioning: with equal partition counts a member gets partition p of every subscribed
// topic), enable.auto.commit=false, enable.auto.offset.store=false. Default, overridable:
// auto.offset.reset=earliest.
// Rebalances (eager): librdkafka revokes the whole assignment, then assigns a new one; both
// are delivered from inside Poll (and Close) on the calling thread:
// - on_revoke(partitions, revocation) runs BEFORE the partitions are unassigned. For
//   Revocation::kRevoked (a rebalance this member takes part in, or Close leaving the group)
//   commit or save state there (Commit works). Revocation::kLost means the group already moved
//   on without this member (its session or max.poll.interval.ms expired): another member may
//   own the partitions by now, so nothing of them may be committed.
// - on_assign(partitions) returns the offset to start each partition from (the next offset
//   to read); partitions it leaves out start from the committed offset, or per
//   auto.offset.reset (earliest) when none is committed. The wrapper then assigns them.
// Ownership: owns its librdkafka handle; a KafkaMessage must not outlive its consumer. The
// hooks must not throw.
// Thread-safety: one thread (Poll, the hooks, Commit, QueryLag, Close); the object must stay
// at its address (it is the callbacks' context), hence Create returns a unique_ptr.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "stream/kafka_config.h"

namespace cryptomood {

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;

  // clang-tidy 14 misreads the synthesized comparison with 0 as a null pointer constant.
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

// The next offset to read (= last processed offset + 1) of one partition.
struct PartitionOffset {
  TopicPartition partition;
  std::int64_t offset = 0;
};

// Start offsets chosen by on_assign; a partition missing here starts from its committed
// offset (or per auto.offset.reset).
using StartOffsets = std::map<TopicPartition, std::int64_t>;

// Why on_revoke is called (see the header comment).
enum class Revocation { kRevoked, kLost };

struct ConsumerHooks {
  std::function<StartOffsets(const std::vector<TopicPartition>&)> on_assign;
  std::function<void(const std::vector<TopicPartition>&, Revocation)> on_revoke;
};

// One consumed message, owning librdkafka's buffer (views are valid while it lives).
class KafkaMessage {
 public:
  explicit KafkaMessage(KafkaMessagePtr message) : message_(std::move(message)) {}

  std::string_view topic() const;
  std::int32_t partition() const { return message_->partition; }
  std::int64_t offset() const { return message_->offset; }
  std::string_view key() const;
  std::string_view payload() const;
  // Milliseconds since the epoch (producer's create time or broker's log-append time).
  std::optional<std::int64_t> timestamp_ms() const;

 private:
  KafkaMessagePtr message_;
};

class KafkaConsumer {
 public:
  // Fails with kUsage on a bad property (named in the message) or an empty group id.
  static Result<std::unique_ptr<KafkaConsumer>> Create(const KafkaConfig& config,
                                                       const std::string& group_id,
                                                       ConsumerHooks hooks);
  ~KafkaConsumer();  // Close()s
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  // Joins the group for these topics (replaces an earlier subscription).
  Status Subscribe(const std::vector<std::string>& topics);

  // Waits up to `timeout` for a message, serving rebalances meanwhile. nullopt when none came;
  // an error for a consumer error event (librdkafka keeps retrying transient ones: the caller
  // may log it and poll again) or a failed (un)assignment, reported once.
  Result<std::optional<KafkaMessage>> Poll(std::chrono::milliseconds timeout);

  // Commits these next offsets for the group, synchronously.
  Status Commit(const std::vector<PartitionOffset>& offsets);

  // Per partition: messages not yet read = high watermark - next offset (a negative next
  // offset counts from the low watermark). Asks the partition leaders, waiting up to
  // `timeout` each.
  // The same from the high watermarks of the latest fetch responses, without asking the
  // brokers (never blocks); a partition not fetched yet counts 0.
  std::int64_t CachedLag(const std::vector<PartitionOffset>& positions) const;

  Result<std::vector<std::int64_t>> QueryLag(const std::vector<PartitionOffset>& positions,
                                             std::chrono::milliseconds timeout);

  // The partitions currently assigned to this member.
  const std::vector<TopicPartition>& assignment() const { return assignment_; }

  // Leaves the group (on_revoke runs first) and releases the handle. Idempotent.
  Status Close();

 private:
  explicit KafkaConsumer(ConsumerHooks hooks) : hooks_(std::move(hooks)) {}
  static void OnRebalance(rd_kafka_t* handle, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque);
  void Assign(const rd_kafka_topic_partition_list_t& partitions);
  void Revoke(const rd_kafka_topic_partition_list_t& partitions);
  void Unassign();

  ConsumerHooks hooks_;
  KafkaHandlePtr handle_;
  std::vector<TopicPartition> assignment_;
  std::optional<Error> rebalance_error_;  // reported by the next Poll
  bool closed_ = false;
};

}  // namespace cryptomood
