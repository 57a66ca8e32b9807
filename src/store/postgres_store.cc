#include "store/postgres_store.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "io/content_keys.h"
#include "store/batched_ingest_writer.h"
#include "store/key_bytes.h"
#include "store/postgres_connection.h"
#include "store/postgres_copy_encoder.h"
#include "store/record_query_sql.h"
#include "store/result_cache_tables.h"
#include "store/schema_migration.h"
#include "store/stream_tables.h"
#include "store/symbol_directory.h"
#include "store/wall_clock.h"

namespace cryptomood {
namespace {

// Any constant shared by every cryptomood process: serialises concurrent migrations.
constexpr std::int64_t kMigrationLockKey = 0x63727970746f6d6fLL;  // "cryptomo"

// A running ingest's connection holds the connection-level advisory lock (kRunLockClass, run)
// from before its run is visible until the run is closed; the server drops it when the
// connection ends, however the client ended. pg_locks shows it as classid, objid with
// objsubid 2 (the two-integer form), which no bigint key such as kMigrationLockKey ever takes.
// The second integer is the run's low 31 bits.
constexpr std::int64_t kRunLockClass = 0x72756e73;  // "runs"
constexpr std::int64_t kRunLockIdMask = 0x7fffffff;

constexpr std::string_view kLockRun =
    "SELECT pg_advisory_lock($1::integer, ($2 & $3)::integer)::text";
constexpr std::string_view kUnlockRun =
    "SELECT pg_advisory_unlock($1::integer, ($2 & $3)::integer)::text";

PgParams RunLockParams(std::int64_t run) {
  return PgParams().Int64(kRunLockClass).Int64(run).Int64(kRunLockIdMask);
}

// Runs marked running whose lock no connection to this database holds: their writers are gone.
constexpr std::string_view kMarkAbandonedRuns = R"sql(
UPDATE ingest_runs r SET status = $1, message = $2
WHERE r.status = $3 AND NOT EXISTS (
  SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid::bigint = $4 AND l.objid::bigint = (r.run & $5)))sql";

// Batches sort and hash a few hundred thousand staged rows: enough work memory keeps that off
// disk. The staging tables live as long as the session and empty at every commit.
constexpr std::string_view kStagingTables = R"sql(
SET work_mem = '128MB';
CREATE TEMP TABLE IF NOT EXISTS trade_stage (
  line bigint GENERATED ALWAYS AS IDENTITY, uuid uuid, timestamp_ns bigint,
  time_exchange_ns bigint, price double precision, size double precision, sequence bigint,
  symbol_key integer, taker_side text, type text, has_coins boolean) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS sentiment_stage (
  line bigint, content_key bytea, timestamp_ns bigint, polarity double precision,
  coins text, text bytea, coin_set bytea[]) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS reject_stage (
  line_number bigint, line_key bytea, reason bytea, raw_line bytea) ON COMMIT DELETE ROWS;
)sql";

// The columns of a trade COPY stream, the same for the staging table (whose `line` numbers the
// rows in stream order) and for trades itself (whose `ord` does).
constexpr std::string_view kTradeCopyColumns =
    "(uuid, timestamp_ns, time_exchange_ns, price, size, sequence, symbol_key, taker_side, "
    "type, has_coins)";

// Claims the staged uuids in sorted order, then inserts, in input order, the first staged
// trade of each uuid whose claim was new.
constexpr std::string_view kMoveTrades = R"sql(
WITH claimed AS (
  INSERT INTO trade_uuids (uuid)
  SELECT DISTINCT uuid FROM trade_stage ORDER BY uuid
  ON CONFLICT (uuid) DO NOTHING
  RETURNING uuid),
firsts AS (
  SELECT DISTINCT ON (st.uuid) st.*
  FROM trade_stage st JOIN claimed c ON c.uuid = st.uuid
  ORDER BY st.uuid, st.line)
INSERT INTO trades (uuid, timestamp_ns, time_exchange_ns, price, size, sequence, symbol_key,
                    taker_side, type, has_coins)
