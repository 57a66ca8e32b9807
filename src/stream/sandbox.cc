#include "stream/sandbox.h"

#include <algorithm>
#include <array>

#include "core/interval.h"
#include "core/status_macros.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

constexpr int kMaxReplication = 3;
constexpr std::array<std::string_view, 5> kCorrelationWindows = {"1m", "5m", "15m", "1h", "1d"};

}  // namespace

Result<std::unique_ptr<KafkaSandbox>> KafkaSandbox::Start(const SandboxOptions& options) {
  if (options.brokers < 1) return Error{"--brokers must be at least 1", ErrorKind::kUsage};
  if (options.partitions < 1) return Error{"--partitions must be at least 1", ErrorKind::kUsage};
  std::unique_ptr<KafkaSandbox> sandbox(new KafkaSandbox());
  // The cluster needs a client handle for its bookkeeping; this one never sends anything.
  CRYPTOMOOD_ASSIGN_OR_RETURN(KafkaConfPtr conf,
                              BuildKafkaConf(KafkaConfig{}, {}, {{"log_level", "3"}}));
  CRYPTOMOOD_ASSIGN_OR_RETURN(sandbox->host_,
                              CreateKafkaHandle(RD_KAFKA_PRODUCER, std::move(conf)));
  sandbox->cluster_.reset(rd_kafka_mock_cluster_new(sandbox->host_.get(), options.brokers));
  if (sandbox->cluster_ == nullptr) return Error{"cannot start the mock Kafka cluster"};
  sandbox->bootstraps_ = rd_kafka_mock_cluster_bootstraps(sandbox->cluster_.get());

  const int replication = std::min(options.brokers, kMaxReplication);
  const auto create = [&](std::string_view name, int partitions) {
    return sandbox->CreateTopic(std::string(name), partitions, replication);
  };
  for (const auto& [name, partitions] :
       {std::pair{kTradesTopic, options.partitions}, std::pair{kSentimentTopic, options.partitions},
        std::pair{kLateTopic, 1}, std::pair{kDeadLetterTopic, 1}}) {
    CRYPTOMOOD_RETURN_IF_ERROR(create(name, partitions));
  }
  for (std::string_view window : kCorrelationWindows) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const Interval interval, Interval::Parse(window));
    CRYPTOMOOD_RETURN_IF_ERROR(create(CorrelationTopic(interval), options.partitions));
  }
  return sandbox;
}

Status KafkaSandbox::CreateTopic(const std::string& name, int partitions, int replication) {
  const rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(cluster_.get(), name.c_str(), partitions, replication);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("create topic " + name, err);
  topics_.push_back(name);
  return {};
}

}  // namespace cryptomood
