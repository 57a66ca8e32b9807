// KafkaSandbox: librdkafka's in-process mock Kafka cluster with cryptomood's topics created,
// for development and tests. NEVER a production broker: it keeps everything in memory, has
// no security, no persistence and only the protocol subset librdkafka's own tests need.
// The brokers listen on TCP on 127.0.0.1 at random ports; any Kafka client (our binaries,
// kcat) reaches them over real TCP through bootstraps().
// Topics created: cryptomood.trades and cryptomood.sentiment with `partitions` partitions
// each (the same count: co-partitioned, see topics.h); cryptomood.late and cryptomood.dlq
// with one; cryptomood.correlation.{1m,5m,15m,1h,1d} with `partitions`. Replication factor
// min(brokers, 3).
// Auto-creation: the mock also creates any other topic on first use (a metadata request or
// produce naming it), with its default of 4 partitions, as a broker with
// auto.create.topics.enable=true would (seen with librdkafka 2.0.2: `kcat -L -t NAME` and a
// first produce both create NAME), so a misspelt topic name fails silently here; rely on the
// topics above.
// Fault injection (a test aid): the mock's own broker down/up and request-error controls,
// as methods and as the line protocol of ApplySandboxCommand (what `cryptomood sandbox
// --control` reads on stdin). Mock brokers are numbered 1..brokers.
// Ownership: owns the cluster and the librdkafka handle hosting it (the cluster goes first).
// Thread-safety: the cluster runs on librdkafka's own threads; the object itself is used from
// one thread.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
// rdkafka_mock.h needs rdkafka.h first.
#include <librdkafka/rdkafka_mock.h>

#include "core/result.h"
#include "stream/kafka_config.h"

namespace cryptomood {

struct SandboxOptions {
  int brokers = 1;
  int partitions = 4;  // of trades, sentiment and the correlation topics
};

class KafkaSandbox {
 public:
  // Fails with kUsage on a non-positive broker or partition count.
  static Result<std::unique_ptr<KafkaSandbox>> Start(const SandboxOptions& options);
  ~KafkaSandbox() = default;
  KafkaSandbox(const KafkaSandbox&) = delete;
  KafkaSandbox& operator=(const KafkaSandbox&) = delete;

  // "127.0.0.1:PORT,127.0.0.1:PORT,..." (bootstrap.servers).
  const std::string& bootstraps() const { return bootstraps_; }
  // The topics Start created, in creation order.
  const std::vector<std::string>& topics() const { return topics_; }
  int brokers() const { return brokers_; }

  // Disconnects the broker's clients and refuses new connections until SetBrokerUp; partition
  // leadership does not move. Both fail with kUsage for an id outside 1..brokers().
  Status SetBrokerDown(std::int32_t broker_id);
  Status SetBrokerUp(std::int32_t broker_id);
  // The next errors.size() requests with `api_key` (a Kafka protocol API key), to any broker,
  // are answered with `errors` in order (NO_ERROR lets one request through). kUsage if empty.
  Status PushRequestErrors(std::int16_t api_key, const std::vector<rd_kafka_resp_err_t>& errors);

 private:
  struct ClusterDeleter {
    void operator()(rd_kafka_mock_cluster_t* cluster) const {
      rd_kafka_mock_cluster_destroy(cluster);
    }
  };

  KafkaSandbox() = default;
  Status CreateTopic(const std::string& name, int partitions, int replication);
  Status SetBrokerState(std::int32_t broker_id, bool up);

  KafkaHandlePtr host_;  // declared first: destroyed after the cluster it hosts
  std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster_;
  std::string bootstraps_;
  std::vector<std::string> topics_;
  int brokers_ = 0;
};

// Applies one control command to `sandbox`. Words are separated by blanks; the commands are
//   down BROKER_ID               SetBrokerDown
//   up BROKER_ID                 SetBrokerUp
//   errors API ERR[,ERR...]      PushRequestErrors
// API is a Kafka API name: Produce, Fetch, ListOffsets, Metadata, OffsetCommit, OffsetFetch,
// FindCoordinator, JoinGroup, Heartbeat, LeaveGroup or SyncGroup. ERR is a broker error's
// name as rd_kafka_get_err_descs() lists it (RD_KAFKA_RESP_ERR_ dropped, case-sensitive), e.g.
// NOT_LEADER_FOR_PARTITION or REQUEST_TIMED_OUT; librdkafka's client-side errors (names
// starting with '_') are refused. An empty, unknown or malformed command is a kUsage error
// and changes nothing.
Status ApplySandboxCommand(KafkaSandbox& sandbox, std::string_view command);

}  // namespace cryptomood
