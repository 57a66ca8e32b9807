// The Store contract, run against both backends (SQLite and a real PostgreSQL server).
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include "store/file_ingester.h"
#include "store/key_bytes.h"
#include "store/schema_migration.h"
#include "store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::JoinLines;
using testing_support::kBaseNanos;
using testing_support::TestDatabase;
using testing_support::TradeLine;
using testing_support::TweetLine;
using testing_support::UuidText;

// Collects what the ingester would print, to check line numbers and reasons.
class CollectingSink : public RejectSink {
 public:
  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view) override {
    seen.push_back(std::string(file) + ":" + std::to_string(line_number) + ": " +
                   std::string(reason));
  }
  std::vector<std::string> seen;
};

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  StoreTest() : database_(GetParam()) {}

  void SetUp() override {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
  }

  std::string WriteFile(const std::string& name, const std::vector<std::string>& lines) {
    return database_.scratch().Write(name, JoinLines(lines));
  }

  Result<std::vector<FileIngestSummary>> Ingest(std::vector<std::string> trades,
                                                std::vector<std::string> sentiment,
                                                std::int64_t batch_rows = 3) {
    IngestOptions options;
    options.trade_files = std::move(trades);
    options.sentiment_files = std::move(sentiment);
    options.rejects = &sink_;
    options.batch_rows = batch_rows;  // small: several transactions even for small files
    options.chunk_bytes = 256;        // small: several pipeline chunks
    return IngestFiles(*store_, options);
  }

  StoreCounts Counts() {
    auto counts = store_->Counts();
    EXPECT_TRUE(counts.ok()) << counts.error().message;
    return counts.ok() ? *counts : StoreCounts{};
  }

  std::vector<std::string> TradeUuids(const RecordQuery& query) {
    std::vector<std::string> uuids;
    auto next = store_->ForEachTrade(query, [&](const StoredTrade& trade) {
      uuids.push_back(FormatUuid(trade.uuid));
      return Status();
    });
    EXPECT_TRUE(next.ok()) << next.error().message;
    return uuids;
  }

  TestDatabase database_;
  std::unique_ptr<Store> store_;
  CollectingSink sink_;
};

TEST_P(StoreTest, FreshStoreIsMigratedAndEmpty) {
  auto version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.error().message;
  const auto migrations =
      GetParam() == Backend::kSqlite ? SqliteMigrations() : PostgresMigrations();
  EXPECT_EQ(*version, migrations.back().version);
  EXPECT_EQ(Counts().trades, 0);
  EXPECT_EQ(Counts().data_version, 0);
  EXPECT_TRUE(store_->CheckHealth().ok());
  EXPECT_EQ(store_->backend(), GetParam() == Backend::kSqlite ? "sqlite" : "postgresql");
}

TEST_P(StoreTest, MigrationsAreIdempotentOnReopen) {
  const std::string file = WriteFile("t.txt", {TradeLine(1, 0, 10.0), TradeLine(2, 5, 11.0)});
  ASSERT_TRUE(Ingest({file}, {}).ok());
  store_.reset();
  for (int reopen = 0; reopen < 2; ++reopen) {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
    auto version = store_->SchemaVersion();
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, LatestSchemaVersion(GetParam() == Backend::kSqlite ? SqliteMigrations()
                                                                           : PostgresMigrations()));
    EXPECT_EQ(Counts().trades, 2);  // reopening touched no data
    EXPECT_EQ(Counts().data_version, 1);
    store_.reset();
  }
}

