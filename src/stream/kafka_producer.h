// KafkaProducer: publishes keyed messages with librdkafka's idempotent producer
// (enable.idempotence=true, acks=all: each message is written once, in order per partition,
// and acknowledged only when all in-sync replicas have it). Those two properties are applied
// after the user's -X properties, so they always hold. Messages are partitioned by librdkafka's
// default partitioner on the key (equal keys, equal partition).
// Accounting: every Produce that returns ok is counted; librdkafka's delivery report for it
// counts it delivered or failed (the first failure's reason is kept). Delivery reports are
// served by Poll, by Produce while it waits for queue space, and by Flush.
// Ownership: owns its librdkafka handle; the destructor waits for nothing (call Flush first).
// Thread-safety: Produce, Poll and Flush may be called from several threads at once (librdkafka
// is thread-safe; the counters are atomic and the first error is guarded).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "stream/kafka_config.h"

namespace cryptomood {

class KafkaProducer {
 public:
  using Header = std::pair<std::string, std::string>;
  using Headers = std::vector<Header>;

  // Fails with kUsage on a bad property (named in the message).
  static Result<std::unique_ptr<KafkaProducer>> Create(const KafkaConfig& config);
  ~KafkaProducer() = default;
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Queues one message (key, payload and headers are copied). When librdkafka's queue is full
  // it serves delivery reports and retries until there is room; any other refusal (unknown
  // topic, message too large, fatal producer error) is an error and the message is not counted.
  Status Produce(std::string_view topic, std::string_view key, std::string_view payload,
                 const Headers& headers = {});

  // Learns the topics' partitions and leaders now (waiting up to `timeout` each), so the
  // first message to each does not wait for them.
  Status PrepareTopics(const std::vector<std::string>& topics, std::chrono::milliseconds timeout);

  // Serves delivery reports for up to `timeout`.
  void Poll(std::chrono::milliseconds timeout);

  // Waits up to `timeout` for every queued message's delivery report. Fails if any message
  // failed delivery (since the producer was created) or some are still unacknowledged.
  Status Flush(std::chrono::milliseconds timeout) EXCLUDES(error_mutex_);

  std::int64_t produced() const { return produced_.load(); }
  std::int64_t delivered() const { return delivered_.load(); }
  std::int64_t failed() const { return failed_.load(); }

 private:
  KafkaProducer() = default;
  static void OnDelivery(rd_kafka_t* handle, const rd_kafka_message_t* message, void* opaque);
  void RecordDelivery(const rd_kafka_message_t& message) EXCLUDES(error_mutex_);

  KafkaHandlePtr handle_;
  std::atomic<std::int64_t> produced_{0};
  std::atomic<std::int64_t> delivered_{0};
  std::atomic<std::int64_t> failed_{0};
  Mutex error_mutex_;
  std::string first_failure_ GUARDED_BY(error_mutex_);
};

}  // namespace cryptomood
