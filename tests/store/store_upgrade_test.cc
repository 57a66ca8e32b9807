// A store created by an older release (written here by hand with that version's own SQL) is
// brought up to date when opened: its rows survive, and they keep their identity, so
// ingesting them again adds nothing while new rows are still added.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/file_ingester.h"
#include "store/key_bytes.h"
#include "store/postgres_connection.h"
#include "store/schema_migration.h"
#include "store/sqlite_database.h"
#include "store/stream_records.h"
#include "store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::JoinLines;
using testing_support::kBaseNanos;
using testing_support::TestDatabase;
using testing_support::TradeLine;
using testing_support::UuidText;

// Version 1 stores holding trades 1 and 2 (the uuid bytes of UuidText(n): n, then 7n + 1 in
// the last group), with the counters a real ingest would have left.
void WriteVersionOneSqliteStore(const std::string& path) {
  auto database = SqliteDatabase::Open(path);
  ASSERT_TRUE(database.ok()) << database.error().message;
  const Migration& first = SqliteMigrations().front();
  ASSERT_EQ(first.version, 1);
  ASSERT_TRUE((*database)
                  ->Execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                            "description TEXT NOT NULL, applied_ns INTEGER NOT NULL);"
                            "INSERT INTO schema_version VALUES (1, 'v1', 0);")
                  .ok());
  ASSERT_TRUE((*database)->Execute(std::string(first.sql)).ok());
  const std::string nanos = std::to_string(kBaseNanos);
  ASSERT_TRUE((*database)
                  ->Execute("INSERT INTO symbols (symbol_key, symbol_id, base, quote) "
                            "VALUES (1, 'COINBASE_SPOT_BTC_USD', 'BTC', 'USD');"
                            "INSERT INTO trades (timestamp_ns, ord, uuid, price, size, symbol_key, "
                            "taker_side, has_coins) VALUES "
                            "(" +
                            nanos +
                            ", 1, X'00000001000040008000000000000008', 10, 1, 1, 'BUY', 1),"
                            "(" +
                            nanos +
                            ", 2, X'0000000200004000800000000000000f', 11, 1, 1, 'BUY', 1);"
                            "UPDATE store_state SET data_version = 1, trades = 2, trade_ord = 2;")
                  .ok());
}

void WriteVersionOnePostgresStore(const std::string& url) {
  auto connection = PgConnection::Connect(url);
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  const Migration& first = PostgresMigrations().front();
  ASSERT_EQ(first.version, 1);
  ASSERT_TRUE((*connection)
                  ->Execute("CREATE TABLE schema_version (version integer PRIMARY KEY, "
                            "description text NOT NULL, applied_ns bigint NOT NULL);"
                            "INSERT INTO schema_version VALUES (1, 'v1', 0);")
                  .ok());
  ASSERT_TRUE((*connection)->Execute(first.sql).ok());
  const std::string nanos = std::to_string(kBaseNanos);
  const Status inserted = (*connection)
                              ->Execute(
                                  "INSERT INTO symbols (symbol_id, base, quote) VALUES "
                                  "('COINBASE_SPOT_BTC_USD', 'BTC', 'USD');"
                                  "INSERT INTO trades (uuid, timestamp_ns, price, size, "
                                  "symbol_key, taker_side, has_coins) VALUES "
                                  "('00000001-0000-4000-8000-000000000008', " +
                                  nanos +
                                  ", 10, 1, 1, 'BUY', true),"
                                  "('00000002-0000-4000-8000-00000000000f', " +
                                  nanos +
                                  ", 11, 1, 1, 'BUY', true);"
                                  "UPDATE store_state SET data_version = 1, trades = 2;");
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
}

// Cache entries as a version 3 store holds them (before sizes and uses were recorded):
// "old", "older" and "newest" by creation time, 100 bytes each.
constexpr std::string_view kVersionThreeCacheRows =
    "INSERT INTO cached_results (parameter_key, data_version, body, created_ns) VALUES "
    "('old', 7, repeat('o', 100), 20), ('older', 7, repeat('p', 100), 10), "
    "('newest', 7, repeat('n', 100), 30)";