TEST_P(StoreTest, IngestTalliesAndIdempotentReingest) {
  // 6 lines: 4 distinct valid trades, one duplicate uuid (line 4 repeats uuid 2), one bad line.
  const std::string file =
      WriteFile("trades.txt", {TradeLine(1, 0, 10.0), TradeLine(2, 1'000'000, 11.0), "not json",
                               TradeLine(2, 2'000'000, 12.0), TradeLine(3, 3'000'000, 13.0, "ETH"),
                               TradeLine(4, 4'000'000, 14.0)});
  auto first = Ingest({file}, {});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  const IngestTally& tally = first->front().tally;
  EXPECT_EQ(tally.lines, 6);
  EXPECT_EQ(tally.added, 4);
  EXPECT_EQ(tally.already_stored, 1);
  EXPECT_EQ(tally.rejected, 1);
  const StoreCounts after_first = Counts();
  EXPECT_EQ(after_first.trades, 4);
  EXPECT_EQ(after_first.rejected_lines, 1);
  EXPECT_EQ(after_first.symbols, 2);

  auto second = Ingest({file}, {});
  ASSERT_TRUE(second.ok()) << second.error().message;
  const IngestTally& again = second->front().tally;
  EXPECT_EQ(again.lines, 6);
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.already_stored, 5);
  EXPECT_EQ(again.rejected, 1);
  const StoreCounts after_second = Counts();
  EXPECT_EQ(after_second.trades, 4);
  EXPECT_EQ(after_second.rejected_lines, 1);  // the rejected line is not stored twice
  EXPECT_EQ(after_second.data_version, after_first.data_version);  // nothing new: no bump
  EXPECT_EQ(after_second.ingest_runs, 2);

  // The first occurrence of uuid 2 is the one kept.
  std::vector<double> prices;
  ASSERT_TRUE(store_
                  ->ForEachTrade({},
                                 [&](const StoredTrade& trade) {
                                   prices.push_back(trade.price);
                                   return Status();
                                 })
                  .ok());
  EXPECT_EQ(prices, (std::vector<double>{10.0, 11.0, 13.0, 14.0}));

  auto runs = store_->ListIngestRuns(10);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ(runs->front().status, "done");
  EXPECT_EQ(runs->front().tally.already_stored, 5);
  EXPECT_EQ(runs->front().file, RecordedFileName(file));
  EXPECT_TRUE(runs->front().finished.has_value());
}

TEST_P(StoreTest, DuplicateUuidsInOneBatchKeepTheFirstOccurrence) {
  // One batch whose uuids sort (1 < 2 < 5) unlike the input (5, 2, 5, 1, 2); every trade at
  // the same instant, so only the arrival order sorts them.
  const std::string file =
      WriteFile("trades.txt", {TradeLine(5, 0, 1.0), TradeLine(2, 0, 2.0), TradeLine(5, 0, 3.0),
                               TradeLine(1, 0, 4.0), TradeLine(2, 0, 5.0)});
  auto first = Ingest({file}, {}, 1000);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->front().tally.added, 3);
  EXPECT_EQ(first->front().tally.already_stored, 2);
  std::vector<std::pair<double, std::string>> stored;
  std::vector<std::int64_t> orders;
  ASSERT_TRUE(store_
                  ->ForEachTrade({},
                                 [&](const StoredTrade& trade) {
                                   stored.emplace_back(trade.price, FormatUuid(trade.uuid));
                                   orders.push_back(trade.order);
                                   return Status();
                                 })
                  .ok());
  EXPECT_EQ(stored, (std::vector<std::pair<double, std::string>>{
                        {1.0, UuidText(5)}, {2.0, UuidText(2)}, {4.0, UuidText(1)}}));
  EXPECT_TRUE(std::is_sorted(orders.begin(), orders.end()));
  EXPECT_EQ(std::adjacent_find(orders.begin(), orders.end()), orders.end());

  auto again = Ingest({file}, {}, 1000);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->front().tally.added, 0);
  EXPECT_EQ(again->front().tally.already_stored, 5);
  EXPECT_EQ(Counts().trades, 3);
}

