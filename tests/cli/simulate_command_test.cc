// `cryptomood simulate` end to end: runs the command in process (and once as the real
// binary) and checks the files with an independent JSON parser (nlohmann::json) against the
// seed files' keys and layout, and the planted effects with statistics computed here.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "support/reference_statistics.h"

namespace cryptomood::cli {
namespace {

using cryptomood::testing::ReferencePearson;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kTradeFile = "historical_coin_data.txt";
constexpr const char* kSentimentFile = "historical_sentiment_data.txt";

struct RunOutcome {
  int exit_code;
  std::string error_output;
};

RunOutcome RunCommand(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  CommandRunner runner;
  AddSimulateCommand(app, runner);
  arguments.insert(arguments.begin(), {"cryptomood", "simulate"});
  std::vector<char*> argv;
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

std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A line with every string replaced by "" and every number by 0: what is left is the layout
// (braces, keys' places, separators, spacing), which must match some seed line's.
std::string Skeleton(const std::string& line) {
  std::string skeleton;
  for (std::size_t at = 0; at < line.size(); ++at) {
    const char c = line[at];
    if (c == '"') {
      for (++at; at < line.size() && line[at] != '"'; ++at) {
        if (line[at] == '\\') ++at;
      }
      skeleton += "\"\"";
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      while (at + 1 < line.size() && std::strchr("0123456789.eE+-", line[at + 1]) != nullptr) ++at;
      skeleton += '0';
    } else {
      skeleton += c;
    }
  }
  return skeleton;
}

std::vector<std::string> KeysOf(const OrderedJson& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

class SimulateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = std::filesystem::temp_directory_path() /
            ("cryptomood_simulate_test_" + std::to_string(::getpid()) + "_" + test_name);
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path Dir(const char* name) const { return root_ / name; }

  RunOutcome Simulate(const char* dir, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--out", Dir(dir).string()});
    return RunCommand(std::move(arguments));
  }

  std::filesystem::path root_;
};

TEST_F(SimulateCommandTest, LinesHaveTheSeedKeysLayoutAndValidValues) {
  const RunOutcome outcome =
      Simulate("out", {"--trades", "3000", "--tweets", "1000", "--seed", "3", "--days", "1"});
  ASSERT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;

  const std::vector<std::string> seed_trades =
      ReadLines(CRYPTOMOOD_SEED_DIR "/historical_coin_data.txt");
  const std::vector<std::string> seed_tweets =
      ReadLines(CRYPTOMOOD_SEED_DIR "/historical_sentiment_data.txt");
  ASSERT_FALSE(seed_trades.empty());
  ASSERT_FALSE(seed_tweets.empty());
  const std::vector<std::string> trade_keys = KeysOf(OrderedJson::parse(seed_trades[0]));
  const std::vector<std::string> tweet_keys = KeysOf(OrderedJson::parse(seed_tweets[0]));
  std::set<std::string> seed_layouts;
  for (const std::string& line : seed_trades) seed_layouts.insert(Skeleton(line));
  for (const std::string& line : seed_tweets) seed_layouts.insert(Skeleton(line));

  const std::vector<std::string> trades = ReadLines(Dir("out") / kTradeFile);
  ASSERT_EQ(trades.size(), 3000u);
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::set<std::string> sides = {"BUY", "SELL", "BUY_ESTIMATED", "SELL_ESTIMATED"};
  std::set<std::string> uuids;
  std::map<std::string, std::int64_t> last_sequence;
  std::string last_timestamp;
  for (const std::string& line : trades) {
    const OrderedJson trade = OrderedJson::parse(line);
    ASSERT_EQ(KeysOf(trade), trade_keys) << line;
    ASSERT_EQ(seed_layouts.count(Skeleton(line)), 1u) << line;
    const std::string coin = trade["coins"][0].get<std::string>();
    ASSERT_EQ(trade["coins"].size(), 1u);
    const std::string symbol = trade["symbol_id"].get<std::string>();
    EXPECT_EQ(symbol, "COINBASE_SPOT_" + coin + "_USD");
    EXPECT_GT(trade["price"].get<double>(), 0);
    EXPECT_GE(trade["size"].get<double>(), 0);
    EXPECT_EQ(sides.count(trade["taker_side"].get<std::string>()), 1u);
    EXPECT_EQ(trade["type"], "trade");
    EXPECT_EQ(trade["time_exchange"], trade["timestamp"]);
    const std::string uuid = trade["uuid"].get<std::string>();
    EXPECT_TRUE(std::regex_match(uuid, uuid_v4)) << uuid;
    EXPECT_TRUE(uuids.insert(uuid).second) << "duplicate uuid " << uuid;
    const std::int64_t sequence = trade["sequence"].get<std::int64_t>();
    EXPECT_GT(sequence, last_sequence[symbol]);
    last_sequence[symbol] = sequence;
    // Same fixed-width RFC 3339 form throughout, so text order is time order.
    const std::string timestamp = trade["timestamp"].get<std::string>();
    EXPECT_GE(timestamp, last_timestamp);
    last_timestamp = timestamp;
  }
  EXPECT_EQ(last_sequence.size(), 3u);

  const std::vector<std::string> tweets = ReadLines(Dir("out") / kSentimentFile);
  ASSERT_EQ(tweets.size(), 1000u);
  const std::set<std::string> coins = {"BTC", "ETH", "LTC"};
  last_timestamp.clear();
  for (const std::string& line : tweets) {
    const OrderedJson tweet = OrderedJson::parse(line);
    ASSERT_EQ(KeysOf(tweet), tweet_keys) << line;
    ASSERT_EQ(seed_layouts.count(Skeleton(line)), 1u) << line;
    std::set<std::string> named;
    for (const auto& coin : tweet["coins"]) named.insert(coin.get<std::string>());
    EXPECT_EQ(named.size(), tweet["coins"].size()) << line;
    EXPECT_GE(named.size(), 1u);
    EXPECT_LE(named.size(), 3u);
    EXPECT_TRUE(std::includes(coins.begin(), coins.end(), named.begin(), named.end())) << line;
    const double polarity = tweet["sentiment_polarity"].get<double>();
    EXPECT_GE(polarity, -1.0);
    EXPECT_LE(polarity, 1.0);
    EXPECT_EQ(tweet["text"], "TEST");
    const std::string timestamp = tweet["timestamp"].get<std::string>();
    EXPECT_GE(timestamp, last_timestamp);
    last_timestamp = timestamp;
  }
}

TEST_F(SimulateCommandTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::vector<std::string> arguments = {"--trades", "5000",   "--tweets",
                                              "2000",     "--days", "2"};
  auto with_seed = [&](const char* seed) {
    std::vector<std::string> all = arguments;
    all.insert(all.end(), {"--seed", seed});
    return all;
  };
  ASSERT_EQ(Simulate("a", with_seed("11")).exit_code, kExitOk);
  ASSERT_EQ(Simulate("b", with_seed("11")).exit_code, kExitOk);
  ASSERT_EQ(Simulate("c", with_seed("12")).exit_code, kExitOk);
  for (const char* file : {kTradeFile, kSentimentFile}) {
    const std::string first = ReadFile(Dir("a") / file);
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(first == ReadFile(Dir("b") / file)) << file;
    EXPECT_FALSE(first == ReadFile(Dir("c") / file)) << file;
  }
}

TEST_F(SimulateCommandTest, ShuffleKeepsTheLinesButNotTheirOrder) {
  const std::vector<std::string> arguments = {"--trades", "2000", "--tweets", "500", "--days", "1"};
  ASSERT_EQ(Simulate("sorted", arguments).exit_code, kExitOk);
  std::vector<std::string> shuffled_arguments = arguments;
  shuffled_arguments.push_back("--shuffle");
  ASSERT_EQ(Simulate("shuffled", shuffled_arguments).exit_code, kExitOk);
  for (const char* file : {kTradeFile, kSentimentFile}) {
    std::vector<std::string> sorted = ReadLines(Dir("sorted") / file);
    std::vector<std::string> shuffled = ReadLines(Dir("shuffled") / file);
    ASSERT_FALSE(sorted.empty());
    EXPECT_NE(sorted, shuffled);
    std::sort(sorted.begin(), sorted.end());
    std::sort(shuffled.begin(), shuffled.end());
    EXPECT_EQ(sorted, shuffled);
  }
}

// Per minute of the default week: last trade price and mean polarity, for one coin, from the
// text alone.
struct MinuteSeries {
  std::map<int, double> close;
  std::map<int, std::pair<double, int>> polarity;  // sum, count
};

int MinuteOf(const std::string& timestamp) {  // "2018-07-DDTHH:MM..." inside one month
  const auto number = [&](std::size_t at) { return std::stoi(timestamp.substr(at, 2)); };
  return (number(8) * 24 + number(11)) * 60 + number(14);
}

std::map<std::string, MinuteSeries> ReadMinuteSeries(const std::filesystem::path& dir) {
  std::map<std::string, MinuteSeries> by_coin;
  for (const std::string& line : ReadLines(dir / kTradeFile)) {
    const nlohmann::json trade = nlohmann::json::parse(line);
    by_coin[trade["coins"][0].get<std::string>()]
        .close[MinuteOf(trade["timestamp"].get<std::string>())] = trade["price"].get<double>();
  }
  for (const std::string& line : ReadLines(dir / kSentimentFile)) {
    const nlohmann::json tweet = nlohmann::json::parse(line);
    const int minute = MinuteOf(tweet["timestamp"].get<std::string>());
    for (const auto& coin : tweet["coins"]) {
      auto& [sum, count] = by_coin[coin.get<std::string>()].polarity[minute];
      sum += tweet["sentiment_polarity"].get<double>();
      ++count;
    }
  }
  return by_coin;
}

// Pearson of (mean polarity in minute b, log return into minute b + lag).
double LagCorrelation(const MinuteSeries& series, int lag) {
  std::vector<double> sentiments, returns;
  for (const auto& [minute, sum_count] : series.polarity) {
    const auto close = series.close.find(minute + lag);
    const auto previous = series.close.find(minute + lag - 1);
    if (close == series.close.end() || previous == series.close.end()) continue;
    sentiments.push_back(sum_count.first / sum_count.second);
    returns.push_back(std::log(close->second / previous->second));
  }
  EXPECT_GT(sentiments.size(), 9'000u);
  return ReferencePearson(sentiments, returns);
}

TEST_F(SimulateCommandTest, DefaultRunPlantsEthLeadingByTwoMinutesAndNothingOnLtc) {
  const RunOutcome outcome = Simulate("default", {});
  ASSERT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("planted: ETH:leads:2:0.4, BTC:follows:1:0.3"),
            std::string::npos)
      << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("lines/s"), std::string::npos);
  const std::map<std::string, MinuteSeries> series = ReadMinuteSeries(Dir("default"));
  ASSERT_EQ(series.size(), 3u);
  const double eth_at_two = LagCorrelation(series.at("ETH"), 2);
  EXPECT_GT(eth_at_two, 0.15);  // standard error about 0.01
  for (const int lag : {-3, -2, -1, 0, 1, 3}) {
    EXPECT_LT(std::abs(LagCorrelation(series.at("ETH"), lag)), eth_at_two - 0.05) << lag;
  }
  EXPECT_GT(LagCorrelation(series.at("BTC"), -1), 0.1);
  for (int lag = -3; lag <= 3; ++lag) {
    EXPECT_LT(std::abs(LagCorrelation(series.at("LTC"), lag)), 0.05) << "LTC lag " << lag;
  }
}

TEST_F(SimulateCommandTest, PlantOptionsChooseTheEffects) {
  RunOutcome outcome = Simulate("none", {"--trades", "10", "--tweets", "10", "--no-plant"});
  ASSERT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("planted: none"), std::string::npos);
  outcome = Simulate("two", {"--trades", "10", "--tweets", "10", "--plant", "LTC:leads:3:-0.2",
                             "--plant", "ETH:follows:1:0.5"});
  ASSERT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("planted: LTC:leads:3:-0.2, ETH:follows:1:0.5"),
            std::string::npos)
      << outcome.error_output;
  // Defaults only for coins that are simulated.
  outcome = Simulate("other", {"--trades", "10", "--tweets", "10", "--coins", "LTC,XRP"});
  ASSERT_EQ(outcome.exit_code, kExitOk) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("planted: none"), std::string::npos);
}

