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
// Ownership: owns the cluster and the librdkafka handle hosting it (the cluster goes first).
// Thread-safety: the cluster runs on librdkafka's own threads; the object itself is used from
// one thread.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
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

 private:
  struct ClusterDeleter {
    void operator()(rd_kafka_mock_cluster_t* cluster) const {
      rd_kafka_mock_cluster_destroy(cluster);
    }
  };

  KafkaSandbox() = default;
  Status CreateTopic(const std::string& name, int partitions, int replication);

  KafkaHandlePtr host_;  // declared first: destroyed after the cluster it hosts
  std::unique_ptr<rd_kafka_mock_cluster_t, ClusterDeleter> cluster_;
  std::string bootstraps_;
  std::vector<std::string> topics_;
};

}  // namespace cryptomood
