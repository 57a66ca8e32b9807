// The SQLite schema. Row layout notes: trades are clustered by their keyset order
// (timestamp_ns, ord) in a WITHOUT ROWID table, so time-ordered input appends and pages read
// contiguous rows, with one index fewer to maintain on the ingest hot path. There is no
// per-symbol index either (it cost a third of the ingest time): a coin filter walks the time
// order and skips other symbols' rows, which is cheap while coins are few. Their `ord` comes
// from store_state.trade_ord, advanced inside each batch's write transaction. For the other
// tables `ord` is the rowid, and an index on (timestamp_ns) is implicitly on
// (timestamp_ns, rowid). Uuids and content keys are 16-byte blobs; raw lines are blobs.
// Since migration 2 a trade's uuid is unique through trade_uuids, which holds exactly the
// uuids of the rows in trades (ingest writes both in one transaction), not through trades.
#include <array>

#include "store/schema_migration.h"

namespace cryptomood {
namespace {

constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE store_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data_version INTEGER NOT NULL,
  trades INTEGER NOT NULL,
  sentiment INTEGER NOT NULL,
  rejected_lines INTEGER NOT NULL,
  trade_ord INTEGER NOT NULL);
INSERT INTO store_state VALUES (1, 0, 0, 0, 0, 0);

CREATE TABLE symbols (
  symbol_key INTEGER PRIMARY KEY,
  symbol_id TEXT NOT NULL UNIQUE,
  base TEXT NOT NULL,
  quote TEXT NOT NULL);
CREATE INDEX symbols_by_base ON symbols (base);

CREATE TABLE trades (
  timestamp_ns INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  uuid BLOB NOT NULL UNIQUE,
  time_exchange_ns INTEGER,
  price REAL NOT NULL,
  size REAL NOT NULL,
  sequence INTEGER,
  symbol_key INTEGER NOT NULL REFERENCES symbols (symbol_key),
  taker_side TEXT,
  type TEXT,
  has_coins INTEGER NOT NULL,
  PRIMARY KEY (timestamp_ns, ord)) WITHOUT ROWID;

CREATE TABLE sentiment (
  ord INTEGER PRIMARY KEY,
  content_key BLOB NOT NULL UNIQUE,
  timestamp_ns INTEGER NOT NULL,
  polarity REAL NOT NULL,
  coins TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX sentiment_by_time ON sentiment (timestamp_ns);

CREATE TABLE sentiment_coins (
  coin TEXT NOT NULL,
  timestamp_ns INTEGER NOT NULL,
  ord INTEGER NOT NULL REFERENCES sentiment (ord),
  PRIMARY KEY (coin, timestamp_ns, ord)) WITHOUT ROWID;

CREATE TABLE ingest_runs (
  run INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  lines INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  started_ns INTEGER NOT NULL,
  finished_ns INTEGER,
  message TEXT NOT NULL DEFAULT '');

CREATE TABLE rejected_lines (
  file TEXT NOT NULL,
  line_number INTEGER NOT NULL,
  line_key BLOB NOT NULL,
  reason TEXT NOT NULL,
  raw_line BLOB NOT NULL,
  run INTEGER NOT NULL REFERENCES ingest_runs (run));
CREATE UNIQUE INDEX rejected_lines_by_position ON rejected_lines (file, line_number, line_key);

CREATE TABLE cached_results (
  parameter_key TEXT NOT NULL,
  data_version INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_ns INTEGER NOT NULL);
CREATE UNIQUE INDEX cached_results_by_key ON cached_results (parameter_key, data_version);
)sql";

// Uuid uniqueness moves from an index on trades to a table of its own, which ingest fills a
// batch at a time in uuid order (see SqliteIngestWriter): a UNIQUE index on trades is written
// in input order, a random leaf per row, and was a fifth of the ingest time. trades keeps its
// uuid column for reading; SQLite cannot drop a column constraint, so the table is rebuilt.
constexpr std::string_view kTradeUuidTable = R"sql(
CREATE TABLE trade_uuids (uuid BLOB PRIMARY KEY) WITHOUT ROWID;
INSERT INTO trade_uuids (uuid) SELECT uuid FROM trades ORDER BY uuid;

CREATE TABLE trades_by_time (
  timestamp_ns INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  uuid BLOB NOT NULL,
  time_exchange_ns INTEGER,
  price REAL NOT NULL,
  size REAL NOT NULL,
  sequence INTEGER,
  symbol_key INTEGER NOT NULL REFERENCES symbols (symbol_key),
  taker_side TEXT,
  type TEXT,
  has_coins INTEGER NOT NULL,
  PRIMARY KEY (timestamp_ns, ord)) WITHOUT ROWID;
INSERT INTO trades_by_time (timestamp_ns, ord, uuid, time_exchange_ns, price, size, sequence,
                            symbol_key, taker_side, type, has_coins)
SELECT timestamp_ns, ord, uuid, time_exchange_ns, price, size, sequence, symbol_key,
       taker_side, type, has_coins
FROM trades ORDER BY timestamp_ns, ord;
DROP TABLE trades;
ALTER TABLE trades_by_time RENAME TO trades;
)sql";

