#include "stream/kafka_producer.h"

#include <string>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr int kQueueFullPollMs = 50;

Result<KafkaHeadersPtr> BuildHeaders(const KafkaProducer::Headers& headers) {
  KafkaHeadersPtr built(rd_kafka_headers_new(headers.size()));
  for (const auto& [name, value] : headers) {
    const rd_kafka_resp_err_t err =
        rd_kafka_header_add(built.get(), name.data(), static_cast<ssize_t>(name.size()),
                            value.data(), static_cast<ssize_t>(value.size()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("header " + name, err);
  }
  return built;
}

}  // namespace

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(const KafkaConfig& config) {
  std::unique_ptr<KafkaProducer> producer(new KafkaProducer());
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      KafkaConfPtr conf,
      BuildKafkaConf(config, {}, {{"enable.idempotence", "true"}, {"acks", "all"}}));
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaProducer::OnDelivery);
  rd_kafka_conf_set_opaque(conf.get(), producer.get());
  CRYPTOMOOD_ASSIGN_OR_RETURN(producer->handle_,
                              CreateKafkaHandle(RD_KAFKA_PRODUCER, std::move(conf)));
  return producer;
}

Status KafkaProducer::Produce(std::string_view topic, std::string_view key,
                              std::string_view payload, const Headers& headers) {
  const std::string topic_name(topic);
  while (true) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(KafkaHeadersPtr built, BuildHeaders(headers));
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): librdkafka copies (F_COPY).
    void* payload_bytes = const_cast<char*>(payload.data());
// librdkafka's RD_KAFKA_V_* macros cast C-style (and type-check in statement expressions).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#if defined(__clang__)
#pragma GCC diagnostic ignored "-Wgnu-statement-expression"
#endif
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        handle_.get(), RD_KAFKA_V_TOPIC(topic_name.c_str()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(payload_bytes, payload.size()), RD_KAFKA_V_HEADERS(built.get()),
        RD_KAFKA_V_END);
#pragma GCC diagnostic pop
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      static_cast<void>(built.release());  // librdkafka owns the headers now
      produced_.fetch_add(1);
      return {};
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return KafkaError("produce to " + topic_name, err);
    rd_kafka_poll(handle_.get(), kQueueFullPollMs);
  }
}

void KafkaProducer::Poll(std::chrono::milliseconds timeout) {
  rd_kafka_poll(handle_.get(), static_cast<int>(timeout.count()));
}

Status KafkaProducer::Flush(std::chrono::milliseconds timeout) {
  const rd_kafka_resp_err_t err = rd_kafka_flush(handle_.get(), static_cast<int>(timeout.count()));
  if (failed_.load() > 0) {
    MutexLock lock(error_mutex_);
    return Error{std::to_string(failed_.load()) +
                 " message(s) failed delivery (first: " + first_failure_ + ")"};
  }
  const std::int64_t unacknowledged = produced_.load() - delivered_.load();
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || unacknowledged != 0) {
    return Error{std::to_string(unacknowledged) + " message(s) not acknowledged after " +
                 std::to_string(timeout.count()) + " ms"};
  }
  return {};
}

void KafkaProducer::OnDelivery(rd_kafka_t* /*handle*/, const rd_kafka_message_t* message,
                               void* opaque) {
  static_cast<KafkaProducer*>(opaque)->RecordDelivery(*message);
}

void KafkaProducer::RecordDelivery(const rd_kafka_message_t& message) {
  if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    delivered_.fetch_add(1);
    return;
  }
  MutexLock lock(error_mutex_);
  if (failed_.fetch_add(1) == 0) {
    first_failure_ =
        std::string(rd_kafka_topic_name(message.rkt)) + ": " + rd_kafka_err2str(message.err);
  }
}

Status KafkaProducer::PrepareTopics(const std::vector<std::string>& topics,
                                    std::chrono::milliseconds timeout) {
  for (const std::string& topic : topics) {
    std::unique_ptr<rd_kafka_topic_t, decltype(&rd_kafka_topic_destroy)> handle(
        rd_kafka_topic_new(handle_.get(), topic.c_str(), nullptr), &rd_kafka_topic_destroy);
    if (handle == nullptr) return KafkaError("topic " + topic, rd_kafka_last_error());
    const rd_kafka_metadata_t* metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(handle_.get(), 0, handle.get(), &metadata,
                                                      static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("metadata of " + topic, err);
    rd_kafka_metadata_destroy(metadata);
  }
  return Status::Ok();
}

}  // namespace cryptomood
