// `cryptomood analyze --diagnostics` and `--what diagnostics`: the stationarity rows in each
// format, on simulated data whose prices are random walks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/command_runner.h"

namespace cryptomood::cli {
namespace {

using cryptomood::testing::CommandOutcome;
using cryptomood::testing::RunCliCommand;

class AnalyzeDiagnosticsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Data() = std::filesystem::temp_directory_path() /
             ("cryptomood_analyze_diagnostics_" + std::to_string(::getpid()));
    std::filesystem::remove_all(Data());
    const CommandOutcome simulated =
        RunCliCommand({"simulate", "--out", (Data() / "sim").string(), "--trades", "60000",
                       "--tweets", "20000", "--days", "2"});
    ASSERT_EQ(simulated.exit_code, kExitOk) << simulated.error_output;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(Data()); }

  static std::filesystem::path& Data() {
    static std::filesystem::path path;
    return path;
  }

  // analyze on the simulated data with `extra`, the output in a file; returns its text.
  static std::string Analyze(std::vector<std::string> extra, int expected_exit = kExitOk) {
    const std::filesystem::path out = Data() / "out.txt";
    std::filesystem::remove(out);
    std::vector<std::string> arguments = {"analyze",
                                          "--trades",
                                          (Data() / "sim/historical_coin_data.txt").string(),
                                          "--sentiment",
                                          (Data() / "sim/historical_sentiment_data.txt").string(),
                                          "--output",
                                          out.string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const CommandOutcome outcome = RunCliCommand(arguments);
    EXPECT_EQ(outcome.exit_code, expected_exit) << outcome.error_output;
    if (outcome.exit_code != kExitOk) return outcome.error_output;
    std::ifstream in(out, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

TEST_F(AnalyzeDiagnosticsTest, JsonGainsADiagnosticsArrayAfterTheResults) {
  const auto document =
      nlohmann::ordered_json::parse(Analyze({"--diagnostics", "--format", "json"}));
  std::vector<std::string> keys;
  for (const auto& [key, value] : document.items()) keys.push_back(key);
  ASSERT_EQ(keys, (std::vector<std::string>{"results", "inputs", "diagnostics"}));
  const auto& rows = document["diagnostics"];
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0]["symbol_id"], "COINBASE_SPOT_BTC_USD");
  EXPECT_EQ(rows[0]["interval"], "1m");
  EXPECT_EQ(rows[0]["series"], "log_price");
  EXPECT_EQ(rows[0]["regression"], "ct");
  EXPECT_EQ(rows[0]["verdict"], "unit_root");
  EXPECT_EQ(rows[1]["series"], "returns");
  EXPECT_EQ(rows[1]["verdict"], "stationary");
  EXPECT_TRUE(rows[0]["adf"]["critical_values"].contains("5%"));
  EXPECT_EQ(rows[0]["kpss"]["p_value_bound"], "upper");
}

TEST_F(AnalyzeDiagnosticsTest, WhatDiagnosticsPrintsOnlyThoseInEachFormat) {
  const auto only = nlohmann::json::parse(Analyze({"--what", "diagnostics", "--format", "json"}));
  EXPECT_EQ(only.size(), 1u);
  EXPECT_EQ(only["diagnostics"].size(), 9u);

  const std::string csv = Analyze({"--what", "diagnostics", "--format", "csv", "--coin", "ETH"});
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < csv.size();) {
    const std::size_t end = csv.find('\n', start);
    lines.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("symbol_id,coin,interval,series,regression,n,adf_statistic,", 0), 0u);
  EXPECT_EQ(lines[1].rfind("COINBASE_SPOT_ETH_USD,ETH,1m,log_price,ct,", 0), 0u);

  const std::string table = Analyze({"--what", "diagnostics", "--format", "table"});
  EXPECT_EQ(table.rfind("Stationarity\n", 0), 0u);
  EXPECT_NE(table.find("returns"), std::string::npos);
}

TEST_F(AnalyzeDiagnosticsTest, TheTableGainsAStationaritySection) {
  const std::string table = Analyze({"--diagnostics", "--format", "table"});
  const std::size_t inputs = table.find("inputs: trades");
  const std::size_t section = table.find("\nStationarity\n");
  ASSERT_NE(inputs, std::string::npos);
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(inputs, section);
  EXPECT_NE(table.find("unit_root", section), std::string::npos);
}

TEST_F(AnalyzeDiagnosticsTest, TheResultsCsvWarnsThatItHasNoRoomForThem) {
  const std::filesystem::path out = Data() / "results.csv";
  const CommandOutcome outcome =
      RunCliCommand({"analyze", "--trades", (Data() / "sim/historical_coin_data.txt").string(),
                     "--sentiment", (Data() / "sim/historical_sentiment_data.txt").string(),
                     "--diagnostics", "--format", "csv", "--output", out.string()});
  EXPECT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("use --what diagnostics --format csv"), std::string::npos)
      << outcome.error_output;
  std::ifstream in(out, std::ios::binary);
  const std::string csv{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(csv.rfind("symbol_id,coin,mode,", 0), 0u) << csv.substr(0, 200);
  EXPECT_EQ(csv.find("log_price"), std::string::npos);
}

TEST_F(AnalyzeDiagnosticsTest, TooManyBarsAreRefusedNamingTheInterval) {
  const std::string error =
      Analyze({"--what", "diagnostics", "--interval", "5m", "--max-bars", "1000"}, kExitUsage);
  EXPECT_NE(error.find("--interval 5m"), std::string::npos) << error;
  EXPECT_NE(error.find("(--max-bars)"), std::string::npos) << error;
}

}  // namespace
}  // namespace cryptomood::cli