SELECT uuid, timestamp_ns, time_exchange_ns, price, size, sequence, symbol_key, taker_side,
       type, has_coins
FROM firsts ORDER BY line)sql";

// SQLSTATE unique_violation: a direct COPY met a uuid the store (or the batch) already holds.
constexpr std::string_view kUniqueViolation = "23505";

// The coin relation rows of the tweets just added; "SELECT count(*) FROM added" tells how many
// were new (data-modifying CTEs always run to completion).
constexpr std::string_view kMoveSentiment = R"sql(
WITH added AS (
  INSERT INTO sentiment (content_key, timestamp_ns, polarity, coins, text)
  SELECT content_key, timestamp_ns, polarity, coins, text FROM sentiment_stage ORDER BY line
  ON CONFLICT (content_key) DO NOTHING
  RETURNING ord, content_key, timestamp_ns),
coin_rows AS (
  INSERT INTO sentiment_coins (coin, timestamp_ns, ord)
  SELECT DISTINCT c.coin, a.timestamp_ns, a.ord
  FROM added a JOIN sentiment_stage st ON st.content_key = a.content_key
  CROSS JOIN LATERAL unnest(st.coin_set) AS c(coin)
  RETURNING 1)
SELECT count(*) FROM added)sql";

constexpr std::string_view kMoveRejects = R"sql(
INSERT INTO rejected_lines (file, line_number, line_key, reason, raw_line, run)
SELECT $1, line_number, line_key, reason, raw_line, $2 FROM reject_stage
ON CONFLICT DO NOTHING)sql";

Key128 ReadKey(const PgResult& rows, int row, int column) {
  const std::string_view bytes = rows.Bytes(row, column);
  if (bytes.size() != 16) return {};
  return KeyFromBytes(reinterpret_cast<const unsigned char*>(bytes.data()));
}

// Each batch is one transaction, open from its first row: symbols new to the writer are
// inserted (and their keys learnt) inside it, so a rolled-back batch leaves no symbol behind.
// A trade is stored by claiming its uuid in trade_uuids (whose primary key is what makes
// uuids unique) and inserting it into trades, in the same transaction. Trades take one of two
// paths. Direct, inside a savepoint: the batch's uuids are copied into trade_uuids in sorted
// order (the B-tree is then written front to back, not at a random leaf per row), and the
// trades straight into trades in input order: no staging, no per-row conflict probe, COPY's
// multi-row heap inserts. A batch holding a uuid already stored (a rerun, a file ingested
// again, a duplicate within the batch) fails the first copy with a unique violation and is
// rolled back to the savepoint. Staged: the trades are copied into a temporary table and
// moved by kMoveTrades, which keeps the first occurrence of each new uuid. A writer starts
// direct, stages after a violation, and goes direct again after a staged batch in which every
// trade was new.
// The writer holds its run's advisory lock (kRunLockClass) until the run is closed or the
// writer destroyed.
class PostgresIngestWriter final : public BatchedIngestWriter {
 public:
  PostgresIngestWriter(PgConnection& connection, std::int64_t run, const IngestFileInfo& info)
      : BatchedIngestWriter(run, info.batch_rows),
        connection_(connection),
        file_(info.file),
        kind_(info.kind) {}

  PostgresIngestWriter(const PostgresIngestWriter&) = delete;
  PostgresIngestWriter& operator=(const PostgresIngestWriter&) = delete;

  ~PostgresIngestWriter() override {
    if (connection_.in_transaction()) (void)connection_.Execute("ROLLBACK");
    ReleaseRunLock();
  }

 protected:
  Status BeginBatch() override {
    records_.Clear();
    rejects_.Clear();
    batch_symbols_.clear();
    batch_uuids_.clear();
    return connection_.Execute("BEGIN");
  }