// A stream checkpoint as a version 4 store holds it (before the liveness interval was
// recorded); the same SQL for both backends.
constexpr std::string_view kVersionFourCheckpointRow =
    "INSERT INTO stream_checkpoints (consumer_group, params_key, stream_partition, state, "
    "consumer_lag, committed_ns, rows_written) VALUES ('g', 'k', 1, 'state', 3, 1000, 5)";

// A store at schema `version` through each step's own SQL, then `rows`, SQL of that version.
void WriteStoreAtVersion(Backend backend, const std::string& url, int version,
                         const std::string& rows) {
  const auto migrations = backend == Backend::kSqlite ? SqliteMigrations() : PostgresMigrations();
  std::string sql = backend == Backend::kSqlite
                        ? "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                          "description TEXT NOT NULL, applied_ns INTEGER NOT NULL);"
                        : "CREATE TABLE schema_version (version integer PRIMARY KEY, "
                          "description text NOT NULL, applied_ns bigint NOT NULL);";
  for (const Migration& migration : migrations) {
    if (migration.version > version) break;
    sql += std::string(migration.sql) + ";INSERT INTO schema_version VALUES (" +
           std::to_string(migration.version) + ", 'v', 0);";
  }
  sql += rows;
  Status written;
  if (backend == Backend::kSqlite) {
    auto database = SqliteDatabase::Open(url.substr(std::string_view("sqlite:").size()));
    ASSERT_TRUE(database.ok()) << database.error().message;
    written = (*database)->Execute(sql);
  } else {
    auto connection = PgConnection::Connect(url);
    ASSERT_TRUE(connection.ok()) << connection.error().message;
    written = (*connection)->Execute(sql);
  }
  ASSERT_TRUE(written.ok()) << written.error().message;
}

// A store at schema version 3 holding kVersionThreeCacheRows. SQLite has no repeat(): its
// rows are written with the bodies spelt out.
void WriteVersionThreeStore(Backend backend, const std::string& url) {
  std::string rows(kVersionThreeCacheRows);
  if (backend == Backend::kSqlite) {
    for (const char fill : {'o', 'p', 'n'}) {
      const std::string call = std::string("repeat('") + fill + "', 100)";
      rows.replace(rows.find(call), call.size(), "'" + std::string(100, fill) + "'");
    }
  }
  WriteStoreAtVersion(backend, url, 3, rows);
}

class StoreUpgradeTest : public ::testing::TestWithParam<Backend> {};

TEST_P(StoreUpgradeTest, VersionThreeCacheEntriesStayUsableAndAgeByCreation) {
  TestDatabase database(GetParam());
  WriteVersionThreeStore(GetParam(), database.url());
  if (HasFatalFailure()) return;
  StoreOptions options;
  options.cache_budget_bytes = 350;  // three old entries fit, a fourth pushes one out
  auto opened = OpenStore(database.url(), options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  auto counts = store.Counts();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->cached_results, 3);
  EXPECT_EQ(counts->cached_result_bytes, 300);

  // No entry was used since the upgrade: the one created first goes.
  ASSERT_TRUE(store.PutCachedResult("new", 7, std::string(100, 'x')).ok());
  std::vector<std::string> held;
  for (const char* key : {"older", "old", "newest", "new"}) {
    auto body = store.GetCachedResult(key, 7);
    ASSERT_TRUE(body.ok()) << body.error().message;
    if (body->has_value()) held.push_back(key + std::string("=") + (*body)->substr(0, 1));
  }
  EXPECT_EQ(held, (std::vector<std::string>{"old=o", "newest=n", "new=x"}));
  counts = store.Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->cached_result_bytes, 300);
}

