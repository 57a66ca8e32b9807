#include "stream/sandbox.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <utility>

#include "core/interval.h"
#include "core/status_macros.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

constexpr int kMaxReplication = 3;
constexpr std::array<std::string_view, 5> kCorrelationWindows = {"1m", "5m", "15m", "1h", "1d"};

// The Kafka protocol's API keys (public protocol numbers; librdkafka's RD_KAFKAP_* constants
// are in its internal headers).
constexpr std::array<std::pair<std::string_view, std::int16_t>, 11> kApiKeys = {{
    {"Produce", 0},
    {"Fetch", 1},
    {"ListOffsets", 2},
    {"Metadata", 3},
    {"OffsetCommit", 8},
    {"OffsetFetch", 9},
    {"FindCoordinator", 10},
    {"JoinGroup", 11},
    {"Heartbeat", 12},
    {"LeaveGroup", 13},
    {"SyncGroup", 14},
}};

constexpr std::string_view kCommandUsage =
    "down BROKER_ID, up BROKER_ID or errors API ERR[,ERR...]";

Error UsageError(std::string message) { return Error{std::move(message), ErrorKind::kUsage}; }

// Splits at every occurrence of `separator`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (std::size_t end = text.find(separator); end != std::string_view::npos;
       end = text.find(separator)) {
    pieces.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  pieces.push_back(text);
  return pieces;
}

// The non-empty runs of non-blank characters (blank: space, tab, CR).
std::vector<std::string_view> Words(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r";
  std::vector<std::string_view> words;
  for (std::size_t begin = text.find_first_not_of(kBlanks); begin != std::string_view::npos;
       begin = text.find_first_not_of(kBlanks)) {
    text.remove_prefix(begin);
    const std::size_t end = std::min(text.find_first_of(kBlanks), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return words;
}

Result<std::int32_t> ParseBrokerId(std::string_view text) {
  std::int32_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return UsageError("bad broker id '" + std::string(text) + "'");
  }
  return id;
}

Result<std::int16_t> ApiKeyByName(std::string_view name) {
  for (const auto& [api, key] : kApiKeys) {
    if (api == name) return key;
  }
  return UsageError("unknown Kafka API '" + std::string(name) + "'");
}

Result<rd_kafka_resp_err_t> BrokerErrorByName(std::string_view name) {
  const rd_kafka_err_desc* descriptions = nullptr;
  std::size_t count = 0;
  rd_kafka_get_err_descs(&descriptions, &count);
  for (const rd_kafka_err_desc& description : std::span(descriptions, count)) {
    if (description.name == nullptr || name != description.name) continue;
    if (description.code < 0) {
      return UsageError("'" + std::string(name) + "' is a client-side error, not a broker's");
    }
    return description.code;
  }
  return UsageError("unknown error '" + std::string(name) +
                    "' (a librdkafka error name without RD_KAFKA_RESP_ERR_)");
}

Result<std::vector<rd_kafka_resp_err_t>> BrokerErrorsByName(std::string_view list) {
  std::vector<rd_kafka_resp_err_t> errors;
  for (std::string_view name : Split(list, ',')) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const rd_kafka_resp_err_t error, BrokerErrorByName(name));
    errors.push_back(error);
  }
  return errors;
}

Status ApplyBrokerCommand(KafkaSandbox& sandbox, const std::vector<std::string_view>& words) {
  if (words.size() != 2) return UsageError(std::string(words[0]) + " takes one BROKER_ID");
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::int32_t id, ParseBrokerId(words[1]));
  return words[0] == "down" ? sandbox.SetBrokerDown(id) : sandbox.SetBrokerUp(id);
}

Status ApplyErrorsCommand(KafkaSandbox& sandbox, const std::vector<std::string_view>& words) {
  if (words.size() != 3) return UsageError("errors takes API ERR[,ERR...]");
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::int16_t api_key, ApiKeyByName(words[1]));
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<rd_kafka_resp_err_t> errors,
                              BrokerErrorsByName(words[2]));
  return sandbox.PushRequestErrors(api_key, errors);
}

}  // namespace

Result<std::unique_ptr<KafkaSandbox>> KafkaSandbox::Start(const SandboxOptions& options) {
  if (options.brokers < 1) return Error{"--brokers must be at least 1", ErrorKind::kUsage};
  if (options.partitions < 1) return Error{"--partitions must be at least 1", ErrorKind::kUsage};
  std::unique_ptr<KafkaSandbox> sandbox(new KafkaSandbox());
  sandbox->brokers_ = options.brokers;
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

Status KafkaSandbox::SetBrokerDown(std::int32_t broker_id) {
  return SetBrokerState(broker_id, false);
}

Status KafkaSandbox::SetBrokerUp(std::int32_t broker_id) { return SetBrokerState(broker_id, true); }

Status KafkaSandbox::SetBrokerState(std::int32_t broker_id, bool up) {
  const std::string what = "broker " + std::to_string(broker_id);
  if (broker_id < 1 || broker_id > brokers_) {
    return UsageError("no " + what + " (brokers are 1.." + std::to_string(brokers_) + ")");
  }
  const rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(cluster_.get(), broker_id)
                                     : rd_kafka_mock_broker_set_down(cluster_.get(), broker_id);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("set " + what, err);
  return {};
}

Status KafkaSandbox::PushRequestErrors(std::int16_t api_key,
                                       const std::vector<rd_kafka_resp_err_t>& errors) {
  if (errors.empty()) return UsageError("no request errors to push");
  rd_kafka_mock_push_request_errors_array(cluster_.get(), api_key, errors.size(), errors.data());
  return {};
}

Status ApplySandboxCommand(KafkaSandbox& sandbox, std::string_view command) {
  const std::vector<std::string_view> words = Words(command);
  if (words.empty()) return UsageError("empty command (" + std::string(kCommandUsage) + ")");
  if (words[0] == "down" || words[0] == "up") return ApplyBrokerCommand(sandbox, words);
  if (words[0] == "errors") return ApplyErrorsCommand(sandbox, words);
  return UsageError("unknown command '" + std::string(words[0]) + "' (" +
                    std::string(kCommandUsage) + ")");
}

}  // namespace cryptomood
