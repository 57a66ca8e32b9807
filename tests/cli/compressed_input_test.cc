// gzip and zstd inputs through the real binary: `analyze` and `ingest` give exactly the plain
// files' results on the seed and on simulated data (archives built in the test, named so
// that only their content tells what they are), standard input included; a damaged archive
// gets one message naming the file and the compressed offset, and its lines before the
// damage still count.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/compress_for_test.h"
#include "io/scratch_dir.h"
#include "store/store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::GzipMember;
using testing_support::ProcessResult;
using testing_support::ScratchDir;
using testing_support::ZstdFrame;

struct DataSet {
  std::string trades;
  std::string tweets;
};

class CompressedInputTest : public ::testing::Test {
 protected:
  ProcessResult Run(const std::vector<std::string>& arguments) {
    return testing_support::RunCryptomood(arguments,
                                          scratch_.Path("run" + std::to_string(runs_++)));
  }

  // The data set's two files as gzip and zstd archives, under misleading names.
  std::vector<DataSet> Archives(const DataSet& plain, const std::string& tag) {
    const std::string trades = ScratchDir::Read(plain.trades);
    const std::string tweets = ScratchDir::Read(plain.tweets);
    return {
        {scratch_.Write(tag + "_trades_gz.txt", GzipMember(trades)),
         scratch_.Write(tag + "_tweets_gz.zst", GzipMember(tweets))},
        {scratch_.Write(tag + "_trades_zst.gz", ZstdFrame(trades)),
         scratch_.Write(tag + "_tweets_zst.json", ZstdFrame(tweets))},
        // Concatenated members and frames: halves at a line boundary.
        {scratch_.Write(tag + "_trades_cat.gz",
                        GzipMember(trades.substr(0, trades.find('\n', trades.size() / 2) + 1)) +
                            GzipMember(trades.substr(trades.find('\n', trades.size() / 2) + 1))),
         scratch_.Write(tag + "_tweets_cat.zst", ZstdFrame(tweets.substr(0, tweets.size() / 2)) +
                                                     ZstdFrame(tweets.substr(tweets.size() / 2)))},
    };
  }

  void ExpectSameAnalyses(const DataSet& plain, const std::string& tag) {
    const std::vector<std::vector<std::string>> modes = {
        {"--format", "json"},
        {"--format", "json", "--mode", "bars", "--interval", "5m", "--lags", "-2:2"}};
    for (const std::vector<std::string>& mode : modes) {
      std::vector<std::string> arguments = {"analyze", "--trades", plain.trades, "--sentiment",
                                            plain.tweets};
      arguments.insert(arguments.end(), mode.begin(), mode.end());
      const ProcessResult expected = Run(arguments);
      ASSERT_EQ(expected.exit_code, 0) << expected.output;
      for (const DataSet& archive : Archives(plain, tag)) {
        arguments[2] = archive.trades;
        arguments[4] = archive.tweets;
        const ProcessResult actual = Run(arguments);
        ASSERT_EQ(actual.exit_code, 0) << actual.output;
        EXPECT_EQ(actual.output, expected.output) << archive.trades;
      }
    }
  }

  ScratchDir& scratch() { return scratch_; }

 private:
  ScratchDir scratch_;
  int runs_ = 0;
};

TEST_F(CompressedInputTest, AnalyzeGivesThePlainResultsOnTheSeed) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  ExpectSameAnalyses({seed + "/historical_coin_data.txt", seed + "/historical_sentiment_data.txt"},
                     "seed");
}