  Status WriteTrade(const TradeRow& trade) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol_key, SymbolKey(trade));
    batch_uuids_.push_back(trade.uuid);
    records_.BeginRow(10);
    records_.Key(ToBytes(trade.uuid));
    records_.Int64(trade.timestamp);
    records_.OptionalInt64(trade.time_exchange);
    records_.Double(trade.price);
    records_.Double(trade.size);
    records_.OptionalInt64(trade.sequence);
    records_.Int32(symbol_key);
    records_.OptionalText(trade.taker_side);
    records_.OptionalText(trade.type);
    records_.Bool(trade.has_coins);
    return {};
  }

  Status WriteSentiment(const SentimentRow& sentiment) override {
    records_.BeginRow(7);
    records_.Int64(records_.rows());
    records_.Key(ToBytes(sentiment.content_key));
    records_.Int64(sentiment.timestamp);
    records_.Double(sentiment.polarity);
    records_.Bytes(sentiment.coins_json);
    records_.Bytes(sentiment.text);
    records_.ByteaArray(sentiment.coin_set);
    return {};
  }

  Status WriteReject(const RejectRow& reject) override {
    rejects_.BeginRow(4);
    rejects_.Int64(reject.line_number);
    rejects_.Key(ToBytes(RejectedLineKey(reject.raw_line)));
    rejects_.Bytes(reject.reason);
    rejects_.Bytes(reject.raw_line);
    return {};
  }

  Result<BatchOutcome> FlushBatch() override {
    BatchOutcome outcome;
    if (!records_.empty()) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto added,
                                  kind_ == RecordKind::kTrade ? MoveTrades() : MoveSentiment());
      outcome.records_added = added;
      outcome.records_present = records_.rows() - added;
    }
    if (!rejects_.empty()) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(outcome.rejects_added, MoveRejects());
    }
    return outcome;
  }

  Status CommitBatch(const IngestTally& tally, const BatchOutcome& outcome) override {
    CRYPTOMOOD_RETURN_IF_ERROR(UpdateRun(tally));
    const bool trades = kind_ == RecordKind::kTrade;
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Query(
        "UPDATE store_state SET data_version = data_version + $1, trades = trades + $2, "
        "sentiment = sentiment + $3, rejected_lines = rejected_lines + $4 WHERE id = 1",
        PgParams()
            .Int64(outcome.records_added > 0 ? 1 : 0)
            .Int64(trades ? outcome.records_added : 0)
            .Int64(trades ? 0 : outcome.records_added)
            .Int64(outcome.rejects_added)));
    return connection_.Execute("COMMIT");
  }

  void RollbackBatch() override {
    if (connection_.in_transaction()) (void)connection_.Execute("ROLLBACK");
    for (const std::string& symbol_id : batch_symbols_) symbol_keys_.erase(symbol_id);
    batch_symbols_.clear();
  }

  Status CloseRun(std::string_view status, std::string_view message,
                  const IngestTally& tally) override {
    Status closed = WriteRunStatus(status, message, tally);
    ReleaseRunLock();  // a run left "running" by a failure here reads as abandoned
    return closed;
  }

 private:
  Status WriteRunStatus(std::string_view status, std::string_view message,
                        const IngestTally& tally) {
    CRYPTOMOOD_RETURN_IF_ERROR(UpdateRun(tally));
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Query(
        "UPDATE ingest_runs SET status = $1, message = $2, finished_ns = $3 WHERE run = $4",
        PgParams().Text(status).Bytea(message).Int64(WallClockNow()).Int64(run())));
    return {};
  }

  // Best effort: if the connection is gone, so is its lock.
  void ReleaseRunLock() {
    if (!run_locked_) return;
    run_locked_ = false;
    (void)connection_.Query(std::string(kUnlockRun), RunLockParams(run()));
  }

  Status UpdateRun(const IngestTally& tally) {
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Query(
        "UPDATE ingest_runs SET lines = $1, accepted = $2, duplicates = $3, rejected = $4 "
        "WHERE run = $5",
        PgParams()
            .Int64(tally.lines)
            .Int64(tally.added)
            .Int64(tally.already_stored)
            .Int64(tally.rejected)
            .Int64(run())));
    return {};
  }

  // A trade's symbol key, inserting the symbol (in the open batch) the first time it is met.
  Result<std::int32_t> SymbolKey(const TradeRow& trade) {
    const auto found = symbol_keys_.find(trade.symbol_id);
    if (found != symbol_keys_.end()) return found->second;
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection_.Query("INSERT INTO symbols (symbol_id, base, quote) VALUES ($1, $2, $3) "
                          "ON CONFLICT (symbol_id) DO NOTHING",
                          PgParams().Bytea(trade.symbol_id).Bytea(trade.base).Bytea(trade.quote)));
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto selected,
        connection_.Query("SELECT symbol_key::bigint FROM symbols WHERE symbol_id = $1",
                          PgParams().Bytea(trade.symbol_id)));
    if (selected.rows() != 1) {
      return Error{"postgresql: symbol vanished: " + std::string(trade.symbol_id)};
    }
    const auto key = static_cast<std::int32_t>(selected.Int64(0, 0));
    symbol_keys_.emplace(std::string(trade.symbol_id), key);
    batch_symbols_.emplace_back(trade.symbol_id);
    return key;
  }

  // The two paths described above the class.
  Result<std::int64_t> MoveTrades() {
    const std::string_view stream = records_.Finish();
    if (copy_direct_) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto copied, CopyTradesDirectly(stream));
      if (copied) return records_.rows();
      copy_direct_ = false;
    }
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.CopyIn(
        "COPY trade_stage " + std::string(kTradeCopyColumns) + " FROM STDIN (FORMAT binary)",
        stream));
    // Statistics on the fresh stage let the planner hash-join it instead of looping.
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Execute("ANALYZE trade_stage"));
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto moved, connection_.Query(std::string(kMoveTrades)));
    const std::int64_t added = moved.affected_rows();
    copy_direct_ = added == records_.rows();
    return added;
  }

  // true: every trade was new and is in; false: some uuid was already there and the batch's
  // transaction is as it was before the attempt.
  Result<bool> CopyTradesDirectly(std::string_view stream) {
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Execute("SAVEPOINT copy_direct"));
    std::sort(batch_uuids_.begin(), batch_uuids_.end());  // Uuid's order is the stored one
    uuids_.Clear();
    for (const Uuid& uuid : batch_uuids_) {
      uuids_.BeginRow(1);
      uuids_.Key(ToBytes(uuid));
    }
    Status claimed =
        connection_.CopyIn("COPY trade_uuids (uuid) FROM STDIN (FORMAT binary)", uuids_.Finish());
    if (!claimed.ok()) {
      if (connection_.last_sqlstate() != kUniqueViolation) return claimed.error();
      CRYPTOMOOD_RETURN_IF_ERROR(connection_.Execute("ROLLBACK TO SAVEPOINT copy_direct"));
      return false;
    }
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.CopyIn(
        "COPY trades " + std::string(kTradeCopyColumns) + " FROM STDIN (FORMAT binary)", stream));
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Execute("RELEASE SAVEPOINT copy_direct"));
    return true;
  }

  Result<std::int64_t> MoveSentiment() {
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection_.CopyIn("COPY sentiment_stage FROM STDIN (FORMAT binary)", records_.Finish()));
    CRYPTOMOOD_RETURN_IF_ERROR(connection_.Execute("ANALYZE sentiment_stage"));
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto moved, connection_.Query(std::string(kMoveSentiment)));
    return moved.Int64(0, 0);
  }

  Result<std::int64_t> MoveRejects() {
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection_.CopyIn("COPY reject_stage FROM STDIN (FORMAT binary)", rejects_.Finish()));
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto moved,
        connection_.Query(std::string(kMoveRejects), PgParams().Bytea(file_).Int64(run())));
    return moved.affected_rows();
  }

  PgConnection& connection_;
  bool run_locked_ = true;  // BeginIngest takes the lock before making the writer
  std::string file_;
  RecordKind kind_;
  PgCopyEncoder records_;
  PgCopyEncoder rejects_;
  PgCopyEncoder uuids_;                     // the direct path's sorted uuids
  std::vector<Uuid> batch_uuids_;           // the open batch's trade uuids
  bool copy_direct_ = true;                 // the next batch tries the direct path
  std::vector<std::string> batch_symbols_;  // keys first learnt in the open batch
  // Keys of the symbols this writer has inserted or found, by symbol id.
  std::unordered_map<std::string, std::int32_t, StringViewHash, std::equal_to<>> symbol_keys_;
};

