#include "store/sqlite_store.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "io/content_keys.h"
#include "store/batched_ingest_writer.h"
#include "store/key_bytes.h"
#include "store/record_query_sql.h"
#include "store/result_cache_tables.h"
#include "store/run_lock_file.h"
#include "store/schema_migration.h"
#include "store/sqlite_database.h"
#include "store/stream_tables.h"
#include "store/symbol_directory.h"
#include "store/wall_clock.h"

namespace cryptomood {
namespace {

// Waiting this long for another writer's lock beats failing at once: ingests serialise.
constexpr int kBusyTimeoutMillis = 60'000;
// Checkpoint the WAL into the database every 64 MB of log (4096 pages of 16 KiB) rather than
// SQLite's default 1000 pages: a bulk ingest rewrites the same index pages in every batch,
// and fewer checkpoints copy each of them fewer times.
constexpr int kWalCheckpointPages = 4096;

void BindKey(SqliteStatement& statement, int index, const KeyBytes& bytes) {
  statement.BindBlob(index, bytes.data(), bytes.size());
}

void BindParams(SqliteStatement& statement, const std::vector<SqlValue>& params) {
  int index = 1;
  for (const SqlValue& value : params) {
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      statement.BindInt(index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      statement.BindDouble(index, *real);
    } else {
      statement.BindText(index, std::get<std::string>(value));
    }
    ++index;
  }
}

// Runs a prepared statement that yields one integer.
Result<std::int64_t> QueryInt(SqliteDatabase& database, const std::string& sql) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto statement, database.Prepare(sql));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, statement->Step());
  if (!row) return Error{"sqlite: no row from " + sql};
  const std::int64_t value = statement->Int(0);
  statement->Reset();
  return value;
}

Key128 ReadKey(const SqliteStatement& statement, int column) {
  const std::string_view bytes = statement.Bytes(column);
  if (bytes.size() != 16) return {};
  return KeyFromBytes(reinterpret_cast<const unsigned char*>(bytes.data()));
}

// Rows stepped out of a page query: deliver up to `limit`, and report where the next page
// starts if one more row exists.
template <typename Deliver>
Result<std::optional<RowCursor>> StepPage(SqliteStatement& statement, std::int64_t limit,
                                          Deliver&& deliver) {
  std::int64_t delivered = 0;
  std::optional<RowCursor> last;
  while (true) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, statement.Step());
    if (!row) break;
    if (limit > 0 && delivered == limit) {
      statement.Reset();
      return last;
    }
    auto cursor = deliver();
    if (!cursor.ok()) {
      statement.Reset();
      return cursor.error();
    }
    last = *cursor;
    ++delivered;
  }
  statement.Reset();
  return std::optional<RowCursor>();
}

// The statements an ingest runs per row or per batch, prepared once per writer: the database
// caches statements by SQL text, and looking one up per row (building and hashing the text)
// cost more than binding it.
struct IngestStatements {
  SqliteStatement* claim_uuid = nullptr;
  SqliteStatement* insert_trade = nullptr;
  SqliteStatement* insert_sentiment = nullptr;
  SqliteStatement* insert_sentiment_coin = nullptr;
  SqliteStatement* insert_reject = nullptr;
  SqliteStatement* insert_symbol = nullptr;
  SqliteStatement* select_symbol = nullptr;
  SqliteStatement* update_run = nullptr;
  SqliteStatement* update_state = nullptr;

