#include "stream/stream_member.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "core/event_time_watermark.h"
#include "core/state_codec.h"
#include "core/status_macros.h"
#include "core/stream_engine.h"
#include "core/stream_params_key.h"
#include "io/content_keys.h"
#include "io/correlation_row_json.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"
#include "store/store.h"
#include "stream/kafka_consumer.h"
#include "stream/kafka_producer.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t kCheckpointKind = StateKind("STRM");
constexpr std::uint32_t kCheckpointVersion = 1;
constexpr int kTradesInput = 0;
constexpr int kSentimentInput = 1;
constexpr std::chrono::milliseconds kPollTimeout{20};
constexpr std::chrono::milliseconds kFlushLimit{60'000};
constexpr std::chrono::milliseconds kLagQueryTimeout{5'000};
// Rows of windows closing within this time of each other share one flush and commit round.
constexpr std::chrono::milliseconds kCloseBatching{10};

// Counters kept with the state, so they stay exact across restarts.
struct PartitionCounters {
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  std::int64_t late = 0;
  std::int64_t dead_letters = 0;

  void EncodeState(StateWriter& writer) const {
    writer.WriteI64(accepted);
    writer.WriteI64(duplicates);
    writer.WriteI64(late);
    writer.WriteI64(dead_letters);
  }
  Status DecodeState(StateReader& reader) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(accepted, reader.ReadI64());
    CRYPTOMOOD_ASSIGN_OR_RETURN(duplicates, reader.ReadI64());
    CRYPTOMOOD_ASSIGN_OR_RETURN(late, reader.ReadI64());
    CRYPTOMOOD_ASSIGN_OR_RETURN(dead_letters, reader.ReadI64());
    return Status::Ok();
  }
};

// What a member holds for one co-partition number.
struct PartitionState {
  PartitionState(StreamEngine engine_in, std::int64_t allowed_lateness)
      : engine(std::move(engine_in)), watermark(2, allowed_lateness) {}

  StreamEngine engine;
  EventTimeWatermark watermark;
  PartitionCounters counters;
  // Next offset to read per input; unknown until a checkpoint or a message says.
  std::array<std::optional<std::int64_t>, 2> next_offset;
  std::array<Clock::time_point, 2> last_message{Clock::now(), Clock::now()};
  std::vector<CorrelationRow> pending_rows;
  std::int64_t fence = 0;  // this member's claim on the partition, carried by its commits
  bool fenced = false;     // a commit was refused: another member claimed the partition since
  bool dirty = false;      // offsets moved since the last commit
  Clock::time_point last_commit = Clock::now();
  // When the watermark first closed a window whose rows are still pending.
  std::optional<Clock::time_point> oldest_close;
};

std::string EncodeCheckpoint(const PartitionState& state) {
  StateWriter writer;
  state.engine.EncodeState(writer);
  for (int input : {kTradesInput, kSentimentInput}) {
    EncodeValue(writer, state.watermark.max_event_time(input));
  }
  EncodeValue(writer, state.watermark.released());
  state.counters.EncodeState(writer);
  return SealState(kCheckpointKind, kCheckpointVersion, std::move(writer).Take());
}

Status DecodeCheckpoint(std::string_view blob, PartitionState& state) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(StateReader reader,
                              OpenState(blob, kCheckpointKind, kCheckpointVersion));
  CRYPTOMOOD_RETURN_IF_ERROR(state.engine.DecodeState(reader));
  for (int input : {kTradesInput, kSentimentInput}) {
    std::optional<TimestampNs> max;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, max));
    state.watermark.Restore(input, max);
  }
  std::optional<TimestampNs> released;
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, released));
  state.watermark.RestoreReleased(released);
  CRYPTOMOOD_RETURN_IF_ERROR(state.counters.DecodeState(reader));
  return reader.ExpectEnd();
}

std::string_view InputTopic(int input) {
  return input == kTradesInput ? kTradesTopic : kSentimentTopic;
}

class StreamMember {
 public:
  explicit StreamMember(const StreamOptions& options)
      : options_(options),
        params_key_(StreamParamsKey(options.params)),
        output_topic_(CorrelationTopic(*options.params.window)) {}

  Result<StreamTotals> Run();

