// A store created by an older release (schema version 1, written here by hand with that
// version's own SQL) is brought up to date when opened: its rows survive, and they keep
// their identity, so ingesting them again adds nothing while new rows are still added.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/file_ingester.h"
#include "store/key_bytes.h"
#include "store/postgres_connection.h"
#include "store/schema_migration.h"
#include "store/sqlite_database.h"
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

class StoreUpgradeTest : public ::testing::TestWithParam<Backend> {};

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
