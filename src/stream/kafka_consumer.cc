#include "stream/kafka_consumer.h"

#include <span>
#include <utility>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

std::span<const rd_kafka_topic_partition_t> Elements(const rd_kafka_topic_partition_list_t& list) {
  return {list.elems, static_cast<std::size_t>(list.cnt)};
}

std::vector<TopicPartition> ToTopicPartitions(const rd_kafka_topic_partition_list_t& list) {
  std::vector<TopicPartition> partitions;
  partitions.reserve(static_cast<std::size_t>(list.cnt));
  for (const rd_kafka_topic_partition_t& element : Elements(list)) {
    partitions.push_back(TopicPartition{element.topic, element.partition});
  }
  return partitions;
}

// The first offset a position has still to read: a negative offset counts from the
// partition's low watermark.
std::int64_t NextToRead(const PartitionOffset& position, std::int64_t low) {
  return position.offset < 0 ? low : position.offset;
}

KafkaPartitionListPtr ToPartitionList(const std::vector<PartitionOffset>& offsets) {
  KafkaPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const PartitionOffset& position : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), position.partition.topic.c_str(),
                                      position.partition.partition)
        ->offset = position.offset;
  }
  return list;
}

// The first per-partition error of a list librdkafka filled in, if any.
Status FirstPartitionError(std::string_view context, const rd_kafka_topic_partition_list_t& list) {
  for (const rd_kafka_topic_partition_t& element : Elements(list)) {
    if (element.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaError(std::string(context) + " " + element.topic + "[" +
                            std::to_string(element.partition) + "]",
                        element.err);
    }
  }
  return {};
}

}  // namespace

std::string_view KafkaMessage::topic() const {
  return message_->rkt == nullptr ? std::string_view() : rd_kafka_topic_name(message_->rkt);
}

std::string_view KafkaMessage::key() const {
  return {static_cast<const char*>(message_->key), message_->key_len};
}

std::string_view KafkaMessage::payload() const {
  return {static_cast<const char*>(message_->payload), message_->len};
}

std::optional<std::int64_t> KafkaMessage::timestamp_ms() const {
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const std::int64_t timestamp = rd_kafka_message_timestamp(message_.get(), &type);
  if (type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) return std::nullopt;
  return timestamp;
}

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(const KafkaConfig& config,
                                                             const std::string& group_id,
                                                             ConsumerHooks hooks) {
  if (group_id.empty()) return Error{"a consumer needs a group id", ErrorKind::kUsage};
  std::unique_ptr<KafkaConsumer> consumer(new KafkaConsumer(std::move(hooks)));
  CRYPTOMOOD_ASSIGN_OR_RETURN(KafkaConfPtr conf,
                              BuildKafkaConf(config, {{"auto.offset.reset", "earliest"}},
                                             {{"group.id", group_id},
                                              {"partition.assignment.strategy", "range"},
                                              {"enable.auto.commit", "false"},
                                              {"enable.auto.offset.store", "false"}}));
  rd_kafka_conf_set_rebalance_cb(conf.get(), &KafkaConsumer::OnRebalance);
  rd_kafka_conf_set_opaque(conf.get(), consumer.get());
  CRYPTOMOOD_ASSIGN_OR_RETURN(consumer->handle_,
                              CreateKafkaHandle(RD_KAFKA_CONSUMER, std::move(conf)));
  // Rebalances and errors arrive on the consumer queue, served by rd_kafka_consumer_poll.
  rd_kafka_poll_set_consumer(consumer->handle_.get());
  return consumer;
}

KafkaConsumer::~KafkaConsumer() { static_cast<void>(Close()); }

Status KafkaConsumer::Subscribe(const std::vector<std::string>& topics) {
  KafkaPartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_.get(), list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("subscribe", err);
  return {};
}

Result<std::optional<KafkaMessage>> KafkaConsumer::Poll(std::chrono::milliseconds timeout) {
  const auto take_rebalance_error = [this] {
    Error error = std::move(*rebalance_error_);
    rebalance_error_.reset();
    return error;
  };
  if (rebalance_error_) return take_rebalance_error();
  KafkaMessagePtr message(rd_kafka_consumer_poll(handle_.get(), static_cast<int>(timeout.count())));
  // A message that came with a failed rebalance is still handed out; the error waits for the
  // next call, so no message is dropped.
  if (message != nullptr && message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::optional<KafkaMessage>(KafkaMessage(std::move(message)));
  }
  if (rebalance_error_) return take_rebalance_error();
  if (message == nullptr) return std::optional<KafkaMessage>();
  return Error{std::string("Kafka consumer: ") + rd_kafka_message_errstr(message.get())};
}