TEST_P(StoreTest, BatchesOfStoredNewAndMixedTradesAddEachNewTradeOnce) {
  std::vector<std::string> first_lines;
  for (int i = 0; i < 10; ++i) first_lines.push_back(TradeLine(i, i * 1000L, 1.0 + i));
  ASSERT_TRUE(Ingest({WriteFile("first.txt", first_lines)}, {}, 5).ok());
  // Batches of five: all stored, all new, all new, then mixed (5 is stored, 20..23 are new),
  // then new with a duplicate inside the batch (24 twice).
  std::vector<std::string> second_lines;
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back(UuidText(i));
  for (int i = 0; i < 5; ++i) second_lines.push_back(TradeLine(i, i * 1000L, 1.0 + i));
  for (int i = 10; i < 20; ++i) {
    second_lines.push_back(TradeLine(i, i * 1000L, 1.0 + i));
    expected.push_back(UuidText(i));
  }
  second_lines.push_back(TradeLine(5, 5 * 1000L, 6.0));
  for (int i = 20; i < 25; ++i) {
    second_lines.push_back(TradeLine(i, i * 1000L, 1.0 + i));
    expected.push_back(UuidText(i));
  }
  second_lines.push_back(TradeLine(24, 24 * 1000L, 99.0));
  auto second = Ingest({WriteFile("second.txt", second_lines)}, {}, 5);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->front().tally.added, 15);
  EXPECT_EQ(second->front().tally.already_stored, 7);
  EXPECT_EQ(TradeUuids({}), expected);
  EXPECT_EQ(Counts().trades, 25);
}

TEST_P(StoreTest, TradeFieldsComeBackAsGiven) {
  const std::string minimal =
      R"({"price": 0.5, "size": 0, "symbol_id": "BITSTAMP_SPOT_XRP_EUR", )"
      R"("timestamp": "2018-07-16T20:00:00.123456789Z", "uuid": "ABCDEF01-2345-6789-ABCD-EF0123456789"})";
  const std::string file = WriteFile("t.txt", {TradeLine(7, 1, 6101.3772883440615), minimal});
  ASSERT_TRUE(Ingest({file}, {}).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ForEachTrade(
                      {},
                      [&](const StoredTrade& trade) {
                        std::string row =
                            FormatUuid(trade.uuid) + " " + std::to_string(trade.timestamp);
                        row += " te=" + (trade.time_exchange ? std::to_string(*trade.time_exchange)
                                                             : std::string("-"));
                        row += " seq=" + (trade.sequence ? std::to_string(*trade.sequence) : "-");
                        row += " " + std::string(trade.symbol_id) + " " + std::string(trade.base) +
                               "/" + std::string(trade.quote) +
                               " side=" + std::string(trade.taker_side) +
                               " type=" + std::string(trade.type) +
                               " coins=" + (trade.has_coins ? "1" : "0");
                        EXPECT_TRUE(trade.price == 0.5 || trade.price == 6101.3772883440615);
                        seen.push_back(row);
                        return Status();
                      })
                  .ok());
  const std::string ns = std::to_string(kBaseNanos + 123456789);
  const std::string ns7 = std::to_string(kBaseNanos + 1000);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      UuidText(7) + " " + ns7 + " te=" + ns7 +
                          " seq=7 COINBASE_SPOT_BTC_USD BTC/USD side=BUY type=trade coins=1",
                      "abcdef01-2345-6789-abcd-ef0123456789 " + ns +
                          " te=- seq=- BITSTAMP_SPOT_XRP_EUR XRP/EUR side= type= coins=0"}));
}

TEST_P(StoreTest, SentimentKeepsCoinsAndTextAsGiven) {
  const std::string text = R"("caf\u00e9 \"quoted\" tab\t nul\u0000 end")";
  const std::string file = WriteFile(
      "s.txt",
      {TweetLine(0, 0.25, R"(["BTC", "ETH", "BTC"])", text),
       // Same timestamp, coin set, polarity and text: a duplicate, whatever the order.
       TweetLine(0, 0.25, R"(["ETH", "BTC"])", text), TweetLine(1'000'000, -1.0, R"(["LTC"])")});
  auto summary = Ingest({}, {file});
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->front().tally.added, 2);
  EXPECT_EQ(summary->front().tally.already_stored, 1);
  std::vector<std::pair<std::string, std::string>> rows;
  ASSERT_TRUE(store_
                  ->ForEachSentiment({},
                                     [&](const StoredSentiment& sentiment) {
                                       rows.emplace_back(std::string(sentiment.coins_json),
                                                         std::string(sentiment.text));
                                       return Status();
                                     })
                  .ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first, R"(["BTC", "ETH", "BTC"])");
  EXPECT_EQ(rows[0].second, std::string("caf\xc3\xa9 \"quoted\" tab\t nul\0 end", 28));
  EXPECT_EQ(rows[1].first, R"(["LTC"])");
  EXPECT_EQ(rows[1].second, "TEST");
  // The coin relation holds each coin of a tweet once.
  RecordQuery btc;
  btc.coins = {"BTC"};
  int btc_rows = 0;
  ASSERT_TRUE(store_
                  ->ForEachSentiment(btc,
                                     [&](const StoredSentiment&) {
                                       ++btc_rows;
                                       return Status();
                                     })
                  .ok());
  EXPECT_EQ(btc_rows, 1);
}