TEST_F(SimulateCommandTest, CountsOfZeroGiveEmptyFiles) {
  ASSERT_EQ(Simulate("empty", {"--trades", "0", "--tweets", "0"}).exit_code, kExitOk);
  EXPECT_TRUE(std::filesystem::exists(Dir("empty") / kTradeFile));
  EXPECT_EQ(std::filesystem::file_size(Dir("empty") / kTradeFile), 0u);
  EXPECT_EQ(std::filesystem::file_size(Dir("empty") / kSentimentFile), 0u);
}

TEST_F(SimulateCommandTest, BadValuesExitTwoWithAMessage) {
  const std::vector<std::vector<std::string>> bad_arguments = {
      {"--trades", "-1"},
      {"--trades", "many"},
      {"--tweets", "-3"},
      {"--seed", "x"},
      {"--coins", "BTC,,ETH"},
      {"--coins", "btc"},
      {"--coins", "BTC,BTC"},
      {"--start", "yesterday"},
      {"--start", "2018-07-16"},
      {"--days", "0"},
      {"--days", "-1"},
      {"--step", "1mo"},
      {"--step", "5"},
      {"--step", "8d"},
      {"--plant", "ETH:sideways:2:0.4"},
      {"--plant", "ETH:leads:0:0.4"},
      {"--plant", "ETH:leads:2:1.5"},
      {"--plant", "DOGE:leads:2:0.4"},
      {"--plant", "ETH:leads:2:0.4", "--no-plant"},
      {"--plant", "ETH:leads:2:0.4", "--plant", "ETH:leads:3:0.1"},
      {"--unknown-flag"},
  };
  for (const std::vector<std::string>& arguments : bad_arguments) {
    const RunOutcome outcome = Simulate("bad", arguments);
    EXPECT_EQ(outcome.exit_code, kExitUsage) << arguments[0] << " " << arguments.back();
    EXPECT_FALSE(outcome.error_output.empty()) << arguments[0];
    EXPECT_FALSE(std::filesystem::exists(Dir("bad") / kTradeFile)) << arguments[0];
  }
  const RunOutcome outcome = Simulate("bad", {"--plant", "ETH:sideways:2:0.4"});
  EXPECT_NE(outcome.error_output.find("--plant"), std::string::npos) << outcome.error_output;
  EXPECT_NE(outcome.error_output.find("leads"), std::string::npos) << outcome.error_output;
}