  Status Prepare(SqliteDatabase& database) {
    const std::pair<SqliteStatement**, const char*> all[] = {
        {&claim_uuid, "INSERT OR IGNORE INTO trade_uuids (uuid) VALUES (?)"},
        {&insert_trade,
         "INSERT INTO trades (timestamp_ns, ord, uuid, time_exchange_ns, price, size, sequence, "
         "symbol_key, taker_side, type, has_coins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&insert_sentiment,
         "INSERT OR IGNORE INTO sentiment (content_key, timestamp_ns, polarity, coins, text) "
         "VALUES (?, ?, ?, ?, ?)"},
        {&insert_sentiment_coin,
         "INSERT INTO sentiment_coins (coin, timestamp_ns, ord) VALUES (?, ?, ?)"},
        {&insert_reject,
         "INSERT OR IGNORE INTO rejected_lines (file, line_number, line_key, reason, raw_line, "
         "run) VALUES (?, ?, ?, ?, ?, ?)"},
        {&insert_symbol, "INSERT OR IGNORE INTO symbols (symbol_id, base, quote) VALUES (?, ?, ?)"},
        {&select_symbol, "SELECT symbol_key FROM symbols WHERE symbol_id = ?"},
        {&update_run,
         "UPDATE ingest_runs SET lines = ?, accepted = ?, duplicates = ?, rejected = ? "
         "WHERE run = ?"},
        {&update_state,
         "UPDATE store_state SET data_version = data_version + ?, trades = trades + ?, "
         "sentiment = sentiment + ?, rejected_lines = rejected_lines + ?, "
         "trade_ord = max(trade_ord, ?) WHERE id = 1"},
    };
    for (const auto& [slot, sql] : all) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(*slot, database.Prepare(sql));
    }
    return {};
  }
};

// A trade held until its batch is flushed, with nothing that views the caller's buffers:
// the symbol is resolved to its key, the vocabulary fields view the writer's own copies.
struct PendingTrade {
  Uuid uuid;
  TimestampNs timestamp = 0;
  std::optional<TimestampNs> time_exchange;
  double price = 0;
  double size = 0;
  std::optional<std::int64_t> sequence;
  std::int64_t symbol_key = 0;
  std::string_view taker_side;
  std::string_view type;
  bool has_coins = false;
};

// Trades are not inserted as they arrive: a batch is held, then flushed in two passes.
// First its uuids are claimed in trade_uuids in sorted order (the first claim of a uuid wins;
// equal uuids keep input order, so the first occurrence in the file is the one stored), which
// walks that B-tree front to back instead of descending to a random leaf per row; then the
// trades whose claim was new are inserted in input order, numbered from store_state.trade_ord.
// Both passes run in the batch's one transaction, so trade_uuids and trades never disagree.
// The writer holds its run's RunLock until the run is closed or the writer destroyed.
class SqliteIngestWriter final : public BatchedIngestWriter {
 public:
  SqliteIngestWriter(SqliteDatabase& database, std::int64_t run, std::unique_ptr<RunLock> run_lock,
                     const IngestFileInfo& info)
      : BatchedIngestWriter(run, info.batch_rows),
        database_(database),
        run_lock_(std::move(run_lock)),
        file_(info.file),
        kind_(info.kind) {}

  SqliteIngestWriter(const SqliteIngestWriter&) = delete;
  SqliteIngestWriter& operator=(const SqliteIngestWriter&) = delete;

  ~SqliteIngestWriter() override {
    if (database_.in_transaction()) (void)database_.Execute("ROLLBACK");
  }

  Status PrepareStatements() { return statements_.Prepare(database_); }

