// Store: the persistent home of ingested trades and tweets, rejected input lines, ingest runs
// and cached analysis results, behind one interface with two backends chosen by URL:
//   sqlite:PATH            embedded SQLite file (WAL journal), the default sqlite:cryptomood.db
//   postgresql://...       a PostgreSQL server through libpq (also postgres://)
// Opening applies the schema migrations the store lacks (see schema_migration.h).
// Every operation returns its failure as a value; nothing throws across this interface.
// Consistency: each ingest batch (rows, rejected lines, run progress, counters, data version)
// commits as one transaction, so a killed process leaves the store as of its last commit, and
// inserts ignore rows already present (trades by uuid, tweets by content key, rejected lines
// by file, line number and content), so rerunning an ingest completes it without duplicates.
// Stream results (stream_records.h): a stream member's rows, operator state and next offsets
// commit as one transaction, so a restart resumes exactly where the stored rows end.
// Thread-safety: a Store (and its IngestWriter) is used by one thread at a time; open one
// Store per thread for concurrent use (SQLite readers run beside one writer under WAL).
// Ownership: an IngestWriter must not outlive the Store that made it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/market_data.h"
#include "core/record_kind.h"
#include "core/result.h"
#include "store/store_records.h"
#include "store/stream_records.h"

namespace cryptomood {

inline constexpr const char* kDefaultStoreUrl = "sqlite:cryptomood.db";
// Rows per ingest transaction. Each commit rewrites every page of the uuid index it touched,
// and random uuids touch nearly all of them, so fewer, larger batches write far less; a kill
// loses at most one batch of work, which the rerun redoes.
inline constexpr std::int64_t kDefaultIngestBatchRows = 200'000;
// Bytes of reply bodies the result cache keeps (cached_results); least recently used
// entries are evicted beyond it. Small beside the server's memory target and bounding the
// database's growth; 0 disables the cache.
inline constexpr std::int64_t kDefaultCacheBudgetBytes = std::int64_t{64} << 20;
// The largest body the result cache takes, whatever the budget: well under what either
// database accepts in one value (SQLite refuses 1e9 bytes, PostgreSQL 1 GiB).
inline constexpr std::int64_t kMaxCachedResultBytes = std::int64_t{256} << 20;

struct StoreOptions {
  // SQLite page cache; large for bulk ingest (the uuid index is written at random places),
  // small for a long-running server.
  std::int64_t sqlite_cache_bytes = std::int64_t{64} << 20;
  // The result cache's budget (kDefaultCacheBudgetBytes); 0 or less disables it.
  std::int64_t cache_budget_bytes = kDefaultCacheBudgetBytes;
};

struct IngestFileInfo {
  std::string file;  // as recorded in ingest runs and rejected lines
  RecordKind kind = RecordKind::kTrade;
  std::int64_t batch_rows = kDefaultIngestBatchRows;  // records and rejects per transaction
};

// Writes one file's records in batched transactions. Rows are added in input order; each
// batch commits once it holds batch_rows rows (checked at EndLines), together with the run's
// progress. Destroying an unfinished writer discards the open batch (as a kill would).
class IngestWriter {
 public:
  virtual ~IngestWriter() = default;
  virtual Status AddTrade(const TradeRow& trade) = 0;
  virtual Status AddSentiment(const SentimentRow& sentiment) = 0;
  virtual Status AddReject(const RejectRow& reject) = 0;
  // `lines` more input lines (accepted or not) are fully added; commits a full batch.
  virtual Status EndLines(std::int64_t lines) = 0;
  // Commits the rest and marks the run done; returns the run's final tally.
  virtual Result<IngestTally> Finish() = 0;
  // Discards the open batch and marks the run failed with `message` (best effort).
  virtual void Abandon(std::string_view message) = 0;
  // Lines and rows committed so far.
  virtual const IngestTally& committed() const = 0;
};

using TradeVisitor = std::function<Status(const StoredTrade&)>;
using SentimentVisitor = std::function<Status(const StoredSentiment&)>;
using RejectVisitor = std::function<Status(const StoredReject&)>;
// Narrow rows for building MarketData: (symbol_id, base, point, the trade's store order, as
// in its RowCursor) and (coins_json, point).
using TradePointVisitor = std::function<void(std::string_view symbol_id, std::string_view base,
                                             const TradePoint&, std::int64_t order)>;
using SentimentPointVisitor =
    std::function<void(std::string_view coins_json, const SentimentPoint&)>;

class Store {
 public:
  virtual ~Store() = default;

  virtual std::string_view backend() const = 0;  // "sqlite" or "postgresql"
  // A cheap round trip to the database.
  virtual Status CheckHealth() = 0;
  virtual Result<std::int64_t> SchemaVersion() = 0;
  // Increases with every committed ingest batch that added rows.
  virtual Result<std::int64_t> DataVersion() = 0;
  virtual Result<StoreCounts> Counts() = 0;
  // The latest trade timestamp stored, nullopt when there is no trade.
  virtual Result<std::optional<TimestampNs>> LatestTradeTimestamp() = 0;