TEST_P(StoreTest, RejectedLinesAreStoredVerbatimOnce) {
  const std::string binary_line("{\"price\": \xff\xfe, \x01\x02 \t\r trailing", 26);
  const std::string file = WriteFile(
      "t.txt", {TradeLine(1, 0, 10.0), binary_line, "", R"({"price": -1})", TradeLine(2, 1, 11.0)});
  ASSERT_TRUE(Ingest({file}, {}).ok());
  ASSERT_TRUE(Ingest({file}, {}).ok());  // again: the same rejects must not be stored twice
  struct Row {
    std::string file;
    std::int64_t line;
    std::string raw;
    bool has_reason;
  };
  std::vector<Row> rows;
  ASSERT_TRUE(store_
                  ->ForEachRejectedLine([&](const StoredReject& reject) {
                    rows.push_back({std::string(reject.file), reject.line_number,
                                    std::string(reject.raw_line), !reject.reason.empty()});
                    return Status();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[0].raw, binary_line);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[1].raw, "");
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[2].raw, R"({"price": -1})");
  for (const Row& row : rows) {
    EXPECT_EQ(row.file, RecordedFileName(file));
    EXPECT_TRUE(row.has_reason);
  }
  EXPECT_EQ(Counts().rejected_lines, 3);
  // The reporter numbered the same lines (both runs).
  ASSERT_EQ(sink_.seen.size(), 6u);
  EXPECT_EQ(sink_.seen[0].substr(0, file.size() + 3), file + ":2:");
}

TEST_P(StoreTest, StrictStopsAtTheFirstBadLine) {
  const std::string file =
      WriteFile("t.txt", {TradeLine(1, 0, 10.0), "bad", TradeLine(2, 1, 11.0)});
  IngestOptions options;
  options.trade_files = {file};
  options.strict = true;
  auto result = IngestFiles(*store_, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kRejected);
  EXPECT_EQ(result.error().message.rfind(file + ":2: ", 0), 0u) << result.error().message;
  auto runs = store_->ListIngestRuns(1);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->front().status, "failed");
}

TEST_P(StoreTest, WholeFileProblemsFailClearly) {
  const std::string empty = database_.scratch().Write("empty.txt", "");
  auto result = Ingest({empty}, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("is empty"), std::string::npos);
  const std::string tweets = WriteFile("tweets.txt", {TweetLine(0, 0.5, R"(["BTC"])")});
  result = Ingest({tweets}, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("not trades"), std::string::npos);
  result = Ingest({database_.scratch().Path("missing.txt")}, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Counts().trades, 0);
}

// Input with many timestamp ties across three symbols; pages of every size must give the
// rows in (timestamp, input order) order, each once.
class PaginationInput {
 public:
  PaginationInput() {
    const char* bases[] = {"BTC", "ETH", "LTC"};
    for (int i = 0; i < 40; ++i) {
      const long micros = (i * 7 % 13) * 1'000'000L;  // 13 distinct instants, many ties
      const std::string base = bases[i % 3];
      lines.push_back(TradeLine(100 + i, micros, 100.0 + i, base));
      expected.push_back({micros, i, base});
    }
    std::stable_sort(expected.begin(), expected.end(), [](const auto& left, const auto& right) {
      return left.micros < right.micros;
    });
  }
  struct Expected {
    long micros;
    int index;
    std::string base;
  };
  std::vector<std::string> lines;
  std::vector<Expected> expected;  // in (timestamp, input order)
};