 protected:
  Status BeginBatch() override {
    outcome_ = {};
    pending_trades_.clear();
    CRYPTOMOOD_RETURN_IF_ERROR(database_.Execute("BEGIN IMMEDIATE"));
    if (kind_ != RecordKind::kTrade) return {};
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        last_trade_order_, QueryInt(database_, "SELECT trade_ord FROM store_state WHERE id = 1"));
    return {};
  }

  Status WriteTrade(const TradeRow& trade) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol_key, SymbolKey(trade));
    PendingTrade& pending = pending_trades_.emplace_back();
    pending.uuid = trade.uuid;
    pending.timestamp = trade.timestamp;
    pending.time_exchange = trade.time_exchange;
    pending.price = trade.price;
    pending.size = trade.size;
    pending.sequence = trade.sequence;
    pending.symbol_key = symbol_key;
    pending.taker_side = OwnedWord(trade.taker_side);
    pending.type = OwnedWord(trade.type);
    pending.has_coins = trade.has_coins;
    return {};
  }

  Status WriteSentiment(const SentimentRow& sentiment) override {
    SqliteStatement& insert = *statements_.insert_sentiment;
    const KeyBytes key = ToBytes(sentiment.content_key);
    BindKey(insert, 1, key);
    insert.BindInt(2, sentiment.timestamp);
    insert.BindDouble(3, sentiment.polarity);
    insert.BindText(4, sentiment.coins_json);
    insert.BindText(5, sentiment.text);
    CRYPTOMOOD_RETURN_IF_ERROR(insert.Run());
    const bool added = database_.changes() == 1;
    CountRecord(added);
    if (!added) return {};
    const std::int64_t order = database_.last_insert_rowid();
    SqliteStatement& insert_coin = *statements_.insert_sentiment_coin;
    for (std::string_view coin : sentiment.coin_set) {
      insert_coin.BindText(1, coin);
      insert_coin.BindInt(2, sentiment.timestamp);
      insert_coin.BindInt(3, order);
      CRYPTOMOOD_RETURN_IF_ERROR(insert_coin.Run());
    }
    return {};
  }

  Status WriteReject(const RejectRow& reject) override {
    SqliteStatement& insert = *statements_.insert_reject;
    const KeyBytes key = ToBytes(RejectedLineKey(reject.raw_line));
    insert.BindText(1, file_);
    insert.BindInt(2, reject.line_number);
    BindKey(insert, 3, key);
    insert.BindText(4, reject.reason);
    insert.BindBlob(5, reject.raw_line.data(), reject.raw_line.size());
    insert.BindInt(6, run());
    CRYPTOMOOD_RETURN_IF_ERROR(insert.Run());
    if (database_.changes() == 1) ++outcome_.rejects_added;
    return {};
  }

  Result<BatchOutcome> FlushBatch() override {
    CRYPTOMOOD_RETURN_IF_ERROR(FlushTrades());
    return outcome_;
  }

  Status CommitBatch(const IngestTally& tally, const BatchOutcome& outcome) override {
    CRYPTOMOOD_RETURN_IF_ERROR(UpdateRun(tally));
    SqliteStatement& update = *statements_.update_state;
    const bool trades = kind_is_trades();
    update.BindInt(1, outcome.records_added > 0 ? 1 : 0);
    update.BindInt(2, trades ? outcome.records_added : 0);
    update.BindInt(3, trades ? 0 : outcome.records_added);
    update.BindInt(4, outcome.rejects_added);
    update.BindInt(5, last_trade_order_);
    CRYPTOMOOD_RETURN_IF_ERROR(update.Run());
    return database_.Execute("COMMIT");
  }

  void RollbackBatch() override {
    (void)database_.Execute("ROLLBACK");
    pending_trades_.clear();
    symbol_keys_.clear();  // symbols first inserted in the batch are gone
  }

  Status CloseRun(std::string_view status, std::string_view message,
                  const IngestTally& tally) override {
    Status closed = WriteRunStatus(status, message, tally);
    run_lock_.reset();  // a run left "running" by a failure here reads as abandoned
    return closed;
  }

 private:
  bool kind_is_trades() const { return kind_ == RecordKind::kTrade; }

  void CountRecord(bool added) {
    if (added) {
      ++outcome_.records_added;
    } else {
      ++outcome_.records_present;
    }
  }

  // The two passes described above the class.
  Status FlushTrades() {
    const std::size_t count = pending_trades_.size();
    claim_order_.clear();
    for (std::size_t index = 0; index < count; ++index) {
      claim_order_.push_back({pending_trades_[index].uuid, index});
    }
    // Uuids in the stored byte order; equal ones keep input order through the index.
    std::sort(claim_order_.begin(), claim_order_.end());
    claimed_.assign(count, false);
    SqliteStatement& claim = *statements_.claim_uuid;
    for (const ClaimKey& key : claim_order_) {
      const KeyBytes uuid = ToBytes(key.uuid);
      BindKey(claim, 1, uuid);
      CRYPTOMOOD_RETURN_IF_ERROR(claim.Run());
      claimed_[key.index] = database_.changes() == 1;
    }
    SqliteStatement& insert = *statements_.insert_trade;
    for (std::size_t index = 0; index < count; ++index) {
      CountRecord(claimed_[index]);
      if (!claimed_[index]) continue;
      const PendingTrade& trade = pending_trades_[index];
      insert.BindInt(1, trade.timestamp);
      insert.BindInt(2, ++last_trade_order_);
      const KeyBytes uuid = ToBytes(trade.uuid);
      BindKey(insert, 3, uuid);
      insert.BindOptionalInt(4, trade.time_exchange);
      insert.BindDouble(5, trade.price);
      insert.BindDouble(6, trade.size);
      insert.BindOptionalInt(7, trade.sequence);
      insert.BindInt(8, trade.symbol_key);
      insert.BindTextOrNull(9, trade.taker_side);
      insert.BindTextOrNull(10, trade.type);
      insert.BindInt(11, trade.has_coins ? 1 : 0);
      CRYPTOMOOD_RETURN_IF_ERROR(insert.Run());
    }
    pending_trades_.clear();
    return {};
  }

  // A copy of `word` that lives as long as the writer. The vocabulary fields take a handful of
  // values, so a linear search beats hashing.
  std::string_view OwnedWord(std::string_view word) {
    if (word.empty()) return {};
    for (const std::string& known : words_) {
      if (known == word) return known;
    }
    return words_.emplace_back(word);
  }

  Status WriteRunStatus(std::string_view status, std::string_view message,
                        const IngestTally& tally) {
    CRYPTOMOOD_RETURN_IF_ERROR(UpdateRun(tally));
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_.Prepare(
            "UPDATE ingest_runs SET status = ?, message = ?, finished_ns = ? WHERE run = ?"));
    statement->BindText(1, status);
    statement->BindText(2, message);
    statement->BindInt(3, WallClockNow());
    statement->BindInt(4, run());
    return statement->Run();
  }

  Status UpdateRun(const IngestTally& tally) {
    SqliteStatement& update = *statements_.update_run;
    update.BindInt(1, tally.lines);
    update.BindInt(2, tally.added);
    update.BindInt(3, tally.already_stored);
    update.BindInt(4, tally.rejected);
    update.BindInt(5, run());
    return update.Run();
  }

  Result<std::int64_t> SymbolKey(const TradeRow& trade) {
    const auto found = symbol_keys_.find(trade.symbol_id);
    if (found != symbol_keys_.end()) return found->second;
    SqliteStatement& insert = *statements_.insert_symbol;
    insert.BindText(1, trade.symbol_id);
    insert.BindText(2, trade.base);
    insert.BindText(3, trade.quote);
    CRYPTOMOOD_RETURN_IF_ERROR(insert.Run());
    SqliteStatement& select = *statements_.select_symbol;
    select.BindText(1, trade.symbol_id);
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, select.Step());
    if (!row) return Error{"sqlite: symbol vanished: " + std::string(trade.symbol_id)};
    const std::int64_t key = select.Int(0);
    select.Reset();
    symbol_keys_.emplace(std::string(trade.symbol_id), key);
    return key;
  }

  SqliteDatabase& database_;
  std::unique_ptr<RunLock> run_lock_;  // null once the run is closed
  std::string file_;
  RecordKind kind_;
  IngestStatements statements_;
  BatchOutcome outcome_;
  std::int64_t last_trade_order_ = 0;  // the open batch's last assigned trades.ord
  std::unordered_map<std::string, std::int64_t, StringViewHash, std::equal_to<>> symbol_keys_;
  std::vector<PendingTrade> pending_trades_;  // the open batch's trades, in input order
  // A pending trade's place in the claim order.
  struct ClaimKey {
    Uuid uuid;
    std::size_t index = 0;  // into pending_trades_
    friend bool operator<(const ClaimKey& a, const ClaimKey& b) {
      return a.uuid == b.uuid ? a.index < b.index : a.uuid < b.uuid;
    }
  };
  std::vector<ClaimKey> claim_order_;  // the pending trades by uuid, then input order
  std::vector<bool> claimed_;          // per pending trade: its uuid was new
  std::deque<std::string> words_;      // never moves its strings: views stay valid
};