// The stream tables' adapter (stream_tables.h): every string binds as bytea.
class PostgresStreamConnection final : public StreamSqlConnection {
 public:
  explicit PostgresStreamConnection(PgConnection& connection) : connection_(connection) {}

  Status Begin() override { return connection_.Execute("BEGIN"); }
  Status Commit() override { return connection_.Execute("COMMIT"); }
  void Rollback() override {
    if (connection_.in_transaction()) (void)connection_.Execute("ROLLBACK");
  }

  Status Execute(const StreamStatement& statement) override {
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection_.Query(NumberPlaceholders(statement.sql), PgParams::From(Values(statement))));
    return {};
  }

  Status ForEachRow(const StreamStatement& statement, const RowVisitor& visit) override {
    const SqlQuery query{NumberPlaceholders(statement.sql), Values(statement)};
    return connection_.Stream(query, statement.max_rows,
                              [&](const PgResult& rows, int row) { return visit(Row(rows, row)); });
  }

 private:
  class Row final : public StreamSqlRow {
   public:
    Row(const PgResult& rows, int row) : rows_(rows), row_(row) {}
    std::int64_t Int(int column) const override { return rows_.Int64(row_, column); }
    std::string_view Bytes(int column) const override { return rows_.Bytes(row_, column); }

   private:
    const PgResult& rows_;
    int row_;
  };

  // Integers as int8, everything else as bytea.
  static std::vector<SqlValue> Values(const StreamStatement& statement) {
    std::vector<SqlValue> values;
    values.reserve(statement.values.size());
    for (const StreamSqlValue& value : statement.values) {
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        values.emplace_back(*integer);
      } else if (const auto* text = std::get_if<std::string_view>(&value)) {
        values.emplace_back(std::string(*text));
      } else {
        values.emplace_back(std::string(std::get<SqlBlob>(value).bytes));
      }
    }
    return values;
  }

  PgConnection& connection_;
};

