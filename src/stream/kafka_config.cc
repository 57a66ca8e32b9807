#include "stream/kafka_config.h"

#include <array>
#include <cstdio>
#include <string_view>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr std::size_t kErrorTextBytes = 512;

Status ApplyAll(rd_kafka_conf_t& conf, const std::vector<KafkaProperty>& properties) {
  for (const auto& [key, value] : properties) {
    CRYPTOMOOD_RETURN_IF_ERROR(SetKafkaProperty(conf, key, value));
  }
  return {};
}

// librdkafka's log line, on stderr as its default logger writes it, except the warnings that
// a property of the other client type is ignored: one -X list configures both the consumer
// and the producer of a stream member, so those say nothing the user needs to act on.
void LogToStderr(const rd_kafka_t* handle, int level, const char* facility, const char* text) {
  const std::string_view message(text);
  if (std::string_view(facility) == "CONFWARN" &&
      (message.find("is a consumer property and will be ignored") != std::string_view::npos ||
       message.find("is a producer property and will be ignored") != std::string_view::npos)) {
    return;
  }
  std::fprintf(stderr, "%%%d|%s|%s| %s\n", level, facility, rd_kafka_name(handle), text);
}

}  // namespace

Result<KafkaProperty> ParseKafkaProperty(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return Error{"-X " + std::string(text) + ": expected key=value", ErrorKind::kUsage};
  }
  return KafkaProperty{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

Status SetKafkaProperty(rd_kafka_conf_t& conf, const std::string& key, const std::string& value) {
  std::array<char, kErrorTextBytes> reason{};
  if (rd_kafka_conf_set(&conf, key.c_str(), value.c_str(), reason.data(), reason.size()) !=
      RD_KAFKA_CONF_OK) {
    return Error{"-X " + key + ": " + reason.data(), ErrorKind::kUsage};
  }
  return {};
}

Result<KafkaConfPtr> BuildKafkaConf(const KafkaConfig& config,
                                    const std::vector<KafkaProperty>& defaults,
                                    const std::vector<KafkaProperty>& required) {
  KafkaConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), &LogToStderr);
  CRYPTOMOOD_RETURN_IF_ERROR(ApplyAll(*conf, defaults));
  if (!config.brokers.empty()) {
    CRYPTOMOOD_RETURN_IF_ERROR(SetKafkaProperty(*conf, "bootstrap.servers", config.brokers));
  }
  for (const std::string& text : config.properties) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const KafkaProperty property, ParseKafkaProperty(text));
    CRYPTOMOOD_RETURN_IF_ERROR(SetKafkaProperty(*conf, property.first, property.second));
  }
  CRYPTOMOOD_RETURN_IF_ERROR(ApplyAll(*conf, required));
  return conf;
}

Result<KafkaHandlePtr> CreateKafkaHandle(rd_kafka_type_t type, KafkaConfPtr conf) {
  std::array<char, kErrorTextBytes> reason{};
  // rd_kafka_new takes the configuration only when it succeeds.
  rd_kafka_t* handle = rd_kafka_new(type, conf.get(), reason.data(), reason.size());
  if (handle == nullptr) {
    return Error{std::string("cannot create the Kafka client: ") + reason.data(),
                 ErrorKind::kUsage};
  }
  static_cast<void>(conf.release());
  return KafkaHandlePtr(handle);
}

Error KafkaError(std::string_view context, rd_kafka_resp_err_t err) {
  return Error{std::string(context) + ": " + rd_kafka_err2str(err)};
}

}  // namespace cryptomood
