// `cryptomood analyze` refuses a run whose estimated cost is over the limits before computing
// it (exit 2, naming the option to change and the limit), and runs it when --max-* raise them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.h"

namespace cryptomood::cli {
namespace {

struct RunOutcome {
  int exit_code;
  std::string error_output;
};

// Runs one `cryptomood SUBCOMMAND ...` in process, with stdout discarded.
RunOutcome RunCommand(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  CommandRunner runner;
  AddAnalyzeCommand(app, runner);
  AddSimulateCommand(app, runner);
  arguments.insert(arguments.begin(), "cryptomood");
  std::vector<char*> argv;
  argv.reserve(arguments.size());
  for (std::string& argument : arguments) argv.push_back(argument.data());
  ::testing::internal::CaptureStderr();
  int exit_code = kExitUsage;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    exit_code = runner ? runner() : kExitUsage;
  } catch (const CLI::ParseError& error) {
    exit_code = app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  return RunOutcome{exit_code, ::testing::internal::GetCapturedStderr()};
}

class AnalyzeLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("cryptomood_analyze_limits_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // analyze on trades/sentiment in dir, bars at 1ms across lags -1000:1000, plus `extra`.
  RunOutcome AnalyzeLagScan(const std::string& dir, std::vector<std::string> extra) {
    std::vector<std::string> arguments = {"analyze",
                                          "--trades",
                                          dir + "/historical_coin_data.txt",
                                          "--sentiment",
                                          dir + "/historical_sentiment_data.txt",
                                          "--mode",
                                          "bars",
                                          "--lags",
                                          "-1000:1000",
                                          "--interval",
                                          "1ms",
                                          "--format",
                                          "json",
                                          "--output",
                                          (root_ / "out.json").string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return RunCommand(arguments);
  }

  const std::filesystem::path& Root() const { return root_; }
  std::filesystem::path Output() const { return root_ / "out.json"; }

 private:
  std::filesystem::path root_;
};

TEST_F(AnalyzeLimitsTest, AWideLagScanAtOneMillisecondIsRefusedBeforeComputing) {
  const std::string data = (Root() / "sim").string();
  ASSERT_EQ(RunCommand(
                {"simulate", "--out", data, "--trades", "20000", "--tweets", "5000", "--days", "1"})
                .exit_code,
            kExitOk);
  const RunOutcome refused = AnalyzeLagScan(data, {});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused.error_output;
  EXPECT_NE(refused.error_output.find("--lags -1000:1000 implies ~"), std::string::npos)
      << refused.error_output;
  EXPECT_NE(refused.error_output.find("pairs over the limit of 5,000,000 (--max-pairs)"),
            std::string::npos)
      << refused.error_output;
  EXPECT_FALSE(std::filesystem::exists(Output()));
}

TEST_F(AnalyzeLimitsTest, RaisedLimitsLetTheSameScanRunOnATinyInput) {
  const std::string seed = CRYPTOMOOD_SEED_DIR;
  const RunOutcome refused = AnalyzeLagScan(seed, {"--max-pairs", "1000"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused.error_output;
  EXPECT_NE(refused.error_output.find("(--max-pairs)"), std::string::npos) << refused.error_output;

  const RunOutcome passed = AnalyzeLagScan(
      seed, {"--max-pairs", "100000000", "--max-rows", "100000000", "--max-reply-mb", "4096"});
  EXPECT_EQ(passed.exit_code, kExitOk) << passed.error_output;
  EXPECT_TRUE(std::filesystem::exists(Output()));

  const RunOutcome bad = AnalyzeLagScan(seed, {"--max-rows", "0"});
  EXPECT_EQ(bad.exit_code, kExitUsage);
}

}  // namespace
}  // namespace cryptomood::cli