 private:
  void Log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }
  void Fail(Error error) {
    if (!failure_) failure_ = std::move(error);
  }

  StartOffsets OnAssign(const std::vector<TopicPartition>& partitions);
  void OnRevoke(const std::vector<TopicPartition>& partitions, Revocation revocation);
  Result<PartitionState> Restore(std::int32_t partition);

  void Handle(const KafkaMessage& message);
  void HandleTrade(const KafkaMessage& message, PartitionState& state);
  void HandleSentiment(const KafkaMessage& message, PartitionState& state);
  void CountOutcome(EventOutcome outcome, const KafkaMessage& message, TimestampNs event_time,
                    PartitionState& state);
  // Copies `message` to `topic` with the header `why` and headers naming the group and the
  // message's topic, partition and offset.
  void PublishCopy(std::string_view topic, const KafkaMessage& message, KafkaProducer::Header why);
  void DeadLetter(const KafkaMessage& message, const std::string& error, PartitionState& state);
  void Publish(std::string_view topic, std::string_view key, std::string_view payload,
               const KafkaProducer::Headers& headers);

  // Marks idle inputs, advances the watermark, commits what is due.
  void Tick();
  using OwnedPartition = std::pair<std::int32_t, PartitionState*>;
  // Publishes the partitions' pending rows, flushes once, then stores each checkpoint.
  Status CommitPartitions(const std::vector<OwnedPartition>& due);
  Status StoreCheckpoint(std::int32_t partition, PartitionState& state);
  // Forgets the partitions whose commit was refused: their new owner carries on from the
  // last checkpoint it loaded, and this member reads them no more (Handle skips them) until
  // the group assigns them to it again.
  void DropFencedPartitions();
  std::vector<OwnedPartition> AllPartitions();
  // --stop-when-idle's second condition: the brokers confirm that the owned partitions hold
  // no unread message (a fetch stalled by a fault is not the end of the input).
  bool NothingLeftToRead();
  void FinishAll();
  void CommitAll();

  const StreamOptions& options_;
  const std::string params_key_;
  const std::string output_topic_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<KafkaProducer> producer_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::map<std::int32_t, PartitionState> partitions_;
  TradeParser trade_parser_;
  SentimentParser sentiment_parser_;
  TradeRecord trade_;
  SentimentRecord sentiment_;
  std::vector<std::string_view> coin_set_;
  StreamTotals totals_;
  std::optional<Error> failure_;
  Clock::time_point last_message_ = Clock::now();
  bool assigned_ = false;  // holds the group's latest (possibly empty) assignment
};

Result<PartitionState> StreamMember::Restore(std::int32_t partition) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(StreamEngine engine, StreamEngine::Create(options_.params));
  PartitionState state(std::move(engine), options_.allowed_lateness_nanos);
  CRYPTOMOOD_ASSIGN_OR_RETURN(state.fence,
                              store_->ClaimStreamPartition(options_.group, params_key_, partition));
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::optional<StreamCheckpoint> checkpoint,
                              store_->LoadStreamCheckpoint(options_.group, params_key_, partition));
  if (!checkpoint) return state;
  if (Status decoded = DecodeCheckpoint(checkpoint->state, state); !decoded) {
    return Error{fmt::format("checkpoint of partition {} is unusable: {}", partition,
                             decoded.error().message)};
  }
  for (const StreamOffset& offset : checkpoint->offsets) {
    for (int input : {kTradesInput, kSentimentInput}) {
      if (offset.topic == InputTopic(input)) state.next_offset[input] = offset.next_offset;
    }
  }
  return state;
}

StartOffsets StreamMember::OnAssign(const std::vector<TopicPartition>& partitions) {
  StartOffsets starts;
  for (const TopicPartition& assigned : partitions) {
    auto owned = partitions_.find(assigned.partition);
    if (owned == partitions_.end()) {
      Result<PartitionState> restored = Restore(assigned.partition);
      if (!restored.ok()) {
        Fail(restored.error());
        continue;
      }
      owned = partitions_.emplace(assigned.partition, std::move(*restored)).first;
      Log(fmt::format("assigned partition {} ({})", assigned.partition,
                      owned->second.next_offset[0] || owned->second.next_offset[1]
                          ? "restored from its checkpoint"
                          : "from the beginning"));
    }
    for (int input : {kTradesInput, kSentimentInput}) {
      const std::optional<std::int64_t>& next = owned->second.next_offset[input];
      if (assigned.topic == InputTopic(input) && next) starts[assigned] = *next;
    }
  }
  last_message_ = Clock::now();
  assigned_ = true;
  return starts;
}

