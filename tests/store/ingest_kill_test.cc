// A `cryptomood ingest` process killed with SIGKILL in the middle of a large file leaves the
// store consistent, and rerunning the same command completes the job: the same rows, no
// duplicates, nothing lost, compared with a clean ingest into a fresh store; the killed run is
// marked abandoned by the rerun. Both backends.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "store/key_bytes.h"
#include "store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::TestDatabase;
using testing_support::TradeLine;

constexpr int kTrades = 300'000;
constexpr int kBadLineEvery = 20'011;

std::string BigTradeFile() {
  std::string lines;
  lines.reserve(static_cast<std::size_t>(kTrades) * 330);
  const char* bases[] = {"BTC", "ETH", "LTC"};
  for (int i = 0; i < kTrades; ++i) {
    lines += TradeLine(i, i * 37L % 3'000'000'000L, 100.0 + i % 1000, bases[i % 3]);
    lines += '\n';
    if (i % kBadLineEvery == 0) lines += "{\"garbage\": " + std::to_string(i) + "\n";
  }
  return lines;
}

// Everything a store holds about trades and rejected lines, in order, as text.
std::vector<std::string> Contents(Store& store) {
  std::vector<std::string> rows;
  auto scanned = store.ForEachTrade({}, [&](const StoredTrade& trade) {
    rows.push_back(FormatUuid(trade.uuid) + " " + std::to_string(trade.timestamp) + " " +
                   std::to_string(trade.price) + " " + std::to_string(trade.size) + " " +
                   std::string(trade.symbol_id) + " " +
                   std::to_string(trade.sequence.value_or(-1)) + " " +
                   std::string(trade.taker_side));
    return Status();
  });
  EXPECT_TRUE(scanned.ok());
  Status rejects = store.ForEachRejectedLine([&](const StoredReject& reject) {
    rows.push_back("reject " + std::to_string(reject.line_number) + " " +
                   std::string(reject.raw_line));
    return Status();
  });
  EXPECT_TRUE(rejects.ok());
  return rows;
}

class IngestKillTest : public ::testing::TestWithParam<Backend> {};

TEST_P(IngestKillTest, RerunAfterKillCompletesWithoutDuplicates) {
  TestDatabase killed(GetParam());
  TestDatabase clean(GetParam());
  const std::string file = killed.scratch().Write("trades.txt", BigTradeFile());
  auto store = killed.Open();  // migrated before the ingest starts
  ASSERT_NE(store, nullptr);

  const std::vector<std::string> command = {"ingest", "--db",         killed.url(), "--trades",
                                            file,     "--batch-rows", "2000"};
  const pid_t pid = testing_support::SpawnCryptomood(command);
  ASSERT_GT(pid, 0);
  // Kill once some batches are committed, so the kill lands mid-file.
  std::int64_t seen = 0;
  int status = 0;
  bool exited = false;
  while (seen < 20'000) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    auto counts = store->Counts();
    ASSERT_TRUE(counts.ok()) << counts.error().message;
    seen = counts->trades;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_FALSE(exited) << "ingest finished before it could be killed";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  // Consistent: the counters committed with the rows match the rows.
  auto counts = store->Counts();
  ASSERT_TRUE(counts.ok());
  ASSERT_GT(counts->trades, 0);
  ASSERT_LT(counts->trades, kTrades) << "the kill should have landed mid-file";
  std::int64_t rows = 0;
  ASSERT_TRUE(store
                  ->ForEachTrade({},
                                 [&](const StoredTrade&) {
                                   ++rows;
                                   return Status();
                                 })
                  .ok());
  EXPECT_EQ(rows, counts->trades);
  auto runs = store->ListIngestRuns(1);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->front().status, "running");  // never finished
  EXPECT_FALSE(runs->front().finished.has_value());

  const auto rerun = testing_support::RunCryptomood(command, killed.scratch().Path("rerun"));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  const int bad_lines = (kTrades - 1) / kBadLineEvery + 1;
  const int lines = kTrades + bad_lines;
  EXPECT_NE(rerun.output.find(": " + std::to_string(lines) + " lines, " +
                              std::to_string(kTrades - counts->trades) + " new, " +
                              std::to_string(counts->trades) + " already stored, " +
                              std::to_string(bad_lines) + " rejected"),
            std::string::npos)
      << rerun.output;
  // The rerun noticed that the killed run's process is gone.
  runs = store->ListIngestRuns(2);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ(runs->front().status, "done");
  EXPECT_EQ(runs->back().status, kRunAbandoned);
  EXPECT_EQ(runs->back().message, kRunAbandonedMessage);

  const auto fresh = testing_support::RunCryptomood(
      {"ingest", "--db", clean.url(), "--trades", file}, clean.scratch().Path("clean"));
  ASSERT_EQ(fresh.exit_code, 0) << fresh.output;

  auto clean_store = clean.Open();
  ASSERT_NE(clean_store, nullptr);
  auto final_counts = store->Counts();
  auto clean_counts = clean_store->Counts();
  ASSERT_TRUE(final_counts.ok() && clean_counts.ok());
  EXPECT_EQ(final_counts->trades, kTrades);
  EXPECT_EQ(clean_counts->trades, kTrades);
  EXPECT_EQ(final_counts->rejected_lines, bad_lines);
  EXPECT_EQ(clean_counts->rejected_lines, bad_lines);
  EXPECT_EQ(final_counts->symbols, 3);
  const std::vector<std::string> recovered = Contents(*store);
  const std::vector<std::string> expected = Contents(*clean_store);
  ASSERT_EQ(recovered.size(), expected.size());
  EXPECT_TRUE(recovered == expected) << "contents differ";
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestKillTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

}  // namespace
}  // namespace cryptomood
