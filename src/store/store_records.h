// The rows a Store hands out and takes in, and the queries that select them.
// Rows read from a store carry string views into the backend's buffers: valid only during
// the visitor call that receives them (copy what must outlive it). Rows written to a store
// are views too, read during the call that takes them.
// Order: records of one kind are ordered by (timestamp, arrival order); `order` is the
// store's arrival number of the row, unique within its table and increasing in ingest order,
// so ties in timestamp keep input order, as MarketDataBuilder's stable sort does.
// Thread-safety: plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/market_data.h"
#include "core/timestamp.h"
#include "io/key128_set.h"
#include "io/uuid.h"

namespace cryptomood {

// A position in the (timestamp, order) sequence of a table: pagination continues after it.
struct RowCursor {
  TimestampNs timestamp = 0;
  std::int64_t order = 0;
  friend bool operator==(const RowCursor&, const RowCursor&) = default;
};

// A page or a stream of trades or tweets. `coins` (base assets for trades, named coins for
// tweets) empty selects all; `limit` <= 0 means no limit.
struct RecordQuery {
  std::vector<std::string> coins;
  TimeRange range;
  std::optional<RowCursor> after;
  std::int64_t limit = 0;
  // Newest first: rows ordered by (timestamp, order) descending, `after` meaning "before".
  bool descending = false;
};

// ---- read side ----

struct StoredTrade {
  std::int64_t order = 0;
  Uuid uuid;  // FormatUuid gives the canonical lower-case text
  TimestampNs timestamp = 0;
  std::optional<TimestampNs> time_exchange;
  double price = 0;
  double size = 0;
  std::optional<std::int64_t> sequence;
  std::string_view symbol_id;
  std::string_view base;
  std::string_view quote;
  std::string_view taker_side;  // empty: the field was absent
  std::string_view type;        // empty: the field was absent
  bool has_coins = false;       // the input carried "coins", which the parser checks is [base]
  RowCursor cursor() const { return {timestamp, order}; }
};

struct StoredSentiment {
  std::int64_t order = 0;
  Key128 content_key;
  TimestampNs timestamp = 0;
  double polarity = 0;
  std::string_view coins_json;  // the coins as given: a JSON array of strings (see coins_json.h)
  std::string_view text;
  RowCursor cursor() const { return {timestamp, order}; }
};

struct StoredReject {
  std::string_view file;
  std::int64_t line_number = 0;
  std::string_view reason;
  std::string_view raw_line;  // verbatim bytes, without the newline
};

struct SymbolRecord {
  std::string symbol_id;
  std::string base;
  std::string quote;
};

// What one ingest of one file did. Invariant once finished:
// lines = added + already_stored + rejected.
struct IngestTally {
  std::int64_t lines = 0;
  std::int64_t added = 0;           // new rows
  std::int64_t already_stored = 0;  // valid lines whose record the store already held
  std::int64_t rejected = 0;
};

// A run whose writer is still at work (or was killed and not yet noticed).
inline constexpr std::string_view kRunRunning = "running";
// A run whose writer went away without finishing it; it keeps what it committed, and
// rerunning the same ingest completes the job.
inline constexpr std::string_view kRunAbandoned = "abandoned";
inline constexpr std::string_view kRunAbandonedMessage =
    "the ingest stopped before finishing (its process ended)";

struct IngestRunRecord {
  std::int64_t run = 0;
  std::string file;
  std::string kind;    // "trades" or "sentiment"
  std::string status;  // kRunRunning, "done", "failed" or kRunAbandoned
  IngestTally tally;   // as of the last committed batch
  TimestampNs started = 0;
  std::optional<TimestampNs> finished;  // none while running, nor for an abandoned run
  std::string message;                  // why it failed or was abandoned
};

// Row counts for monitoring; kept in step with the data by every ingest transaction.
struct StoreCounts {
  std::int64_t data_version = 0;
  std::int64_t trades = 0;
  std::int64_t sentiment = 0;
  std::int64_t rejected_lines = 0;
  std::int64_t symbols = 0;
  std::int64_t ingest_runs = 0;
  std::int64_t cached_results = 0;
  std::int64_t cached_result_bytes = 0;  // the cached bodies' bytes, within the cache budget
};

// ---- write side ----

struct TradeRow {
  Uuid uuid;
  TimestampNs timestamp = 0;
  std::optional<TimestampNs> time_exchange;
  double price = 0;
  double size = 0;
  std::optional<std::int64_t> sequence;
  std::string_view symbol_id;
  std::string_view base;
  std::string_view quote;
  std::string_view taker_side;  // empty: absent
  std::string_view type;        // empty: absent
  bool has_coins = false;
};

struct SentimentRow {
  Key128 content_key;  // SentimentContentKey of the record
  TimestampNs timestamp = 0;
  double polarity = 0;
  std::string_view coins_json;                 // as given (EncodeCoinsJson)
  std::span<const std::string_view> coin_set;  // sorted, distinct: the coin relation
  std::string_view text;
};

struct RejectRow {
  std::int64_t line_number = 0;
  std::string_view reason;
  std::string_view raw_line;
};

}  // namespace cryptomood