void StreamMember::OnRevoke(const std::vector<TopicPartition>& partitions, Revocation revocation) {
  for (const TopicPartition& revoked : partitions) {
    const auto owned = partitions_.find(revoked.partition);
    if (owned == partitions_.end()) continue;  // never assigned, or already dropped as fenced
    if (revocation == Revocation::kLost) {
      // Its new owner may have restored the last checkpoint already: storing this member's
      // state now could overwrite a newer one. Uncommitted work is recomputed from there.
      Log(fmt::format("lost partition {} (not committed: the group moved on without this member)",
                      revoked.partition));
    } else {
      if (Status committed = CommitPartitions({{owned->first, &owned->second}}); !committed) {
        Fail(committed.error());
      }
      Log(fmt::format("revoked partition {}", revoked.partition));
    }
    partitions_.erase(revoked.partition);  // by key: a refused commit may have dropped it
  }
  // Until the group assigns again this member owns nothing it could finish: the idle stop
  // waits for that assignment, or partitions would be left with their windows open.
  assigned_ = false;
}

void StreamMember::Publish(std::string_view topic, std::string_view key, std::string_view payload,
                           const KafkaProducer::Headers& headers) {
  if (Status produced = producer_->Produce(topic, key, payload, headers); !produced) {
    Fail(produced.error());
  }
  producer_->Poll(std::chrono::milliseconds(0));
}

void StreamMember::PublishCopy(std::string_view topic, const KafkaMessage& message,
                               KafkaProducer::Header why) {
  Publish(topic, message.key(), message.payload(),
          {std::move(why),
           {"group", options_.group},
           {"topic", std::string(message.topic())},
           {"partition", std::to_string(message.partition())},
           {"offset", std::to_string(message.offset())}});
}

void StreamMember::DeadLetter(const KafkaMessage& message, const std::string& error,
                              PartitionState& state) {
  ++state.counters.dead_letters;
  ++totals_.dead_letters;
  PublishCopy(kDeadLetterTopic, message, {"error", error});
}

void StreamMember::CountOutcome(EventOutcome outcome, const KafkaMessage& message,
                                TimestampNs event_time, PartitionState& state) {
  switch (outcome) {
    case EventOutcome::kAccepted:
      ++state.counters.accepted;
      ++totals_.accepted;
      return;
    case EventOutcome::kDuplicate:
      ++state.counters.duplicates;
      ++totals_.duplicates;
      return;
    case EventOutcome::kLate:
      ++state.counters.late;
      ++totals_.late;
      PublishCopy(kLateTopic, message,
                  {"reason", fmt::format("event time {} is earlier than the watermark {}",
                                         FormatTimestampMicros(event_time),
                                         state.engine.watermark()
                                             ? FormatTimestampMicros(*state.engine.watermark())
                                             : std::string("(closed)"))});
      return;
  }
}

void StreamMember::HandleTrade(const KafkaMessage& message, PartitionState& state) {
  if (Status parsed = trade_parser_.ParseUnpadded(message.payload(), trade_); !parsed) {
    DeadLetter(message, parsed.error().message, state);
    return;
  }
  if (message.key() != trade_.base) {
    DeadLetter(
        message,
        fmt::format("message key '{}' is not the trade's coin '{}'", message.key(), trade_.base),
        state);
    return;
  }
  state.watermark.Observe(kTradesInput, trade_.timestamp);
  const Uuid& uuid = trade_parser_.parsed_uuid();
  const EventOutcome outcome = state.engine.OnTrade(
      StreamTrade{trade_.timestamp, trade_.price, trade_.size, trade_.symbol_id, trade_.base,
                  EventKey{uuid.high, uuid.low}});
  CountOutcome(outcome, message, trade_.timestamp, state);
}

void StreamMember::HandleSentiment(const KafkaMessage& message, PartitionState& state) {
  if (Status parsed = sentiment_parser_.ParseUnpadded(message.payload(), sentiment_); !parsed) {
    DeadLetter(message, parsed.error().message, state);
    return;
  }
  SortedCoinSet(sentiment_.coins, coin_set_);
  if (std::ranges::find(coin_set_, message.key()) == coin_set_.end()) {
    DeadLetter(message,
               fmt::format("message key '{}' is not one of the tweet's coins", message.key()),
               state);
    return;
  }
  state.watermark.Observe(kSentimentInput, sentiment_.timestamp);
  const Key128 content =
      SentimentContentKey(sentiment_.timestamp, coin_set_, sentiment_.polarity, sentiment_.text);
  const EventOutcome outcome =
      state.engine.OnSentiment(StreamSentiment{sentiment_.timestamp, sentiment_.polarity,
                                               message.key(), EventKey{content.high, content.low}});
  CountOutcome(outcome, message, sentiment_.timestamp, state);
}