// The stream tables' adapter (stream_tables.h): keys and JSON bind as TEXT, state as a BLOB.
class SqliteStreamConnection final : public StreamSqlConnection {
 public:
  explicit SqliteStreamConnection(SqliteDatabase& database) : database_(database) {}

  Status Begin() override { return database_.Execute("BEGIN IMMEDIATE"); }
  Status Commit() override { return database_.Execute("COMMIT"); }
  void Rollback() override { (void)database_.Execute("ROLLBACK"); }

  Status Execute(const StreamStatement& statement) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto bound, Bind(statement));
    return bound->Run();
  }

  Status ForEachRow(const StreamStatement& statement, const RowVisitor& visit) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto bound, Bind(statement));
    SqliteStatement& select = *bound;
    const Row row(select);
    Status status;
    while (status.ok()) {
      auto stepped = select.Step();
      if (!stepped.ok()) {
        status = stepped.error();
      } else if (!*stepped) {
        break;
      } else {
        status = visit(row);
      }
    }
    select.Reset();
    return status;
  }

 private:
  class Row final : public StreamSqlRow {
   public:
    explicit Row(const SqliteStatement& statement) : statement_(statement) {}
    std::int64_t Int(int column) const override { return statement_.Int(column); }
    std::string_view Bytes(int column) const override { return statement_.Bytes(column); }

   private:
    const SqliteStatement& statement_;
  };

  Result<SqliteStatement*> Bind(const StreamStatement& statement) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto prepared, database_.Prepare(statement.sql));
    int index = 0;
    for (const StreamSqlValue& value : statement.values) {
      ++index;
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        prepared->BindInt(index, *integer);
      } else if (const auto* text = std::get_if<std::string_view>(&value)) {
        prepared->BindText(index, *text);
      } else {
        const std::string_view bytes = std::get<SqlBlob>(value).bytes;
        prepared->BindBlob(index, bytes.data(), bytes.size());
      }
    }
    return prepared;
  }

  SqliteDatabase& database_;
};

