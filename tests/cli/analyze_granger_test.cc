// `analyze --mode bars --granger [P|auto]` through the real binary: the "causality" array after
// "results" in JSON, the table's "Granger causality" section, --what causality alone (CSV with
// a header), and usage errors (exit 2) naming the option.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "io/scratch_dir.h"
#include "store/store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::ProcessResult;
using testing_support::ScratchDir;
using OrderedJson = nlohmann::ordered_json;

// One scratch folder for the suite: the simulated files and every run's output.
ScratchDir& Scratch() {
  static ScratchDir scratch;
  return scratch;
}

class AnalyzeGrangerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const ProcessResult simulated =
        testing_support::RunCryptomood({"simulate", "--out", Scratch().Path("sim"), "--trades",
                                        "30000", "--tweets", "8000", "--days", "1"},
                                       Scratch().Path("simulate"));
    ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  }

  // analyze over the simulated files, in bars mode unless `mode` says otherwise.
  static ProcessResult Analyze(const std::vector<std::string>& extra,
                               const std::string& mode = "bars") {
    std::vector<std::string> arguments = {"analyze",
                                          "--trades",
                                          Scratch().Path("sim/historical_coin_data.txt"),
                                          "--sentiment",
                                          Scratch().Path("sim/historical_sentiment_data.txt"),
                                          "--mode",
                                          mode};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    static int runs = 0;
    return testing_support::RunCryptomood(arguments,
                                          Scratch().Path("run" + std::to_string(runs++)));
  }
};

TEST_F(AnalyzeGrangerTest, JsonGainsTheCausalityArrayAfterResults) {
  const ProcessResult result = Analyze({"--granger", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const OrderedJson document = OrderedJson::parse(result.output);
  std::vector<std::string> keys;
  for (const auto& item : document.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"results", "causality", "inputs"}));
  const OrderedJson& causality = document["causality"];
  ASSERT_EQ(causality.size(), 6u);  // three symbols, both directions
  std::vector<std::string> fields;
  for (const auto& item : causality[0].items()) fields.push_back(item.key());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"symbol_id", "coin", "interval", "window_start", "window_end",
                                      "cause", "effect", "lags", "n", "f", "df_num", "df_den",
                                      "p_value", "p_value_hc1", "p_value_adjusted"}));
  EXPECT_EQ(causality[0]["cause"], "sentiment");
  EXPECT_EQ(causality[0]["effect"], "returns");
  EXPECT_EQ(causality[1]["cause"], "returns");
  EXPECT_EQ(causality[1]["effect"], "sentiment");
  EXPECT_EQ(causality[0]["lags"], causality[1]["lags"]);
  EXPECT_GE(causality[0]["lags"].get<int>(), 1);

  // --what causality prints the same rows alone.
  const ProcessResult alone = Analyze({"--granger", "--what", "causality", "--format", "json"});
  ASSERT_EQ(alone.exit_code, 0) << alone.output;
  EXPECT_EQ(OrderedJson::parse(alone.output), OrderedJson({{"causality", causality}}));
}

TEST_F(AnalyzeGrangerTest, FixedLagsAndCsvWithAHeader) {
  const ProcessResult result =
      Analyze({"--granger", "3", "--what", "causality", "--format", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::istringstream lines(result.output);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line,
            "symbol_id,coin,interval,window_start,window_end,cause,effect,lags,n,f,df_num,df_den,"
            "p_value,p_value_hc1,p_value_adjusted");
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    EXPECT_NE(line.find(",1m,,,"), std::string::npos) << line;
    EXPECT_NE(line.find(",3,"), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 6);
}

TEST_F(AnalyzeGrangerTest, TableHasAGrangerSection) {
  const ProcessResult result = Analyze({"--granger", "2", "--format", "table"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::size_t section = result.output.find("Granger causality\n");
  ASSERT_NE(section, std::string::npos) << result.output;
  EXPECT_LT(result.output.find("inputs: trades"), section);
  const std::string tail = result.output.substr(section);
  const std::regex header("\\nsymbol +cause -> effect +lags +n +F +p +p_hc1 +p_adj\\n");
  EXPECT_TRUE(std::regex_search(tail, header)) << tail;
  for (const char* direction : {"sentiment -> returns", "returns -> sentiment"}) {
    const std::regex line(std::string("\\nCOINBASE_SPOT_ETH_USD +") + direction +
                          " +2 +[0-9]+ +[0-9.]+ +");
    EXPECT_TRUE(std::regex_search(tail, line)) << direction << "\n" << tail;
  }
}

TEST_F(AnalyzeGrangerTest, UsageErrorsNameTheOption) {
  const ProcessResult tick = Analyze({"--granger"}, "tick");
  EXPECT_EQ(tick.exit_code, 2);
  EXPECT_NE(tick.output.find("--granger"), std::string::npos) << tick.output;
  for (const char* bad : {"0", "-2", "x"}) {
    const ProcessResult result = Analyze({"--granger", bad});
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_NE(result.output.find("--granger"), std::string::npos) << result.output;
  }
  const ProcessResult what = Analyze({"--what", "causality"});
  EXPECT_EQ(what.exit_code, 2);
  EXPECT_NE(what.output.find("--granger"), std::string::npos) << what.output;
}

}  // namespace
}  // namespace cryptomood