void StreamMember::Handle(const KafkaMessage& message) {
  const auto owned = partitions_.find(message.partition());
  if (owned == partitions_.end()) return;  // not ours any more: its new owner reads it
  PartitionState& state = owned->second;
  const int input = message.topic() == kTradesTopic ? kTradesInput : kSentimentInput;
  const std::optional<std::int64_t>& expected = state.next_offset[input];
  // A message before the stored position is already reflected in the state (a fetch that
  // raced a seek): applying it again would count it twice.
  if (expected && message.offset() < *expected) return;
  ++totals_.messages;
  last_message_ = Clock::now();
  state.last_message[input] = last_message_;
  state.next_offset[input] = message.offset() + 1;
  state.dirty = true;
  if (input == kTradesInput) {
    HandleTrade(message, state);
  } else {
    HandleSentiment(message, state);
  }
}

Status StreamMember::CommitPartitions(const std::vector<OwnedPartition>& due) {
  if (due.empty()) return Status::Ok();
  for (const auto& [partition, state] : due) {
    for (const CorrelationRow& row : state->pending_rows) {
      Publish(output_topic_, row.symbol_id, CorrelationRowJson(row), {});
    }
  }
  // Rows, late and dead-letter messages are acknowledged before the offsets that led to
  // them are stored: a crash in between republishes them, it never loses them. One flush
  // serves every partition committed together.
  CRYPTOMOOD_RETURN_IF_ERROR(producer_->Flush(kFlushLimit));
  if (failure_) return *failure_;
  for (const auto& [partition, state] : due) {
    CRYPTOMOOD_RETURN_IF_ERROR(StoreCheckpoint(partition, *state));
  }
  DropFencedPartitions();
  return Status::Ok();
}

void StreamMember::DropFencedPartitions() {
  std::erase_if(partitions_, [](const auto& owned) { return owned.second.fenced; });
}

Status StreamMember::StoreCheckpoint(std::int32_t partition, PartitionState& state) {
  const auto now = Clock::now();
  if (state.oldest_close) {
    totals_.publish_latency.Add(
        std::chrono::duration_cast<std::chrono::milliseconds>(now - *state.oldest_close),
        static_cast<std::int64_t>(state.pending_rows.size()));
    state.oldest_close.reset();
  }
  StreamCommit commit;
  commit.group = options_.group;
  commit.params_key = params_key_;
  commit.partition = partition;
  commit.rows = std::move(state.pending_rows);
  commit.state = EncodeCheckpoint(state);
  std::vector<PartitionOffset> positions;
  for (int input : {kTradesInput, kSentimentInput}) {
    if (!state.next_offset[input]) continue;
    positions.push_back(PartitionOffset{TopicPartition{std::string(InputTopic(input)), partition},
                                        *state.next_offset[input]});
    commit.offsets.push_back(
        StreamOffset{positions.back().partition.topic, partition, positions.back().offset});
  }
  commit.consumer_lag = consumer_->CachedLag(positions);
  commit.liveness_interval_nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.liveness_interval).count();
  commit.fence = state.fence;
  if (Status stored = store_->CommitStream(commit); !stored) {
    if (stored.error().kind != ErrorKind::kFenced) return stored;
    Log(
        fmt::format("fenced off partition {} (not committed: {}); its new owner goes on from "
                    "the checkpoint it loaded",
                    partition, stored.error().message));
    state.fenced = true;
    return Status::Ok();
  }
  totals_.rows += static_cast<std::int64_t>(commit.rows.size());
  ++totals_.commits;
  state.pending_rows.clear();
  state.dirty = false;
  state.last_commit = now;
  return Status::Ok();
}

bool StreamMember::NothingLeftToRead() {
  std::vector<PartitionOffset> positions;
  for (const auto& [partition, state] : partitions_) {
    for (int input : {kTradesInput, kSentimentInput}) {
      positions.push_back(PartitionOffset{TopicPartition{std::string(InputTopic(input)), partition},
                                          state.next_offset[input].value_or(-1)});
    }
  }
  Result<std::vector<std::int64_t>> lags = consumer_->QueryLag(positions, kLagQueryTimeout);
  if (!lags.ok()) {
    Log("idle, but the brokers cannot confirm that nothing is left to read (" +
        lags.error().message + "): waiting");
    return false;
  }
  std::int64_t unread = 0;
  for (std::int64_t lag : *lags) unread += std::max<std::int64_t>(lag, 0);
  if (unread > 0) Log(fmt::format("idle, but {} messages are still unread: waiting", unread));
  return unread == 0;
}

std::vector<StreamMember::OwnedPartition> StreamMember::AllPartitions() {
  std::vector<OwnedPartition> all;
  for (auto& [partition, state] : partitions_) all.emplace_back(partition, &state);
  return all;
}