class SqliteStore final : public StreamTablesStore {
 public:
  SqliteStore(std::unique_ptr<SqliteDatabase> database, const std::string& path,
              const StoreOptions& options)
      : database_(std::move(database)),
        stream_(*database_),
        run_lock_path_(RunLockPath(path)),
        cache_budget_bytes_(options.cache_budget_bytes) {}

  Status Configure(const StoreOptions& options) {
    // First, so that processes opening the same file at once wait for each other's locks
    // (switching to WAL takes one) instead of failing with "database is locked".
    CRYPTOMOOD_RETURN_IF_ERROR(
        database_->Execute("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMillis)));
    // Larger pages: shallower B-trees and fewer page writes per batch (effective only when
    // the file is created; WAL must come after it).
    CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute("PRAGMA page_size = 16384"));
    const std::int64_t cache_kib = std::max<std::int64_t>(options.sqlite_cache_bytes >> 10, 256);
    return database_->Execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; "
        "PRAGMA wal_autocheckpoint = " +
        std::to_string(kWalCheckpointPages) + "; PRAGMA cache_size = -" +
        std::to_string(cache_kib) + ";");
  }

  Status Migrate() {
    CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_ns INTEGER NOT NULL)"));
    const std::span<const Migration> migrations = SqliteMigrations();
    for (const Migration& migration : migrations) {
      CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute("BEGIN IMMEDIATE"));
      Status applied = ApplyIfNew(migration, LatestSchemaVersion(migrations));
      if (!applied.ok()) {
        (void)database_->Execute("ROLLBACK");
        return applied;
      }
      CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute("COMMIT"));
    }
    return {};
  }

  std::string_view backend() const override { return "sqlite"; }

  Status CheckHealth() override {
    CRYPTOMOOD_RETURN_IF_ERROR(DataVersion());
    return {};
  }

  Result<std::int64_t> SchemaVersion() override {
    return QueryInt(*database_, "SELECT coalesce(max(version), 0) FROM schema_version");
  }

  Result<std::int64_t> DataVersion() override {
    return QueryInt(*database_, "SELECT data_version FROM store_state WHERE id = 1");
  }

  Result<std::optional<TimestampNs>> LatestTradeTimestamp() override {
    // The smallest int64 stands for "no trade": no stored timestamp can be that early.
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto latest,
        QueryInt(*database_,
                 "SELECT coalesce(max(timestamp_ns), -9223372036854775807 - 1) FROM trades"));
    if (latest == std::numeric_limits<std::int64_t>::min()) return std::optional<TimestampNs>{};
    return std::optional<TimestampNs>{latest};
  }

  Result<StoreCounts> Counts() override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare(
            "SELECT data_version, trades, sentiment, rejected_lines, "
            "(SELECT count(*) FROM symbols), (SELECT count(*) FROM ingest_runs), "
            "(SELECT count(*) FROM cached_results), (SELECT body_bytes FROM cache_state) "
            "FROM store_state WHERE id = 1"));
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, statement->Step());
    if (!row) return Error{"sqlite: store_state is empty"};
    const SqliteStatement& r = *statement;
    StoreCounts counts{r.Int(0), r.Int(1), r.Int(2), r.Int(3),
                       r.Int(4), r.Int(5), r.Int(6), r.Int(7)};
    statement->Reset();
    return counts;
  }

  // One transaction: abandoned runs are marked, the new run is recorded and its lock taken
  // before the commit makes it visible, so no reader sees it running without its lock.
  Result<std::unique_ptr<IngestWriter>> BeginIngest(const IngestFileInfo& info) override {
    CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute("BEGIN IMMEDIATE"));
    auto started = StartRun(info);
    if (!started.ok()) {
      (void)database_->Execute("ROLLBACK");
      return started.error();
    }
    CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute("COMMIT"));
    CRYPTOMOOD_RETURN_IF_ERROR((*started)->PrepareStatements());
    return std::unique_ptr<IngestWriter>(std::move(*started));
  }

  Result<std::vector<IngestRunRecord>> ListIngestRuns(std::int64_t limit) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare(
            "SELECT run, file, kind, status, lines, accepted, duplicates, rejected, started_ns, "
            "finished_ns, message FROM ingest_runs ORDER BY run DESC LIMIT ?"));
    SqliteStatement& select = *statement;
    select.BindInt(1, limit > 0 ? limit : -1);
    std::vector<IngestRunRecord> runs;
    while (true) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, select.Step());
      if (!row) break;
      IngestRunRecord record;
      record.run = select.Int(0);
      record.file = select.Bytes(1);
      record.kind = select.Bytes(2);
      record.status = select.Bytes(3);
      record.tally = {select.Int(4), select.Int(5), select.Int(6), select.Int(7)};
      record.started = select.Int(8);
      record.finished = select.OptionalInt(9);
      record.message = select.Bytes(10);
      runs.push_back(std::move(record));
    }
    select.Reset();
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
    const SqlQuery sql = TradePageSql(query, symbol_keys, PlaceholderStyle::kQuestionMark);
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql.sql));
    SqliteStatement& select = *statement;
    BindParams(select, sql.params);
    StoredTrade trade;
    return StepPage(select, query.limit, [&]() -> Result<RowCursor> {
      const std::string_view uuid = select.Bytes(1);
      if (uuid.size() != 16) return Error{"sqlite: malformed uuid in trades"};
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol, FindSymbol(select.Int(7)));
      trade.order = select.Int(0);
      trade.uuid = UuidFromBytes(reinterpret_cast<const unsigned char*>(uuid.data()));
      trade.timestamp = select.Int(2);
      trade.time_exchange = select.OptionalInt(3);
      trade.price = select.Double(4);
      trade.size = select.Double(5);
      trade.sequence = select.OptionalInt(6);
      trade.symbol_id = symbol->symbol_id;
      trade.base = symbol->base;
      trade.quote = symbol->quote;
      trade.taker_side = select.Bytes(8);
      trade.type = select.Bytes(9);
      trade.has_coins = select.Int(10) != 0;
      CRYPTOMOOD_RETURN_IF_ERROR(visit(trade));
      return trade.cursor();
    });
  }

  Result<std::optional<RowCursor>> ForEachSentiment(const RecordQuery& query,
                                                    const SentimentVisitor& visit) override {
    const SqlQuery sql = SentimentPageSql(query, PlaceholderStyle::kQuestionMark);
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql.sql));
    SqliteStatement& select = *statement;
    BindParams(select, sql.params);
    StoredSentiment sentiment;
    return StepPage(select, query.limit, [&]() -> Result<RowCursor> {
      sentiment.order = select.Int(0);
      sentiment.content_key = ReadKey(select, 1);
      sentiment.timestamp = select.Int(2);
      sentiment.polarity = select.Double(3);
      sentiment.coins_json = select.Bytes(4);
      sentiment.text = select.Bytes(5);
      CRYPTOMOOD_RETURN_IF_ERROR(visit(sentiment));
      return sentiment.cursor();
    });
  }

  Status ForEachRejectedLine(const RejectVisitor& visit) override {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare("SELECT file, line_number, reason, raw_line FROM rejected_lines "
                           "ORDER BY file, line_number, line_key"));
    SqliteStatement& select = *statement;
    while (true) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, select.Step());
      if (!row) break;
      const StoredReject reject{select.Bytes(0), select.Int(1), select.Bytes(2), select.Bytes(3)};
      if (Status status = visit(reject); !status.ok()) {
        select.Reset();
        return status;
      }
    }
    select.Reset();
    return {};
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
    const SqlQuery sql =
        TradePointsSql(range, !coins.empty(), symbol_keys, PlaceholderStyle::kQuestionMark);
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql.sql));
    SqliteStatement& select = *statement;
    BindParams(select, sql.params);
    CRYPTOMOOD_RETURN_IF_ERROR(StepPage(select, 0, [&]() -> Result<RowCursor> {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbol, FindSymbol(select.Int(0)));
      visit(symbol->symbol_id, symbol->base,
            TradePoint{select.Int(1), select.Double(2), select.Double(3)}, select.Int(4));
      return RowCursor{};
    }));
    return {};
  }

  Status ScanSentimentPoints(const std::vector<std::string>& coins, const TimeRange& range,
                             const SentimentPointVisitor& visit) override {
    const SqlQuery sql = SentimentPointsSql(coins, range, PlaceholderStyle::kQuestionMark);
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql.sql));
    SqliteStatement& select = *statement;
    BindParams(select, sql.params);
    CRYPTOMOOD_RETURN_IF_ERROR(StepPage(select, 0, [&]() -> Result<RowCursor> {
      visit(select.Bytes(0), SentimentPoint{select.Int(1), select.Double(2)});
      return RowCursor{};
    }));
    return {};
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
  Status ApplyIfNew(const Migration& migration, int latest) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto current, SchemaVersion());
    if (current > latest) {
      return Error{"store schema version " + std::to_string(current) +
                   " is newer than this program's " + std::to_string(latest)};
    }
    if (current >= migration.version) return {};
    CRYPTOMOOD_RETURN_IF_ERROR(database_->Execute(migration.sql));
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare(
            "INSERT INTO schema_version (version, description, applied_ns) VALUES (?, ?, ?)"));
    statement->BindInt(1, migration.version);
    statement->BindText(2, migration.description);
    statement->BindInt(3, WallClockNow());
    return statement->Run();
  }

  // Inside BeginIngest's transaction.
  Result<std::unique_ptr<SqliteIngestWriter>> StartRun(const IngestFileInfo& info) {
    CRYPTOMOOD_RETURN_IF_ERROR(MarkAbandonedRuns());
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare(
            "INSERT INTO ingest_runs (file, kind, status, started_ns) VALUES (?, ?, ?, ?)"));
    statement->BindText(1, info.file);
    statement->BindText(2, info.kind == RecordKind::kTrade ? "trades" : "sentiment");
    statement->BindText(3, kRunRunning);
    statement->BindInt(4, WallClockNow());
    CRYPTOMOOD_RETURN_IF_ERROR(statement->Run());
    const std::int64_t run = database_->last_insert_rowid();
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto lock, RunLock::Acquire(run_lock_path_, run));
    return std::make_unique<SqliteIngestWriter>(*database_, run, std::move(lock), info);
  }

  // Runs marked running whose lock nobody holds: their writers are gone.
  Status MarkAbandonedRuns() {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto select,
                                database_->Prepare("SELECT run FROM ingest_runs WHERE status = ?"));
    select->BindText(1, kRunRunning);
    std::vector<std::int64_t> running;
    while (true) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, select->Step());
      if (!row) break;
      running.push_back(select->Int(0));
    }
    select->Reset();
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto update,
        database_->Prepare("UPDATE ingest_runs SET status = ?, message = ? WHERE run = ?"));
    for (const std::int64_t run : running) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto held, RunLockIsHeld(run_lock_path_, run));
      if (held) continue;
      update->BindText(1, kRunAbandoned);
      update->BindText(2, kRunAbandonedMessage);
      update->BindInt(3, run);
      CRYPTOMOOD_RETURN_IF_ERROR(update->Run());
    }
    return {};
  }

  Status RefreshSymbols() {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto statement,
        database_->Prepare("SELECT symbol_key, symbol_id, base, quote FROM symbols"));
    SqliteStatement& select = *statement;
    symbols_.Clear();
    while (true) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto row, select.Step());
      if (!row) break;
      symbols_.Add(select.Int(0),
                   SymbolRecord{std::string(select.Bytes(1)), std::string(select.Bytes(2)),
                                std::string(select.Bytes(3))});
    }
    select.Reset();
    return {};
  }

  // A trade's symbol; reloads the directory once if the key is new to it (RefreshSymbols
  // steps its own statement, so this is safe in the middle of a scan).
  Result<const SymbolRecord*> FindSymbol(std::int64_t key) {
    if (const SymbolRecord* symbol = symbols_.Find(key)) return symbol;
    CRYPTOMOOD_RETURN_IF_ERROR(RefreshSymbols());
    if (const SymbolRecord* symbol = symbols_.Find(key)) return symbol;
    return Error{"sqlite: trade refers to unknown symbol key " + std::to_string(key)};
  }

  StreamSqlConnection& stream_connection() override { return stream_; }

  std::unique_ptr<SqliteDatabase> database_;
  SqliteStreamConnection stream_;
  SymbolDirectory symbols_;
  std::string run_lock_path_;
  std::int64_t cache_budget_bytes_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  // SQLite's allocation statistics take a global mutex on every malloc; nothing reads them.
  static const int kConfigured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kConfigured;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto database, SqliteDatabase::Open(path));
  auto store = std::make_unique<SqliteStore>(std::move(database), path, options);
  if (Status status = store->Configure(options); !status.ok()) {
    return Error{"cannot configure " + path + ": " + status.error().message};
  }
  if (Status status = store->Migrate(); !status.ok()) {
    return Error{"cannot migrate " + path + ": " + status.error().message};
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cryptomood