TEST_P(StoreUpgradeTest, VersionFourCheckpointsKeepTheirProgressWithAnUnknownLivenessInterval) {
  TestDatabase database(GetParam());
  WriteStoreAtVersion(GetParam(), database.url(), 4, std::string(kVersionFourCheckpointRow));
  if (HasFatalFailure()) return;
  auto store = database.Open();
  ASSERT_NE(store, nullptr);
  auto progress = store->ListStreamProgress();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  ASSERT_EQ(progress->size(), 1U);
  EXPECT_EQ(progress->front().consumer_lag, 3);
  EXPECT_EQ(progress->front().committed_at, 1000);
  EXPECT_EQ(progress->front().liveness_interval_nanos, 0);

  // Its member, restarted, claims the partition, resumes from the checkpoint and records its
  // interval.
  auto generation = store->ClaimStreamPartition("g", "k", 1);
  ASSERT_TRUE(generation.ok()) << generation.error().message;
  auto checkpoint = store->LoadStreamCheckpoint("g", "k", 1);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.error().message;
  ASSERT_TRUE(checkpoint->has_value());
  EXPECT_EQ((*checkpoint)->state, "state");
  StreamCommit commit;
  commit.group = "g";
  commit.params_key = "k";
  commit.partition = 1;
  commit.state = "next";
  commit.liveness_interval_nanos = 5'000'000'000;
  commit.fence = *generation;
  const Status committed = store->CommitStream(commit);
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  progress = store->ListStreamProgress();
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  ASSERT_EQ(progress->size(), 1U);
  EXPECT_EQ(progress->front().liveness_interval_nanos, 5'000'000'000);
  EXPECT_EQ(progress->front().rows, 5);
}

TEST_P(StoreUpgradeTest, VersionOneStoreKeepsItsTradesAndTheirIdentity) {
  TestDatabase database(GetParam());
  if (GetParam() == Backend::kSqlite) {
    WriteVersionOneSqliteStore(database.url().substr(std::string_view("sqlite:").size()));
  } else {
    WriteVersionOnePostgresStore(database.url());
  }
  if (HasFatalFailure()) return;
  auto store = database.Open();
  ASSERT_NE(store, nullptr);
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion(GetParam() == Backend::kSqlite ? SqliteMigrations()
                                                                         : PostgresMigrations()));

  std::vector<std::string> uuids;
  ASSERT_TRUE(store
                  ->ForEachTrade({},
                                 [&](const StoredTrade& trade) {
                                   uuids.push_back(FormatUuid(trade.uuid));
                                   return Status();
                                 })
                  .ok());
  EXPECT_EQ(uuids, (std::vector<std::string>{UuidText(1), UuidText(2)}));

  // Trades 1 and 2 are known after the upgrade; 3 is new and follows them.
  const std::string file = database.scratch().Write(
      "trades.txt",
      JoinLines({TradeLine(2, 5, 12.0), TradeLine(3, 0, 13.0), TradeLine(1, 9, 14.0)}));
  IngestOptions options;
  options.trade_files = {file};
  auto summaries = IngestFiles(*store, options);
  ASSERT_TRUE(summaries.ok()) << summaries.error().message;
  EXPECT_EQ(summaries->front().tally.added, 1);
  EXPECT_EQ(summaries->front().tally.already_stored, 2);
  uuids.clear();
  std::vector<std::int64_t> orders;
  ASSERT_TRUE(store
                  ->ForEachTrade({},
                                 [&](const StoredTrade& trade) {
                                   uuids.push_back(FormatUuid(trade.uuid));
                                   orders.push_back(trade.order);
                                   return Status();
                                 })
                  .ok());
  EXPECT_EQ(uuids, (std::vector<std::string>{UuidText(1), UuidText(2), UuidText(3)}));
  EXPECT_EQ(orders, (std::vector<std::int64_t>{1, 2, 3}));
  auto counts = store->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->trades, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreUpgradeTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

}  // namespace
}  // namespace cryptomood