void StreamMember::Tick() {
  const auto now = Clock::now();
  std::vector<OwnedPartition> due;
  for (auto& [partition, state] : partitions_) {
    for (int input : {kTradesInput, kSentimentInput}) {
      if (now - state.last_message[input] >= options_.idle_timeout) {
        state.watermark.SetIdle(input, true);
      }
    }
    const std::optional<TimestampNs> watermark = state.watermark.Current();
    const std::size_t pending = state.pending_rows.size();
    if (watermark) state.engine.AdvanceWatermark(*watermark, state.pending_rows);
    if (state.pending_rows.size() > pending && !state.oldest_close) state.oldest_close = now;
    const bool rows_due = state.oldest_close && now - *state.oldest_close >= kCloseBatching;
    const auto since_commit = now - state.last_commit;
    const bool offsets_due = state.dirty && since_commit >= options_.commit_interval;
    const bool liveness_due = since_commit >= options_.liveness_interval;
    if (rows_due || offsets_due || liveness_due) due.emplace_back(partition, &state);
  }
  if (Status committed = CommitPartitions(due); !committed) Fail(committed.error());
}

void StreamMember::FinishAll() {
  for (auto& [partition, state] : partitions_) state.engine.Finish(state.pending_rows);
  CommitAll();
}

void StreamMember::CommitAll() {
  if (Status committed = CommitPartitions(AllPartitions()); !committed) Fail(committed.error());
}

Result<StreamTotals> StreamMember::Run() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(store_, OpenStore(options_.store_url));
  CRYPTOMOOD_ASSIGN_OR_RETURN(producer_, KafkaProducer::Create(options_.kafka));
  CRYPTOMOOD_RETURN_IF_ERROR(producer_->PrepareTopics(
      {output_topic_, std::string(kLateTopic), std::string(kDeadLetterTopic)}, kFlushLimit));
  ConsumerHooks hooks;
  hooks.on_assign = [this](const std::vector<TopicPartition>& partitions) {
    return OnAssign(partitions);
  };
  hooks.on_revoke = [this](const std::vector<TopicPartition>& partitions, Revocation revocation) {
    OnRevoke(partitions, revocation);
  };
  CRYPTOMOOD_ASSIGN_OR_RETURN(consumer_,
                              KafkaConsumer::Create(options_.kafka, options_.group, hooks));
  CRYPTOMOOD_RETURN_IF_ERROR(
      consumer_->Subscribe({std::string(kTradesTopic), std::string(kSentimentTopic)}));
  while (!failure_) {
    if (options_.stop_requested && options_.stop_requested()) break;
    Result<std::optional<KafkaMessage>> message = consumer_->Poll(kPollTimeout);
    if (!message.ok()) {
      Log("consumer: " + message.error().message);
    } else if (*message) {
      Handle(**message);
    }
    Tick();
    // Idle time counts from the latest assignment: joining the group takes seconds.
    if (options_.stop_when_idle && assigned_ &&
        Clock::now() - last_message_ >= *options_.stop_when_idle) {
      if (NothingLeftToRead()) {
        Log("no message for the --stop-when-idle time: closing every window");
        FinishAll();
        break;
      }
      last_message_ = Clock::now();  // ask again after another idle period
    }
  }
  if (!failure_) CommitAll();
  // Leaving the group revokes what is left (and commits it again: the same state).
  Status closed = consumer_->Close();
  if (failure_) return *failure_;
  CRYPTOMOOD_RETURN_IF_ERROR(std::move(closed));
  return totals_;
}

}  // namespace

void PublishLatencyHistogram::Add(std::chrono::milliseconds latency, std::int64_t rows) {
  const auto bucket = std::clamp<std::int64_t>(latency.count(), 0, kBuckets - 1);
  counts[static_cast<std::size_t>(bucket)] += rows;
  total += rows;
}

std::int64_t PublishLatencyHistogram::Quantile(double fraction) const {
  if (total == 0) return 0;
  const auto wanted = static_cast<std::int64_t>(std::ceil(fraction * static_cast<double>(total)));
  std::int64_t seen = 0;
  for (std::size_t bucket = 0; bucket < counts.size(); ++bucket) {
    seen += counts[bucket];
    if (seen >= wanted) return static_cast<std::int64_t>(bucket);
  }
  return kBuckets - 1;
}

Result<StreamTotals> RunStreamMember(const StreamOptions& options) {
  StreamMember member(options);
  return member.Run();
}

}  // namespace cryptomood