  // ---- ingest ----
  // Records the run as started (committed at once) and returns its writer. First, every run
  // still "running" whose writer is gone (its process was killed, or the writer was destroyed
  // unfinished) is marked "abandoned"; runs of live writers, in this process or another, are
  // left alone. A writer holds its run's liveness lock from here until the run is closed:
  // SQLite, a lock on one byte of the file PATH-runs.lock beside the database; PostgreSQL, a
  // connection-level advisory lock.
  virtual Result<std::unique_ptr<IngestWriter>> BeginIngest(const IngestFileInfo& info) = 0;
  // Newest first.
  virtual Result<std::vector<IngestRunRecord>> ListIngestRuns(std::int64_t limit) = 0;

  // ---- reading, streamed: rows go to the visitor one by one, never all held at once ----
  // Rows ordered by (timestamp, order), after query.after, at most query.limit of them. A
  // non-ok Status from the visitor stops the scan and is returned. Returns the cursor of the
  // last row delivered when more rows match beyond the limit (the next page starts after
  // it), nullopt when the scan reached the end.
  virtual Result<std::optional<RowCursor>> ForEachTrade(const RecordQuery& query,
                                                        const TradeVisitor& visit) = 0;
  virtual Result<std::optional<RowCursor>> ForEachSentiment(const RecordQuery& query,
                                                            const SentimentVisitor& visit) = 0;
  // Ordered by file, line number.
  virtual Status ForEachRejectedLine(const RejectVisitor& visit) = 0;
  virtual Result<std::vector<SymbolRecord>> ListSymbols() = 0;

  // Every stored trade of the selected coins in range, ordered by (timestamp, order): arrival
  // order among equal timestamps, as the builder's stable sort keeps input order. coins
  // empty: all.
  virtual Status ScanTradePoints(const std::vector<std::string>& coins, const TimeRange& range,
                                 const TradePointVisitor& visit) = 0;
  // Every stored tweet in range naming one of `coins` (empty: all), ordered by (timestamp,
  // arrival).
  virtual Status ScanSentimentPoints(const std::vector<std::string>& coins, const TimeRange& range,
                                     const SentimentPointVisitor& visit) = 0;

  // ---- cached analysis results: a JSON text per (parameter key, data version) ----
  // The bodies' bytes stay within StoreOptions::cache_budget_bytes: storing an entry evicts
  // the least recently used others (stored or read longest ago) until they fit, in the same
  // transaction. A budget of 0 disables the cache: Get finds nothing, Put stores nothing.
  // A hit marks the entry used: a small write, skipped when it already is the latest used
  // (on SQLite it waits, as every write does, while an ingest batch commits).
  virtual Result<std::optional<std::string>> GetCachedResult(std::string_view parameter_key,
                                                             std::int64_t data_version) = 0;
  // Stores the body and drops entries of the same key for other data versions. A body larger
  // than the budget or than kMaxCachedResultBytes is not stored, and that is no error.
  virtual Status PutCachedResult(std::string_view parameter_key, std::int64_t data_version,
                                 std::string_view body) = 0;

  // ---- stream results (stream_records.h) ----
  // One transaction: upserts the rows (key: params_key, symbol_id, window_start, lag; a
  // re-commit of a key replaces its row), replaces the checkpoint (state and offsets) of
  // (group, params_key, partition) and records its progress. Every row written gets a new
  // sequence number, greater than any committed before. On failure nothing of the commit is
  // kept. Errors: kUsage for a row without window bounds; kFenced when commit.fence is not
  // the partition's latest claim (another member claimed it since); kFailure for the
  // database's errors (an offset named twice is one).
  virtual Status CommitStream(const StreamCommit& commit) = 0;
  // Claims (group, params_key, partition) for a member about to load its checkpoint: returns
  // a generation greater than any handed out for it before, which the member's commits carry
  // as their fence. A commit under way with an older generation either completes before the
  // claim returns (PostgreSQL: the claim waits for its row lock; SQLite: writes are serial),
  // so the checkpoint loaded after the claim holds it, or is refused.
  virtual Result<std::int64_t> ClaimStreamPartition(std::string_view group,
                                                    std::string_view params_key,
                                                    std::int32_t partition) = 0;
  // The checkpoint of (group, params_key, partition), nullopt when none was committed.
  virtual Result<std::optional<StreamCheckpoint>> LoadStreamCheckpoint(std::string_view group,
                                                                       std::string_view params_key,
                                                                       std::int32_t partition) = 0;
  // The rows `query` selects, in its order; a non-ok Status from the visitor stops the scan
  // and is returned. Sequence numbers are handed out in commit order under the commit's
  // transaction, so once a row is visible every row of a smaller sequence is too: a reader
  // that has seen every row through sequence S misses nothing by asking for those after S.
  virtual Status ForEachStreamRow(
      const StreamRowQuery& query,
      const std::function<Status(const StoredStreamRow& row)>& visit) = 0;
  // The greatest sequence number committed so far; 0 before the first row.
  virtual Result<std::int64_t> LastStreamSequence() = 0;
  // Every checkpoint's progress, ordered by (group, params_key, partition).
  virtual Result<std::vector<StreamProgress>> ListStreamProgress() = 0;
};

// Opens (creating if needed) and migrates the store at `url`. Errors: kUsage for a malformed
// or unknown URL, kFailure for anything the database reports.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

}  // namespace cryptomood