Status KafkaConsumer::Commit(const std::vector<PartitionOffset>& offsets) {
  if (offsets.empty()) return {};
  KafkaPartitionListPtr list = ToPartitionList(offsets);
  const rd_kafka_resp_err_t err = rd_kafka_commit(handle_.get(), list.get(), 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("commit", err);
  return FirstPartitionError("commit", *list);
}

Result<std::vector<std::int64_t>> KafkaConsumer::QueryLag(
    const std::vector<PartitionOffset>& positions, std::chrono::milliseconds timeout) {
  std::vector<std::int64_t> lags;
  lags.reserve(positions.size());
  for (const PartitionOffset& position : positions) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        handle_.get(), position.partition.topic.c_str(), position.partition.partition, &low, &high,
        static_cast<int>(timeout.count()));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaError("watermarks of " + position.partition.topic + "[" +
                            std::to_string(position.partition.partition) + "]",
                        err);
    }
    lags.push_back(high - NextToRead(position, low));
  }
  return lags;
}

std::int64_t KafkaConsumer::CachedLag(const std::vector<PartitionOffset>& positions) const {
  std::int64_t lag = 0;
  for (const PartitionOffset& position : positions) {
    std::int64_t low = RD_KAFKA_OFFSET_INVALID;
    std::int64_t high = RD_KAFKA_OFFSET_INVALID;
    const rd_kafka_resp_err_t err = rd_kafka_get_watermark_offsets(
        handle_.get(), position.partition.topic.c_str(), position.partition.partition, &low, &high);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || high < 0) continue;
    const std::int64_t next = NextToRead(position, low);
    if (next >= 0 && high > next) lag += high - next;
  }
  return lag;
}

Status KafkaConsumer::Close() {
  if (closed_ || handle_ == nullptr) return {};
  closed_ = true;
  // Serves the final revocation (on_revoke) and leaves the group.
  const rd_kafka_resp_err_t err = rd_kafka_consumer_close(handle_.get());
  handle_.reset();
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaError("close", err);
  return {};
}

void KafkaConsumer::OnRebalance(rd_kafka_t* /*handle*/, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* consumer = static_cast<KafkaConsumer*>(opaque);
  switch (err) {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
      consumer->Assign(*partitions);
      break;
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
      consumer->Revoke(*partitions);
      break;
    default:
      consumer->rebalance_error_ = KafkaError("rebalance", err);
      consumer->Unassign();
      break;
  }
}

void KafkaConsumer::Assign(const rd_kafka_topic_partition_list_t& partitions) {
  std::vector<TopicPartition> assigned = ToTopicPartitions(partitions);
  const StartOffsets starts = hooks_.on_assign ? hooks_.on_assign(assigned) : StartOffsets{};
  // A copy: librdkafka owns `partitions` and may reuse its offsets.
  KafkaPartitionListPtr list(rd_kafka_topic_partition_list_copy(&partitions));
  for (rd_kafka_topic_partition_t& element :
       std::span(list->elems, static_cast<std::size_t>(list->cnt))) {
    const auto start = starts.find(TopicPartition{element.topic, element.partition});
    element.offset = start == starts.end() ? RD_KAFKA_OFFSET_INVALID : start->second;
  }
  const rd_kafka_resp_err_t err = rd_kafka_assign(handle_.get(), list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rebalance_error_ = KafkaError("assign", err);
    return;
  }
  assignment_ = std::move(assigned);
}

void KafkaConsumer::Revoke(const rd_kafka_topic_partition_list_t& partitions) {
  if (hooks_.on_revoke) {
    const bool lost = rd_kafka_assignment_lost(handle_.get()) != 0;
    hooks_.on_revoke(ToTopicPartitions(partitions),
                     lost ? Revocation::kLost : Revocation::kRevoked);
  }
  Unassign();
}

void KafkaConsumer::Unassign() {
  const rd_kafka_resp_err_t err = rd_kafka_assign(handle_.get(), nullptr);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && !rebalance_error_) {
    rebalance_error_ = KafkaError("unassign", err);
  }
  assignment_.clear();
}

}  // namespace cryptomood
