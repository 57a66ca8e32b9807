// StreamMember: `cryptomood stream`, one member of a consumer group over the trades and
// sentiment topics, computing the correlation rows of event-time windows as they close.
//
// Per co-partition number p it owns (both topics' partition p: the range assignor's
// co-partitioning), it keeps a StreamEngine and an EventTimeWatermark over two inputs
// (trades p, sentiment p). Messages are parsed and validated as `analyze` validates lines;
// unparseable ones go to cryptomood.dlq with an `error` header, events later than the
// watermark to cryptomood.late with a `reason` header; both are counted, nothing is dropped
// silently. Both carry the original key and payload and the headers `group`, `topic`,
// `partition` and `offset` naming the consumer group and the message they copy.
//
// Exactly once without Kafka transactions: a commit of partition p first publishes its new
// rows to cryptomood.correlation.<window> (keyed by symbol) and waits for the brokers, then
// stores, in one database transaction, the rows, the encoded engine state and the next
// offsets of both input partitions (Store::CommitStream). On assignment the member restores
// that checkpoint and seeks to its offsets. A crash between the two steps republishes the
// same rows (recomputed from the same events, bit for bit): output messages may repeat only
// as exact duplicates, and the store holds each row once.
//
// Commits happen when windows close, every commit interval while offsets advance, on
// revocation (a rebalance), on SIGTERM, and at --stop-when-idle's end (which first closes
// every open window, as the end of a batch run does). Partitions lost (the group moved on
// without this member) are dropped uncommitted: their new owner resumes from the last
// checkpoint. Each restore first claims the partition in the store, and each commit carries
// the claim's generation: a commit refused because a newer member claimed the partition
// since (this member was cut off and not told yet) drops the partition the same way.
// Thread-safety: RunStreamMember runs the member on the calling thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/result.h"
#include "stream/kafka_config.h"

namespace cryptomood {

struct StreamOptions {
  KafkaConfig kafka;
  std::string group;
  std::string store_url;
  AnalysisParams params;  // tick or bars, window set
  std::int64_t allowed_lateness_nanos = 30'000'000'000;
  std::chrono::milliseconds idle_timeout{30'000};
  // Backfills and tests: once no message came for this long and the brokers confirm that
  // nothing is left to read, the input is complete.
  std::optional<std::chrono::milliseconds> stop_when_idle;
  std::chrono::milliseconds commit_interval{1'000};
  // An owned partition with nothing new is committed again (same offsets and state) this
  // often, so readers of the store (serve's /healthz and the dashboard's live view) can tell
  // a member that is alive and idle from one that is gone.
  std::chrono::milliseconds liveness_interval{5'000};
  // Polled between messages; true asks the member to commit, leave the group and return.
  std::function<bool()> stop_requested;
  // Called with a human line for each notable event (assignment, commit failure, ...).
  std::function<void(const std::string&)> log;
};

// Milliseconds from the watermark passing a window's end (the poll that closed it) to the
// brokers acknowledging its rows, one count per row, in 1 ms buckets; the last bucket holds
// everything from kBuckets - 1 ms on. Rows closed by --stop-when-idle are not counted.
struct PublishLatencyHistogram {
  static constexpr std::size_t kBuckets = 10'000;
  std::vector<std::int64_t> counts = std::vector<std::int64_t>(kBuckets, 0);
  std::int64_t total = 0;

  void Add(std::chrono::milliseconds latency, std::int64_t rows);
  // The smallest bucket (ms) at or below which `fraction` of the rows are; 0 when empty.
  std::int64_t Quantile(double fraction) const;
};

struct StreamTotals {
  std::int64_t messages = 0;
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  std::int64_t late = 0;
  std::int64_t dead_letters = 0;
  std::int64_t rows = 0;
  std::int64_t commits = 0;
  PublishLatencyHistogram publish_latency;
};

// Runs until stop_requested, --stop-when-idle, or a failure (store, brokers, bad options).
// The totals cover this process's run.
Result<StreamTotals> RunStreamMember(const StreamOptions& options);

}  // namespace cryptomood
