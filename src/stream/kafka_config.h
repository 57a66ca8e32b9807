// Kafka client configuration and RAII ownership of librdkafka's C objects.
// KafkaConfig is what the command line gives: the bootstrap brokers (--brokers) and any number
// of librdkafka properties as "key=value" strings (-X). BuildKafkaConf turns it into an
// rd_kafka_conf_t: first the caller's defaults, then the user's properties, then the caller's
// required properties (so a wrapper's invariants, e.g. acks=all, cannot be overridden). A
// malformed "key=value" or a property librdkafka rejects (unknown name, invalid value) is an
// Error of kind kUsage whose message names the property.
// Ownership: every librdkafka object handed out here is owned by a unique_ptr with the
// matching destroy function; release() it only when librdkafka takes ownership.
// Thread-safety: pure functions; the owners are as thread-safe as the objects they own.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cryptomood {

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
struct KafkaConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct KafkaPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct KafkaHeadersDeleter {
  void operator()(rd_kafka_headers_t* headers) const { rd_kafka_headers_destroy(headers); }
};
struct KafkaMessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};

using KafkaHandlePtr = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;
using KafkaConfPtr = std::unique_ptr<rd_kafka_conf_t, KafkaConfDeleter>;
using KafkaPartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, KafkaPartitionListDeleter>;
using KafkaHeadersPtr = std::unique_ptr<rd_kafka_headers_t, KafkaHeadersDeleter>;
using KafkaMessagePtr = std::unique_ptr<rd_kafka_message_t, KafkaMessageDeleter>;

using KafkaProperty = std::pair<std::string, std::string>;

struct KafkaConfig {
  std::string brokers;                  // bootstrap.servers, e.g. "127.0.0.1:9092,..."
  std::vector<std::string> properties;  // "key=value", applied in order
};

// Splits "key=value" at the first '='; the key must be non-empty.
Result<KafkaProperty> ParseKafkaProperty(std::string_view text);

// Sets one property; the error names it ("-X KEY: librdkafka's reason").
Status SetKafkaProperty(rd_kafka_conf_t& conf, const std::string& key, const std::string& value);

// `defaults` are applied before the user's properties, `required` after them.
Result<KafkaConfPtr> BuildKafkaConf(const KafkaConfig& config,
                                    const std::vector<KafkaProperty>& defaults,
                                    const std::vector<KafkaProperty>& required);

// Creates a producer or consumer handle from `conf` (consumed, also on failure). A
// configuration librdkafka refuses at this point (conflicting properties) is kUsage.
Result<KafkaHandlePtr> CreateKafkaHandle(rd_kafka_type_t type, KafkaConfPtr conf);

// "Kafka: <librdkafka's description of err>" with `context` in front.
Error KafkaError(std::string_view context, rd_kafka_resp_err_t err);

}  // namespace cryptomood
