// The records a Kafka stream member stores and reads back for exactly-once output without
// Kafka transactions: one StreamCommit holds the result rows of the windows it closed, the
// opaque state of its operators and the offsets to consume next, and the store writes all of
// it in one transaction (Store::CommitStream). After a restart or a rebalance the member
// loads the StreamCheckpoint of each co-partition it owns and seeks to its offsets, so every
// message is reflected in the stored rows exactly once. A member claims each co-partition
// before loading it (Store::ClaimStreamPartition) and its commits carry the generation it
// got: a member that lost the partition without knowing yet (its session expired between
// two polls) cannot overwrite its successor's checkpoint.
// Keys: rows are filed under the canonical analysis parameters (core/stream_params_key.h) and
// identified by (params_key, symbol_id, window_start, lag); checkpoints by (group,
// params_key, partition).
// Thread-safety: plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis.h"
#include "core/market_data.h"
#include "core/timestamp.h"

namespace cryptomood {

struct StreamOffset {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t next_offset = 0;  // the first message not yet reflected in the stored rows
};

// One atomic commit of a stream member for one co-partition number.
struct StreamCommit {
  std::string group;       // consumer group id
  std::string params_key;  // StreamParamsKey of the member's analysis parameters
  std::int32_t partition = 0;
  std::vector<CorrelationRow> rows;   // closed windows' rows; window start and end must be set
  std::string state;                  // opaque bytes (NUL bytes allowed)
  std::vector<StreamOffset> offsets;  // next offset per topic-partition, each named once
  std::int64_t consumer_lag = 0;      // messages behind the partitions' high watermarks
  // The member commits at least this often while it is alive, rows or none; 0 = unknown.
  std::int64_t liveness_interval_nanos = 0;
  // The generation Store::ClaimStreamPartition gave the member for this partition; the commit
  // is refused (ErrorKind::kFenced) unless it is still the latest. 0: the writer never
  // claimed (tools, tests), accepted only while nobody has.
  std::int64_t fence = 0;
};

struct StreamCheckpoint {
  std::string state;
  std::vector<StreamOffset> offsets;  // ordered by (topic, partition)
};

// The order StreamRowQuery's rows come in.
enum class StreamRowOrder {
  kByKey,       // (symbol_id, window_start, lag): a stream's table of results
  kBySequence,  // the order they were committed in: a feed of changes (Server-Sent Events)
};

// Selects stored rows. `params_key` empty selects every key; `coins` empty selects all;
// `range` applies to the window start; rows have after_sequence < sequence and, when set,
// sequence <= through_sequence; `limit` <= 0 means no limit.
struct StreamRowQuery {
  std::string params_key;
  std::vector<std::string> coins;
  TimeRange range;
  std::int64_t after_sequence = 0;
  std::optional<std::int64_t> through_sequence;
  std::int64_t limit = 100000;
  StreamRowOrder order = StreamRowOrder::kByKey;
};

// One stored row as a query visits it; the views are valid during the visit only.
struct StoredStreamRow {
  std::int64_t sequence = 0;  // unique; a re-committed row gets a new, greater one
  std::string_view params_key;
  std::string_view coin;
  TimestampNs window_start = 0;
  std::string_view row_json;  // the row's API JSON object (io/correlation_row_json.h)
};

// The last commit of one (group, params_key, partition).
struct StreamProgress {
  std::string group;
  std::string params_key;
  std::int32_t partition = 0;
  std::int64_t consumer_lag = 0;
  TimestampNs committed_at = 0;  // wall clock of the commit
  std::int64_t rows = 0;         // rows written by all its commits (a re-written row counts again)
  std::int64_t liveness_interval_nanos = 0;  // its last commit's; 0 = unknown (an older member)
};

}  // namespace cryptomood