TEST_F(SimulateCommandTest, MissingOutIsAUsageError) {
  EXPECT_EQ(RunCommand({"--trades", "10"}).exit_code, kExitUsage);
}

TEST_F(SimulateCommandTest, AnUncreatableDirectoryIsARuntimeFailure) {
  const RunOutcome outcome = RunCommand({"--out", "/dev/null/cannot", "--trades", "1"});
  EXPECT_EQ(outcome.exit_code, kExitFailure);
  EXPECT_NE(outcome.error_output.find("/dev/null/cannot"), std::string::npos);
}

TEST_F(SimulateCommandTest, TheBinaryRunsItAndMapsUsageErrorsToTwo) {
  const std::string binary = CRYPTOMOOD_BINARY;
  const std::string out = Dir("binary").string();
  const auto run = [](const std::string& command) {
    const int status = std::system((command + " 2>/dev/null").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run(binary + " simulate --out " + out + " --trades 20 --tweets 5"), 0);
  EXPECT_EQ(ReadLines(std::filesystem::path(out) / kTradeFile).size(), 20u);
  EXPECT_EQ(ReadLines(std::filesystem::path(out) / kSentimentFile).size(), 5u);
  EXPECT_EQ(run(binary + " simulate --out " + out + " --plant nonsense"), 2);
  EXPECT_EQ(run(binary + " simulate --trades 20"), 2);
}

}  // namespace
}  // namespace cryptomood::cli
