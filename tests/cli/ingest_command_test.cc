// `cryptomood ingest` end to end through the real binary, into SQLite (the store suite runs
// both backends; this checks what the user sees: summaries, messages, exit codes, files).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::JoinLines;
using testing_support::RunCryptomood;
using testing_support::TestDatabase;
using testing_support::TradeLine;
using testing_support::TweetLine;

class IngestCommandTest : public ::testing::Test {
 protected:
  IngestCommandTest() : database_(Backend::kSqlite) {}

  testing_support::ProcessResult Run(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"ingest", "--db", database_.url()});
    return RunCryptomood(arguments, database_.scratch().Path("run" + std::to_string(runs_++)));
  }

  TestDatabase database_;
  int runs_ = 0;
};

TEST_F(IngestCommandTest, SummarisesEachFileAndSaysWhenNothingIsNew) {
  const std::string trades = database_.scratch().Write(
      "trades.txt", JoinLines({TradeLine(1, 0, 10.0), "oops", TradeLine(2, 1, 11.0)}));
  const std::string tweets =
      database_.scratch().Write("tweets.txt", JoinLines({TweetLine(0, 0.5, R"(["BTC"])")}));
  auto first = Run({"--trades", trades, "--sentiment", tweets});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find(trades + ": 3 lines, 2 new, 0 already stored, 1 rejected\n"),
            std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find(tweets + ": 1 lines, 1 new, 0 already stored, 0 rejected\n"),
            std::string::npos);
  EXPECT_NE(first.output.find(trades + ":2: "), std::string::npos) << "reject on stderr";

  auto second = Run({"--trades", trades, "--sentiment", tweets});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find(trades + ": 3 lines, 0 new, 2 already stored, 1 rejected\n"),
            std::string::npos)
      << second.output;
  EXPECT_NE(second.output.find(tweets + ": 1 lines, 0 new, 1 already stored, 0 rejected\n"),
            std::string::npos);
}

TEST_F(IngestCommandTest, ShowsTwentyRejectsAndWritesAllToTheRejectFile) {
  std::vector<std::string> lines = {TradeLine(1, 0, 10.0)};
  for (int i = 0; i < 25; ++i) lines.push_back("bad line " + std::to_string(i));
  const std::string trades = database_.scratch().Write("trades.txt", JoinLines(lines));
  const std::string rejects = database_.scratch().Path("rejects.txt");
  auto result = Run({"--trades", trades, "--rejects", rejects});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(trades + ":21: "), std::string::npos);
  EXPECT_EQ(result.output.find(trades + ":22: "), std::string::npos) << "only the first 20";
  std::string expected_rejects;
  for (int i = 0; i < 25; ++i) expected_rejects += "bad line " + std::to_string(i) + "\n";
  EXPECT_EQ(testing_support::ScratchDir::Read(rejects), expected_rejects);
}

TEST_F(IngestCommandTest, StrictExitsTwoAtTheFirstBadLine) {
  const std::string trades = database_.scratch().Write(
      "trades.txt", JoinLines({TradeLine(1, 0, 10.0), "bad", TradeLine(2, 1, 11.0)}));
  auto result = Run({"--strict", "--trades", trades});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("cryptomood ingest: " + trades + ":2: "), std::string::npos)
      << result.output;
}

TEST_F(IngestCommandTest, UsageAndFailureExitCodes) {
  EXPECT_EQ(Run({}).exit_code, 2);  // nothing to ingest
  auto bad_url = RunCryptomood({"ingest", "--db", "mysql://x", "--trades", "x"},
                               database_.scratch().Path("bad_url"));
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.output.find("sqlite:PATH"), std::string::npos) << bad_url.output;
  auto missing = Run({"--trades", database_.scratch().Path("missing.txt")});
  EXPECT_EQ(missing.exit_code, 1);
}

TEST_F(IngestCommandTest, SeedFilesIngestCompletely) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  auto result = Run({"--trades", seed + "/historical_coin_data.txt", "--sentiment",
                     seed + "/historical_sentiment_data.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto store = database_.Open();
  ASSERT_NE(store, nullptr);
  auto counts = store->Counts();
  ASSERT_TRUE(counts.ok());
  // The seed README's counts: 308 trade lines and 94 tweets, all valid and distinct.
  EXPECT_EQ(counts->trades, 308);
  EXPECT_EQ(counts->sentiment, 94);
  EXPECT_EQ(counts->rejected_lines, 0);
}

}  // namespace
}  // namespace cryptomood