class PostgresStore final : public StreamTablesStore {
 public:
  PostgresStore(std::unique_ptr<PgConnection> connection, const StoreOptions& options)
      : connection_(std::move(connection)),
        stream_(*connection_),
        cache_budget_bytes_(options.cache_budget_bytes) {}

  Status Migrate() {
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute("BEGIN"));
    Status migrated = MigrateInTransaction();
    if (!migrated.ok()) {
      (void)connection_->Execute("ROLLBACK");
      return migrated;
    }
    return connection_->Execute("COMMIT");
  }

  std::string_view backend() const override { return "postgresql"; }

  Status CheckHealth() override {
    if (!connection_->EnsureConnected()) return Error{"postgresql: connection lost"};
    CRYPTOMOOD_RETURN_IF_ERROR(DataVersion());
    return {};
  }

  Result<std::int64_t> SchemaVersion() override {
    return QueryInt("SELECT coalesce(max(version), 0)::bigint FROM schema_version");
  }

  Result<std::int64_t> DataVersion() override {
    return QueryInt("SELECT data_version FROM store_state WHERE id = 1");
  }

  Result<std::optional<TimestampNs>> LatestTradeTimestamp() override {
    // The smallest int64 stands for "no trade": no stored timestamp can be that early.
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto latest,
        QueryInt("SELECT coalesce(max(timestamp_ns), -9223372036854775807 - 1) FROM trades"));
    if (latest == std::numeric_limits<std::int64_t>::min()) return std::optional<TimestampNs>{};
    return std::optional<TimestampNs>{latest};
  }

  Result<StoreCounts> Counts() override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto rows,
        connection_->Query(
            "SELECT data_version, trades, sentiment, rejected_lines, "
            "(SELECT count(*) FROM symbols), (SELECT count(*) FROM ingest_runs), "
            "(SELECT count(*) FROM cached_results), (SELECT body_bytes FROM cache_state) "
            "FROM store_state WHERE id = 1"));
    if (rows.rows() != 1) return Error{"postgresql: store_state is empty"};
    const PgResult& r = rows;
    return StoreCounts{r.Int64(0, 0), r.Int64(0, 1), r.Int64(0, 2), r.Int64(0, 3),
                       r.Int64(0, 4), r.Int64(0, 5), r.Int64(0, 6), r.Int64(0, 7)};
  }

  // One transaction: abandoned runs are marked, the new run is recorded and its lock taken
  // before the commit makes it visible, so no connection sees it running without its lock.
  Result<std::unique_ptr<IngestWriter>> BeginIngest(const IngestFileInfo& info) override {
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute(kStagingTables));
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute("BEGIN"));
    auto run = StartRun(info);
    if (!run.ok()) {
      (void)connection_->Execute("ROLLBACK");
      return run.error();
    }
    // A failed commit ends the transaction but not the connection's lock: the writer releases it.
    auto writer = std::make_unique<PostgresIngestWriter>(*connection_, *run, info);
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute("COMMIT"));
    return std::unique_ptr<IngestWriter>(std::move(writer));
  }

  Result<std::vector<IngestRunRecord>> ListIngestRuns(std::int64_t limit) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto rows,
        connection_->Query(
            "SELECT run, file, kind, status, lines, accepted, duplicates, rejected, started_ns, "
            "finished_ns, message FROM ingest_runs ORDER BY run DESC LIMIT $1",
            PgParams().Int64(limit > 0 ? limit : std::numeric_limits<std::int64_t>::max())));
    std::vector<IngestRunRecord> runs;
    for (int row = 0; row < rows.rows(); ++row) {
      const PgResult& r = rows;
      IngestRunRecord record;
      record.run = r.Int64(row, 0);
      record.file = r.Bytes(row, 1);
      record.kind = r.Bytes(row, 2);
      record.status = r.Bytes(row, 3);
      record.tally = {r.Int64(row, 4), r.Int64(row, 5), r.Int64(row, 6), r.Int64(row, 7)};
      record.started = r.Int64(row, 8);
      record.finished = r.OptionalInt64(row, 9);
      record.message = r.Bytes(row, 10);
      runs.push_back(std::move(record));
    }
    return runs;
  }

  Result<std::optional<RowCursor>> ForEachTrade(const RecordQuery& query,
                                                const TradeVisitor& visit) override {
    std::vector<std::int64_t> symbol_keys;
    if (!query.coins.empty()) {
      CRYPTOMOOD_RETURN_IF_ERROR(RefreshSymbols());
      symbol_keys = symbols_.KeysOfCoins(query.coins);
      if (symbol_keys.empty()) return std::optional<RowCursor>();
    }
    StoredTrade trade;
    return StreamPage(TradePageSql(query, symbol_keys, PlaceholderStyle::kDollarNumber),
                      query.limit, [&](const PgResult& r, int row) -> Result<RowCursor> {
                        const std::string_view uuid = r.Bytes(row, 1);
                        if (uuid.size() != 16) return Error{"postgresql: malformed uuid"};
                        CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol, FindSymbol(r.Int64(row, 7)));
                        trade.order = r.Int64(row, 0);
                        trade.uuid =
                            UuidFromBytes(reinterpret_cast<const unsigned char*>(uuid.data()));
                        trade.timestamp = r.Int64(row, 2);
                        trade.time_exchange = r.OptionalInt64(row, 3);
                        trade.price = r.Double(row, 4);
                        trade.size = r.Double(row, 5);
                        trade.sequence = r.OptionalInt64(row, 6);
                        trade.symbol_id = symbol->symbol_id;
                        trade.base = symbol->base;
                        trade.quote = symbol->quote;
                        trade.taker_side = r.Bytes(row, 8);
                        trade.type = r.Bytes(row, 9);
                        trade.has_coins = r.Bool(row, 10);
                        CRYPTOMOOD_RETURN_IF_ERROR(visit(trade));
                        return trade.cursor();
                      });
  }

  Result<std::optional<RowCursor>> ForEachSentiment(const RecordQuery& query,
                                                    const SentimentVisitor& visit) override {
    StoredSentiment sentiment;
    return StreamPage(SentimentPageSql(query, PlaceholderStyle::kDollarNumber), query.limit,
                      [&](const PgResult& r, int row) -> Result<RowCursor> {
                        sentiment.order = r.Int64(row, 0);
                        sentiment.content_key = ReadKey(r, row, 1);
                        sentiment.timestamp = r.Int64(row, 2);
                        sentiment.polarity = r.Double(row, 3);
                        sentiment.coins_json = r.Bytes(row, 4);
                        sentiment.text = r.Bytes(row, 5);
                        CRYPTOMOOD_RETURN_IF_ERROR(visit(sentiment));
                        return sentiment.cursor();
                      });
  }

  Status ForEachRejectedLine(const RejectVisitor& visit) override {
    const SqlQuery query{
        "SELECT file, line_number, reason, raw_line FROM rejected_lines "
        "ORDER BY file, line_number, line_key",
        {}};
    return connection_->Stream(query, std::nullopt, [&](const PgResult& r, int row) {
      return visit(
          StoredReject{r.Bytes(row, 0), r.Int64(row, 1), r.Bytes(row, 2), r.Bytes(row, 3)});
    });
  }

  Result<std::vector<SymbolRecord>> ListSymbols() override {
    CRYPTOMOOD_RETURN_IF_ERROR(RefreshSymbols());
    return symbols_.List();
  }

  Status ScanTradePoints(const std::vector<std::string>& coins, const TimeRange& range,
                         const TradePointVisitor& visit) override {
    CRYPTOMOOD_RETURN_IF_ERROR(RefreshSymbols());
    const std::vector<std::int64_t> symbol_keys = symbols_.KeysOfCoins(coins);
    if (!coins.empty() && symbol_keys.empty()) return {};
    const SqlQuery query =
        TradePointsSql(range, !coins.empty(), symbol_keys, PlaceholderStyle::kDollarNumber);
    return connection_->Stream(query, std::nullopt, [&](const PgResult& r, int row) -> Status {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol, FindSymbol(r.Int64(row, 0)));
      visit(symbol->symbol_id, symbol->base,
            TradePoint{r.Int64(row, 1), r.Double(row, 2), r.Double(row, 3)}, r.Int64(row, 4));
      return {};
    });
  }

  Status ScanSentimentPoints(const std::vector<std::string>& coins, const TimeRange& range,
                             const SentimentPointVisitor& visit) override {
    const SqlQuery query = SentimentPointsSql(coins, range, PlaceholderStyle::kDollarNumber);
    return connection_->Stream(query, std::nullopt, [&](const PgResult& r, int row) -> Status {
      visit(r.Bytes(row, 0), SentimentPoint{r.Int64(row, 1), r.Double(row, 2)});
      return {};
    });
  }

  Result<std::optional<std::string>> GetCachedResult(std::string_view parameter_key,
                                                     std::int64_t data_version) override {
    return GetCachedResultRow(stream_, parameter_key, data_version, cache_budget_bytes_);
  }

  Status PutCachedResult(std::string_view parameter_key, std::int64_t data_version,
                         std::string_view body) override {
    return PutCachedResultRow(stream_, parameter_key, data_version, body, cache_budget_bytes_);
  }

 private:
  // Inside BeginIngest's transaction; returns the new run, its lock held.
  Result<std::int64_t> StartRun(const IngestFileInfo& info) {
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection_->Query(std::string(kMarkAbandonedRuns), PgParams()
                                                                .Text(kRunAbandoned)
                                                                .Bytea(kRunAbandonedMessage)
                                                                .Text(kRunRunning)
                                                                .Int64(kRunLockClass)
                                                                .Int64(kRunLockIdMask)));
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto rows,
        connection_->Query("INSERT INTO ingest_runs (file, kind, status, started_ns) "
                           "VALUES ($1, $2, $3, $4) RETURNING run",
                           PgParams()
                               .Bytea(info.file)
                               .Text(info.kind == RecordKind::kTrade ? "trades" : "sentiment")
                               .Text(kRunRunning)
                               .Int64(WallClockNow())));
    const std::int64_t run = rows.Int64(0, 0);
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Query(std::string(kLockRun), RunLockParams(run)));
    return run;
  }

  Status MigrateInTransaction() {
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Query("SELECT pg_advisory_xact_lock($1)",
                                                  PgParams().Int64(kMigrationLockKey)));
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
        "description text NOT NULL, applied_ns bigint NOT NULL)"));
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto current, SchemaVersion());
    const std::span<const Migration> migrations = PostgresMigrations();
    const int latest = LatestSchemaVersion(migrations);
    if (current > latest) {
      return Error{"store schema version " + std::to_string(current) +
                   " is newer than this program's " + std::to_string(latest)};
    }
    for (const Migration& migration : migrations) {
      if (migration.version <= current) continue;
      CRYPTOMOOD_RETURN_IF_ERROR(connection_->Execute(migration.sql));
      CRYPTOMOOD_RETURN_IF_ERROR(connection_->Query(
          "INSERT INTO schema_version (version, description, applied_ns) VALUES ($1, $2, $3)",
          PgParams().Int64(migration.version).Text(migration.description).Int64(WallClockNow())));
    }
    return {};
  }

  // A column of int4/int8: the schema_version and count(*) queries cast to bigint.
  Result<std::int64_t> QueryInt(const std::string& sql) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, connection_->Query(sql));
    if (rows.rows() != 1) return Error{"postgresql: no row from " + sql};
    return rows.Int64(0, 0);
  }

  // Delivers up to `limit` rows (limit + 1 are asked for) and returns where the next page
  // starts when the extra row came.
  template <typename Deliver>
  Result<std::optional<RowCursor>> StreamPage(const SqlQuery& query, std::int64_t limit,
                                              Deliver&& deliver) {
    std::int64_t delivered = 0;
    bool more = false;
    std::optional<RowCursor> last;
    const std::optional<std::int64_t> max_rows =
        limit > 0 ? std::optional<std::int64_t>(limit + 1) : std::nullopt;
    const auto deliver_row = [&](const PgResult& r, int row) -> Status {
      if (limit > 0 && delivered == limit) {
        more = true;
        return {};
      }
      CRYPTOMOOD_ASSIGN_OR_RETURN(last, deliver(r, row));
      ++delivered;
      return {};
    };
    CRYPTOMOOD_RETURN_IF_ERROR(connection_->Stream(query, max_rows, deliver_row));
    return more ? last : std::optional<RowCursor>();
  }

  Status RefreshSymbols() {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto rows,
        connection_->Query("SELECT symbol_key::bigint, symbol_id, base, quote FROM symbols"));
    symbols_.Clear();
    for (int row = 0; row < rows.rows(); ++row) {
      symbols_.Add(rows.Int64(row, 0),
                   SymbolRecord{std::string(rows.Bytes(row, 1)), std::string(rows.Bytes(row, 2)),
                                std::string(rows.Bytes(row, 3))});
    }
    return {};
  }

  Result<const SymbolRecord*> FindSymbol(std::int64_t key) {
    if (const SymbolRecord* symbol = symbols_.Find(key)) return symbol;
    CRYPTOMOOD_RETURN_IF_ERROR(RefreshSymbols());
    if (const SymbolRecord* symbol = symbols_.Find(key)) return symbol;
    return Error{"postgresql: trade refers to unknown symbol key " + std::to_string(key)};
  }

  StreamSqlConnection& stream_connection() override { return stream_; }

  std::unique_ptr<PgConnection> connection_;
  PostgresStreamConnection stream_;
  SymbolDirectory symbols_;
  std::int64_t cache_budget_bytes_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const StoreOptions& options) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto connection, PgConnection::Connect(uri));
  auto store = std::make_unique<PostgresStore>(std::move(connection), options);
  if (Status status = store->Migrate(); !status.ok()) {
    return Error{"cannot migrate the PostgreSQL store: " + status.error().message};
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cryptomood