TEST_F(CompressedInputTest, AnalyzeGivesThePlainResultsOnSimulatedData) {
  const std::string out = scratch().Path("sim");
  const ProcessResult simulated =
      Run({"simulate", "--out", out, "--trades", "40000", "--tweets", "10000", "--seed", "5"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  ExpectSameAnalyses({out + "/historical_coin_data.txt", out + "/historical_sentiment_data.txt"},
                     "sim");
}

TEST_F(CompressedInputTest, StandardInputMayBeAnArchive) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  const std::string trades = seed + "/historical_coin_data.txt";
  const std::string tweets = seed + "/historical_sentiment_data.txt";
  const ProcessResult expected =
      Run({"analyze", "--trades", trades, "--sentiment", tweets, "--format", "json"});
  const std::string archive = scratch().Write("trades.bin", ZstdFrame(ScratchDir::Read(trades)));
  const std::string command = std::string(CRYPTOMOOD_BINARY) + " analyze --trades - --sentiment '" +
                              tweets + "' --format json <'" + archive + "' >'" +
                              scratch().Path("stdin.out") + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(ScratchDir::Read(scratch().Path("stdin.out")), expected.output);
}

TEST_F(CompressedInputTest, IngestStoresTheSameRecordsAsThePlainFiles) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  const DataSet plain{seed + "/historical_coin_data.txt", seed + "/historical_sentiment_data.txt"};
  const std::string db = "sqlite:" + scratch().Path("store.db");
  const ProcessResult first =
      Run({"ingest", "--db", db, "--trades", plain.trades, "--sentiment", plain.tweets});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find(": 308 lines, 308 new, 0 already stored, 0 rejected"),
            std::string::npos)
      << first.output;
  // Every record of an archive is one the plain files stored: the same keys and content.
  for (const DataSet& archive : Archives(plain, "seed")) {
    const ProcessResult again =
        Run({"ingest", "--db", db, "--trades", archive.trades, "--sentiment", archive.tweets});
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(
        again.output.find(archive.trades + ": 308 lines, 0 new, 308 already stored, 0 rejected"),
        std::string::npos)
        << again.output;
    EXPECT_NE(
        again.output.find(archive.tweets + ": 94 lines, 0 new, 94 already stored, 0 rejected"),
        std::string::npos)
        << again.output;
  }
}

TEST_F(CompressedInputTest, ADamagedArchiveIsNamedWithItsOffsetAndItsLinesCount) {
  // Enough trades that the cut leaves many whole lines before it.
  const std::string out = scratch().Path("sim");
  const ProcessResult simulated =
      Run({"simulate", "--out", out, "--trades", "20000", "--tweets", "2000", "--seed", "3"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  const std::string tweets = out + "/historical_sentiment_data.txt";
  const std::string archive = GzipMember(ScratchDir::Read(out + "/historical_coin_data.txt"));
  const std::size_t keep = archive.size() * 2 / 3;
  const std::string cut = scratch().Write("trades.json.gz", archive.substr(0, keep));
  const std::string message =
      cut + ": truncated gzip data at byte " + std::to_string(keep) + " (of the compressed file)\n";

  const ProcessResult analyzed =
      Run({"analyze", "--trades", cut, "--sentiment", tweets, "--format", "table"});
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.output;
  EXPECT_NE(analyzed.output.find(message), std::string::npos) << analyzed.output;
  EXPECT_EQ(analyzed.output.find("truncated gzip", analyzed.output.find(message) + message.size()),
            std::string::npos)
      << "one message: " << analyzed.output;

  const ProcessResult strict =
      Run({"analyze", "--strict", "--trades", cut, "--sentiment", tweets, "--format", "json"});
  EXPECT_EQ(strict.exit_code, 2) << strict.output;
  EXPECT_NE(strict.output.find(cut), std::string::npos) << strict.output;

  const std::string db = "sqlite:" + scratch().Path("damaged.db");
  const ProcessResult ingested =
      Run({"ingest", "--db", db, "--trades", cut, "--sentiment", tweets});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.output;
  EXPECT_NE(ingested.output.find(message), std::string::npos) << ingested.output;
  // Lines decoded before the cut are stored: most of the 20000 trades are new.
  const std::size_t summary = ingested.output.find(cut + ": ");
  ASSERT_NE(summary, std::string::npos) << ingested.output;
  const long lines = std::stol(ingested.output.substr(summary + cut.size() + 2));
  EXPECT_GT(lines, 10000) << ingested.output;
}

}  // namespace
}  // namespace cryptomood
