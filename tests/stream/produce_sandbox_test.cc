// `cryptomood sandbox` and `cryptomood produce` end to end through the real binary, with kcat
// as an outside reader: exact messages (keys, byte-equal payloads, tweets once per distinct
// coin), bad lines reported and never published, exit codes, and a clean SIGTERM. Every child
// runs under a time limit and is killed when the test ends.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/store_test_support.h"
#include "stream/child_process.h"

namespace cryptomood {
namespace {

using namespace std::chrono_literals;
using testing_support::ChildProcess;
using testing_support::JoinLines;
using testing_support::ScratchDir;
using testing_support::TradeLine;
using testing_support::TweetLine;

constexpr std::string_view kBanner = "cryptomood: sandbox brokers at ";

struct ProcessRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& text) { return "'" + text + "'"; }

// Runs a command line under `timeout -k` (so it can never hang the test).
ProcessRun RunLimited(const std::vector<std::string>& argv, const ScratchDir& scratch,
                      const std::string& name, int seconds = 60) {
  std::string command = "timeout -k 5 " + std::to_string(seconds);
  for (const std::string& argument : argv) command += " " + Quote(argument);
  const std::string out = scratch.Path(name + ".out");
  const std::string err = scratch.Path(name + ".err");
  command += " >" + Quote(out) + " 2>" + Quote(err);
  const int status = std::system(command.c_str());
  return ProcessRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ScratchDir::Read(out),
                    ScratchDir::Read(err)};
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

class ProduceSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ =
        std::make_unique<ChildProcess>(std::vector<std::string>{CRYPTOMOOD_BINARY, "sandbox"});
    const std::string banner = sandbox_->ReadLine(20s);
    ASSERT_EQ(banner.rfind(kBanner, 0), 0U) << "first line: " << banner;
    brokers_ = banner.substr(kBanner.size());
    ASSERT_FALSE(brokers_.empty());
  }

  ProcessRun Produce(std::vector<std::string> arguments, const std::string& name) {
    arguments.insert(arguments.begin(), {CRYPTOMOOD_BINARY, "produce"});
    return RunLimited(arguments, scratch_, name);
  }

  // Every message of `topic` as "KEY PAYLOAD" lines, read by kcat to the end of the topic.
  ProcessRun ReadTopic(const std::string& topic) {
    return RunLimited({"kcat", "-C", "-b", brokers_, "-t", topic, "-e", "-q", "-f", "%k %s\n"},
                      scratch_, "kcat_" + topic, 30);
  }

  ScratchDir scratch_;
  std::unique_ptr<ChildProcess> sandbox_;
  std::string brokers_;
};

TEST_F(ProduceSandboxTest, PublishesValidLinesKeyedByCoinAndStopsOnSigterm) {
  const std::string btc1 = TradeLine(1, 0, 10.0, "BTC");
  const std::string eth = TradeLine(2, 1'000, 20.0, "ETH");
  const std::string btc2 = TradeLine(3, 2'000, 11.0, "BTC");
  const std::string negative_price = TradeLine(4, 3'000, -1.0, "BTC");
  const std::string trades =
      scratch_.Write("trades.txt", JoinLines({btc1, eth, "not json", btc2, btc1, negative_price}));
  const std::string tweet_btc = TweetLine(0, 0.5, R"(["BTC"])");
  const std::string tweet_three = TweetLine(500, -0.25, R"(["ETH", "BTC", "ETH"])");
  const std::string tweet_sol = TweetLine(1'500, 0.125, R"(["SOL"])");
  const std::string tweets =
      scratch_.Write("tweets.txt", JoinLines({tweet_btc, tweet_three, "{bad", tweet_sol}));
  const std::string rejects = scratch_.Path("rejects.txt");

  const ProcessRun produced = Produce({"--brokers", brokers_, "--trades", trades, "--sentiment",
                                       tweets, "--rejects", rejects, "--rate", "1000"},
                                      "produce");
  ASSERT_EQ(produced.exit_code, 0) << produced.out << produced.err;
  EXPECT_NE(produced.err.find(trades + ":3: "), std::string::npos) << produced.err;
  EXPECT_NE(produced.err.find(trades + ":6: "), std::string::npos) << produced.err;
  EXPECT_NE(produced.err.find(tweets + ":3: "), std::string::npos) << produced.err;
  EXPECT_NE(produced.out.find(trades + ": 6 lines, 4 messages, 2 rejected"), std::string::npos)
      << produced.out;
  EXPECT_NE(produced.out.find(tweets + ": 4 lines, 4 messages, 1 rejected"), std::string::npos)
      << produced.out;
  EXPECT_NE(produced.out.find("cryptomood: 8 messages acknowledged"), std::string::npos)
      << produced.out;
  EXPECT_EQ(ScratchDir::Read(rejects), "not json\n" + negative_price + "\n{bad\n");

  const ProcessRun trade_topic = ReadTopic("cryptomood.trades");
  ASSERT_EQ(trade_topic.exit_code, 0) << trade_topic.err;
  // The duplicate line is published again (the consumer drops duplicates).
  EXPECT_EQ(SortedLines(trade_topic.out),
            Sorted({"BTC " + btc1, "ETH " + eth, "BTC " + btc2, "BTC " + btc1}));

  const ProcessRun sentiment_topic = ReadTopic("cryptomood.sentiment");
  ASSERT_EQ(sentiment_topic.exit_code, 0) << sentiment_topic.err;
  // A tweet once per distinct coin, its line unchanged.
  EXPECT_EQ(SortedLines(sentiment_topic.out), Sorted({"BTC " + tweet_btc, "BTC " + tweet_three,
                                                      "ETH " + tweet_three, "SOL " + tweet_sol}));

  EXPECT_EQ(sandbox_->Stop(SIGTERM, 15s), 0) << "sandbox exits 0 on SIGTERM";
}

TEST_F(ProduceSandboxTest, UsageAndDeliveryFailuresHaveTheirExitCodes) {
  const std::string trades = scratch_.Write("trades.txt", JoinLines({TradeLine(1, 0, 10.0)}));
  const ProcessRun bad_property =
      Produce({"--brokers", brokers_, "--trades", trades, "-X", "no.such.thing=1"}, "bad_x");
  EXPECT_EQ(bad_property.exit_code, 2);
  EXPECT_NE(bad_property.err.find("no.such.thing"), std::string::npos) << bad_property.err;

  const ProcessRun strict =
      Produce({"--brokers", brokers_, "--trades", scratch_.Write("bad.txt", "oops\n"), "--strict"},
              "strict");
  EXPECT_EQ(strict.exit_code, 2) << strict.err;

  // Nobody listens on port 1: delivery times out and fails.
  const ProcessRun unreachable =
      Produce({"--brokers", "127.0.0.1:1", "--trades", trades, "-X", "message.timeout.ms=1500"},
              "unreachable");
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.err;
  EXPECT_NE(unreachable.err.find("failed delivery"), std::string::npos) << unreachable.err;

  EXPECT_EQ(sandbox_->Stop(SIGINT, 15s), 0) << "sandbox exits 0 on SIGINT";
}

}  // namespace
}  // namespace cryptomood
