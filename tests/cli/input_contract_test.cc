// The input contract seen from the command line, through the real binary: what reaches the
// terminal is escaped, identifiers outside the seed's shape are rejected lines, a NUL line
// or a byte order mark does not spoil a file, an endless non-text input is refused, an
// over-long line is kept whole in --rejects, and '-' feeds one input only (usage, exit 2).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "io/scratch_dir.h"
#include "store/store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::JoinLines;
using testing_support::ProcessResult;
using testing_support::ScratchDir;
using testing_support::TradeLine;
using testing_support::TweetLine;

class InputContractTest : public ::testing::Test {
 protected:
  InputContractTest()
      : tweets_(
            scratch_.Write("tweets.txt", JoinLines({TweetLine(0, 0.5, R"(["BTC"])"),
                                                    TweetLine(2'000'000, -0.5, R"(["BTC"])")}))) {}

  ProcessResult Run(const std::vector<std::string>& arguments) {
    return testing_support::RunCryptomood(arguments,
                                          scratch_.Path("run" + std::to_string(runs_++)));
  }

  // `count` valid trades, one a second.
  static std::vector<std::string> Trades(int count) {
    std::vector<std::string> lines;
    lines.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) lines.push_back(TradeLine(i + 1, i * 1'000'000L, 100.0 + i));
    return lines;
  }

  ScratchDir scratch_;
  std::string tweets_;
  int runs_ = 0;
};

TEST_F(InputContractTest, ControlCharactersNeverReachTheTerminal) {
  std::vector<std::string> lines = Trades(3);
  std::string hostile = TradeLine(10, 5'000'000L, 99.0);
  const std::string symbol = "COINBASE_SPOT_BTC_USD";
  hostile.replace(hostile.find(symbol), symbol.size(), R"(\u001b[31mEVIL\u0007_SPOT_BTC_USD)");
  std::string look_alike = TradeLine(11, 6'000'000L, 98.0);
  look_alike.replace(look_alike.find(symbol), symbol.size(), symbol + R"(\u0000)");
  lines.push_back(hostile);
  lines.push_back(look_alike);
  // The file's own name carries an escape sequence too (it is quoted in every message).
  const std::string trades = scratch_.Write("trades\x1b[2J.txt", JoinLines(lines));
  const ProcessResult result =
      Run({"analyze", "--trades", trades, "--sentiment", tweets_, "--format", "table"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.find('\x1b'), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find('\a'), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find('\0'), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("trades\\x1b[2J.txt:4: symbol_id "), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("trades\\x1b[2J.txt:5: symbol_id "), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("trades 5 lines, 3 accepted, 2 rejected"), std::string::npos)
      << result.output;
}

TEST_F(InputContractTest, ANulLineOrAByteOrderMarkSpoilsNothingElse) {
  std::vector<std::string> lines = Trades(4);
  lines.insert(lines.begin(), std::string("\0\0\0", 3));
  const std::string with_nul = scratch_.Write("nul.txt", JoinLines(lines));
  const ProcessResult nul =
      Run({"analyze", "--trades", with_nul, "--sentiment", tweets_, "--format", "table"});
  ASSERT_EQ(nul.exit_code, 0) << nul.output;
  EXPECT_NE(nul.output.find(with_nul + ":1: NUL byte in the line: not text"), std::string::npos)
      << nul.output;
  EXPECT_NE(nul.output.find("trades 5 lines, 4 accepted, 1 rejected"), std::string::npos)
      << nul.output;

  const std::string with_bom = scratch_.Write("bom.txt", "\xEF\xBB\xBF" + JoinLines(Trades(4)));
  const ProcessResult bom =
      Run({"analyze", "--trades", with_bom, "--sentiment", tweets_, "--format", "table"});
  ASSERT_EQ(bom.exit_code, 0) << bom.output;
  EXPECT_NE(bom.output.find("trades 4 lines, 4 accepted, 0 rejected"), std::string::npos)
      << bom.output;
}

TEST_F(InputContractTest, AnEndlessNonTextInputIsRefusedAfterABoundedPrefix) {
  // A functional bound, not a measurement: /dev/zero has no end, so without the refusal
  // the command would run until `timeout` kills it (exit 124). It reads 64 MiB at most.
  for (const char* device : {"/dev/zero", "/dev/urandom"}) {
    const std::string out = scratch_.Path("endless" + std::to_string(runs_++));
    const std::string command = std::string("timeout 120 ") + CRYPTOMOOD_BINARY +
                                " analyze --trades " + device + " --sentiment '" + tweets_ + "' >" +
                                out + " 2>&1";
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << device;
    EXPECT_EQ(WEXITSTATUS(status), 1) << device;
    EXPECT_EQ(ScratchDir::Read(out), std::string("cryptomood analyze: ") + device +
                                         " does not look like JSON lines (binary data)\n");
  }
}

TEST_F(InputContractTest, AnOverlongLineIsKeptWholeInTheRejectFile) {
  // Longer than the 64 MiB line limit: reported as too long, kept byte for byte.
  std::string long_line = "{\"text\": \"";
  long_line.append(70'000'000, 'x');  // 70 MB, above the 64 MiB limit
  long_line += "\"}";
  std::vector<std::string> lines = Trades(3);
  lines.insert(lines.begin() + 1, long_line);
  const std::string trades = scratch_.Write("long.txt", JoinLines(lines));
  const std::string rejects = scratch_.Path("rejects.txt");
  const ProcessResult result = Run({"analyze", "--trades", trades, "--sentiment", tweets_,
                                    "--rejects", rejects, "--format", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result.output.substr(0, 2000);
  EXPECT_NE(result.output.find(trades + ":2: line longer than 67108864 bytes"), std::string::npos)
      << result.output.substr(0, 2000);
  EXPECT_TRUE(ScratchDir::Read(rejects) == long_line + "\n") << "the reject file differs";
}

TEST_F(InputContractTest, CoinFilterTakesTickersOnly) {
  const std::string trades = scratch_.Write("trades.txt", JoinLines(Trades(3)));
  const ProcessResult result =
      Run({"analyze", "--trades", trades, "--sentiment", tweets_, "--coin", "BTC,bt\x1b[2Jc"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_EQ(result.output,
            "cryptomood analyze: --coin: 'bt\\x1b[2Jc' is not a ticker (1 to 16 characters A-Z, "
            "0-9)\n");
}

TEST_F(InputContractTest, StandardInputFeedsOneInputOnly) {
  const std::string message =
      "'-' (standard input) is given 2 times: standard input can feed one of --trades and "
      "--sentiment, once";
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--trades", "-", "--sentiment", "-"},
      {"analyze", "--trades", "-", "--trades", "-", "--sentiment", tweets_},
      {"ingest", "--db", "sqlite:" + scratch_.Path("store.db"), "--trades", "-", "--sentiment",
       "-"},
      {"produce", "--brokers", "127.0.0.1:1", "--trades", "-", "--sentiment", "-"},
  };
  for (const auto& arguments : commands) {
    const ProcessResult result = Run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments[0] << ": " << result.output;
    EXPECT_EQ(result.output, "cryptomood " + arguments[0] + ": " + message + "\n");
  }
}

}  // namespace
}  // namespace cryptomood