TEST_P(StoreTest, TradePagesHaveNoGapsOrRepeats) {
  const PaginationInput input;
  ASSERT_TRUE(Ingest({WriteFile("t.txt", input.lines)}, {}, 7).ok());
  for (const std::vector<std::string>& coins :
       {std::vector<std::string>{}, std::vector<std::string>{"ETH"},
        std::vector<std::string>{"BTC", "LTC"}}) {
    std::vector<std::string> wanted;
    for (const auto& row : input.expected) {
      if (coins.empty() || std::find(coins.begin(), coins.end(), row.base) != coins.end()) {
        wanted.push_back(UuidText(100 + row.index));
      }
    }
    for (std::int64_t limit : {1, 3, 7, 40, 100}) {
      std::vector<std::string> got;
      RecordQuery query;
      query.coins = coins;
      query.limit = limit;
      int pages = 0;
      while (true) {
        std::int64_t in_page = 0;
        auto next = store_->ForEachTrade(query, [&](const StoredTrade& trade) {
          got.push_back(FormatUuid(trade.uuid));
          ++in_page;
          return Status();
        });
        ASSERT_TRUE(next.ok()) << next.error().message;
        EXPECT_LE(in_page, limit);
        ++pages;
        if (!next->has_value()) break;
        EXPECT_EQ(in_page, limit);  // only the last page is short
        query.after = **next;
        ASSERT_LT(pages, 100);
      }
      EXPECT_EQ(got, wanted) << "coins " << coins.size() << " limit " << limit;
      const auto full_pages = static_cast<int>((wanted.size() + limit - 1) / limit);
      EXPECT_EQ(pages, std::max(full_pages, 1)) << "no empty trailing page";
    }
  }
}

TEST_P(StoreTest, TradePagesRespectTheTimeRange) {
  const PaginationInput input;
  ASSERT_TRUE(Ingest({WriteFile("t.txt", input.lines)}, {}).ok());
  RecordQuery query;
  query.range.from = kBaseNanos + 3'000'000'000LL;
  query.range.to = kBaseNanos + 8'000'000'000LL;
  std::vector<std::string> wanted;
  for (const auto& row : input.expected) {
    if (row.micros >= 3'000'000 && row.micros < 8'000'000)
      wanted.push_back(UuidText(100 + row.index));
  }
  EXPECT_EQ(TradeUuids(query), wanted);
  query.coins = {"NOPE"};
  EXPECT_TRUE(TradeUuids(query).empty());
}

TEST_P(StoreTest, SentimentPagesByCoinHaveNoGapsOrRepeats) {
  std::vector<std::string> lines;
  std::vector<std::pair<long, int>> order;  // (micros, index) of tweets naming BTC or ETH
  const char* coin_sets[] = {R"(["BTC"])", R"(["ETH", "BTC"])", R"(["LTC"])", R"(["ETH"])"};
  for (int i = 0; i < 30; ++i) {
    const long micros = (i * 5 % 11) * 1'000'000L;
    lines.push_back(TweetLine(micros, -0.5 + i / 100.0, coin_sets[i % 4]));
    if (i % 4 != 2) order.emplace_back(micros, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& left, const auto& right) { return left.first < right.first; });
  ASSERT_TRUE(Ingest({}, {WriteFile("s.txt", lines)}, 4).ok());
  for (std::int64_t limit : {1, 4, 50}) {
    RecordQuery query;
    query.coins = {"ETH", "BTC"};  // a tweet naming both comes once
    query.limit = limit;
    std::vector<double> got;
    while (true) {
      auto next = store_->ForEachSentiment(query, [&](const StoredSentiment& sentiment) {
        got.push_back(sentiment.polarity);
        return Status();
      });
      ASSERT_TRUE(next.ok()) << next.error().message;
      if (!next->has_value()) break;
      query.after = **next;
    }
    std::vector<double> wanted;
    for (const auto& [micros, index] : order) wanted.push_back(-0.5 + index / 100.0);
    EXPECT_EQ(got, wanted) << "limit " << limit;
  }
}