// Stream results (stream_records.h): rows keyed by (params_key, symbol_id, window start, lag),
// each stored as its API JSON object with the columns that filter and order it, and numbered
// from stream_state.last_sequence; per (group, params_key, partition) the operators' state and
// the next offsets to consume, replaced together with the rows in one transaction.
constexpr std::string_view kStreamTables = R"sql(
CREATE TABLE stream_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_sequence INTEGER NOT NULL);
INSERT INTO stream_state VALUES (1, 0);

CREATE TABLE stream_rows (
  params_key TEXT NOT NULL,
  symbol_id TEXT NOT NULL,
  window_start_ns INTEGER NOT NULL,
  lag INTEGER NOT NULL,
  coin TEXT NOT NULL,
  window_end_ns INTEGER NOT NULL,
  sequence INTEGER NOT NULL UNIQUE,
  row_json TEXT NOT NULL,
  PRIMARY KEY (params_key, symbol_id, window_start_ns, lag)) WITHOUT ROWID;

CREATE TABLE stream_checkpoints (
  consumer_group TEXT NOT NULL,
  params_key TEXT NOT NULL,
  stream_partition INTEGER NOT NULL,
  state BLOB NOT NULL,
  consumer_lag INTEGER NOT NULL,
  committed_ns INTEGER NOT NULL,
  rows_written INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, params_key, stream_partition));

CREATE TABLE stream_offsets (
  consumer_group TEXT NOT NULL,
  params_key TEXT NOT NULL,
  stream_partition INTEGER NOT NULL,
  topic TEXT NOT NULL,
  topic_partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, params_key, stream_partition, topic, topic_partition));
)sql";

// The result cache gets a byte budget with least-recently-used eviction (result_cache_tables.h):
// each entry records its body's size in bytes and its last use, a number one above the highest
// in the table when it was stored or read, and cache_state keeps the bodies' total. The table
// is rebuilt so that those columns precede the body: reading them then never touches the
// body's overflow pages. Existing entries are kept, ranked by creation as their use order.
constexpr std::string_view kResultCacheBudget = R"sql(
CREATE TABLE cached_results_new (
  parameter_key TEXT NOT NULL,
  data_version INTEGER NOT NULL,
  body_bytes INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  created_ns INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (parameter_key, data_version));
INSERT INTO cached_results_new (parameter_key, data_version, body_bytes, last_used,
                                created_ns, body)
SELECT parameter_key, data_version, length(CAST(body AS BLOB)),
       row_number() OVER (ORDER BY created_ns, rowid), created_ns, body
FROM cached_results;
DROP TABLE cached_results;
ALTER TABLE cached_results_new RENAME TO cached_results;
CREATE INDEX cached_results_by_use ON cached_results (last_used);

CREATE TABLE cache_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body_bytes INTEGER NOT NULL);
INSERT INTO cache_state SELECT 1, coalesce(sum(body_bytes), 0) FROM cached_results;
)sql";

// Each checkpoint records its member's liveness interval (stream_member.h): an idle member
// commits at least that often, so a commit much older tells that no member is working.
// Checkpoints written before have 0, meaning unknown. stream_fences holds, per (group,
// params_key, partition), the generation of the member that claimed it last (stream_tables.h):
// a commit carrying an older generation is refused.
constexpr std::string_view kStreamLivenessAndFences = R"sql(
ALTER TABLE stream_checkpoints ADD COLUMN liveness_interval_ns INTEGER NOT NULL DEFAULT 0;

CREATE TABLE stream_fences (
  consumer_group TEXT NOT NULL,
  params_key TEXT NOT NULL,
  stream_partition INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, params_key, stream_partition));
)sql";

constexpr std::array kMigrations = {
    Migration{1, "trades, sentiment, symbols, ingest runs, rejected lines, cached results",
              kInitialSchema},
    Migration{2, "trade uuids claimed in their own table instead of a unique index on trades",
              kTradeUuidTable},
    Migration{3, "stream result rows, checkpoints and offsets", kStreamTables},
    Migration{4, "result cache entries record their size and last use; cache_state their total",
              kResultCacheBudget},
    Migration{5, "stream checkpoints record their member's liveness interval; stream fences",
              kStreamLivenessAndFences},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

int LatestSchemaVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace cryptomood