TEST_P(StoreTest, VisitorErrorStopsTheScan) {
  const PaginationInput input;
  ASSERT_TRUE(Ingest({WriteFile("t.txt", input.lines)}, {}).ok());
  int visited = 0;
  auto result = store_->ForEachTrade({}, [&](const StoredTrade&) -> Status {
    if (++visited == 5) return Error{"client went away"};
    return {};
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "client went away");
  EXPECT_EQ(visited, 5);
  EXPECT_TRUE(store_->CheckHealth().ok());  // the store is still usable
  EXPECT_EQ(TradeUuids({}).size(), input.lines.size());
}

TEST_P(StoreTest, CachedResultsAreKeyedByDataVersion) {
  auto missing = store_->GetCachedResult("mode=tick", 0);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(store_->PutCachedResult("mode=tick", 0, R"({"data": [1]})").ok());
  ASSERT_TRUE(store_->PutCachedResult("mode=bars", 0, R"({"data": [2]})").ok());
  auto hit = store_->GetCachedResult("mode=tick", 0);
  ASSERT_TRUE(hit.ok());
  EXPECT_EQ(hit->value_or(""), R"({"data": [1]})");
  EXPECT_FALSE(store_->GetCachedResult("mode=tick", 1)->has_value());
  ASSERT_TRUE(store_->PutCachedResult("mode=tick", 1, R"({"data": [3]})").ok());
  EXPECT_EQ(store_->GetCachedResult("mode=tick", 1)->value_or(""), R"({"data": [3]})");
  EXPECT_FALSE(store_->GetCachedResult("mode=tick", 0)->has_value());  // stale entry dropped
  EXPECT_EQ(Counts().cached_results, 2);
  ASSERT_TRUE(store_->PutCachedResult("mode=tick", 1, R"({"data": [4]})").ok());  // replace
  EXPECT_EQ(store_->GetCachedResult("mode=tick", 1)->value_or(""), R"({"data": [4]})");
}

TEST_P(StoreTest, DataVersionGrowsWithEveryBatchThatAddsRows) {
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back(TradeLine(i, i * 1000L, 1.0 + i));
  const std::string file = WriteFile("t.txt", lines);
  ASSERT_TRUE(Ingest({file}, {}, 4).ok());
  const std::int64_t version = Counts().data_version;
  EXPECT_GE(version, 1);
  EXPECT_EQ(*store_->DataVersion(), version);
  ASSERT_TRUE(Ingest({file}, {}, 4).ok());
  EXPECT_EQ(*store_->DataVersion(), version);
  ASSERT_TRUE(Ingest({WriteFile("u.txt", {TradeLine(99, 0, 5.0)})}, {}, 4).ok());
  EXPECT_EQ(*store_->DataVersion(), version + 1);
}

TEST_P(StoreTest, SymbolsListTheCoinRelation) {
  ASSERT_TRUE(
      Ingest({WriteFile("t.txt", {TradeLine(1, 0, 1.0, "ETH"), TradeLine(2, 0, 1.0)})}, {}).ok());
  auto symbols = store_->ListSymbols();
  ASSERT_TRUE(symbols.ok());
  ASSERT_EQ(symbols->size(), 2u);
  EXPECT_EQ((*symbols)[0].symbol_id, "COINBASE_SPOT_BTC_USD");
  EXPECT_EQ((*symbols)[0].base, "BTC");
  EXPECT_EQ((*symbols)[0].quote, "USD");
  EXPECT_EQ((*symbols)[1].base, "ETH");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

TEST(StoreUrlTest, BadUrlsAreUsageErrors) {
  for (const char* url : {"mysql://x", "sqlite:", "", "cryptomood.db"}) {
    auto store = OpenStore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().kind, ErrorKind::kUsage) << url;
  }
}

TEST(StoreUrlTest, UnreachableServerIsAFailure) {
  auto store = OpenStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kFailure);
  EXPECT_NE(store.error().message.find("PostgreSQL"), std::string::npos);
}

}  // namespace
}  // namespace cryptomood
