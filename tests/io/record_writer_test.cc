#include "io/record_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/simulation.h"
#include "core/timestamp.h"

namespace cryptomood {
namespace {

const std::vector<std::string> kSeedCoins = {"BTC", "ETH", "LTC"};

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::uint32_t CoinIndex(const std::string& ticker) {
  const auto found = std::find(kSeedCoins.begin(), kSeedCoins.end(), ticker);
  EXPECT_NE(found, kSeedCoins.end()) << ticker;
  return static_cast<std::uint32_t>(found - kSeedCoins.begin());
}

TimestampNs ParsedTime(const std::string& text) {
  auto parsed = ParseTimestamp(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : 0;
}

SimulatedUuid UuidFromText(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return SimulatedUuid{std::stoull(text.substr(0, 16), nullptr, 16),
                       std::stoull(text.substr(16), nullptr, 16)};
}

TakerSide SideFromName(const std::string& name) {
  for (const TakerSide side :
       {TakerSide::kBuy, TakerSide::kSell, TakerSide::kBuyEstimated, TakerSide::kSellEstimated}) {
    if (TakerSideName(side) == name) return side;
  }
  ADD_FAILURE() << "unknown taker side " << name;
  return TakerSide::kBuy;
}

std::string FormatTrade(SeedLineFormatter& formatter, const SimulatedTrade& trade) {
  std::string line(formatter.max_line_length(), '\0');
  line.resize(static_cast<std::size_t>(formatter.WriteTrade(trade, line.data()) - line.data()));
  return line;
}

std::string FormatTweet(SeedLineFormatter& formatter, const SimulatedTweet& tweet) {
  std::string line(formatter.max_line_length(), '\0');
  line.resize(static_cast<std::size_t>(formatter.WriteTweet(tweet, line.data()) - line.data()));
  return line;
}

// The strongest layout check there is: every seed line, taken apart into values and laid
// out again by the formatter, comes back byte for byte.
TEST(SeedLineFormatterTest, ReproducesEverySeedTradeLine) {
  SeedLineFormatter formatter(kSeedCoins);
  const std::vector<std::string> lines = ReadLines(CRYPTOMOOD_SEED_DIR "/historical_coin_data.txt");
  ASSERT_EQ(lines.size(), 308u);
  for (const std::string& line : lines) {
    const nlohmann::json fields = nlohmann::json::parse(line);
    SimulatedTrade trade;
    trade.coin = CoinIndex(fields["coins"][0].get<std::string>());
    trade.price = fields["price"].get<double>();
    trade.sequence = fields["sequence"].get<std::int64_t>();
    trade.size = fields["size"].get<double>();
    trade.taker_side = SideFromName(fields["taker_side"].get<std::string>());
    trade.timestamp = ParsedTime(fields["timestamp"].get<std::string>());
    ASSERT_EQ(fields["time_exchange"], fields["timestamp"]);  // what the formatter assumes
    trade.uuid = UuidFromText(fields["uuid"].get<std::string>());
    ASSERT_EQ(FormatTrade(formatter, trade), line + "\n");
  }
}

TEST(SeedLineFormatterTest, ReproducesEverySeedSentimentLine) {
  SeedLineFormatter formatter(kSeedCoins);
  const std::vector<std::string> lines =
      ReadLines(CRYPTOMOOD_SEED_DIR "/historical_sentiment_data.txt");
  ASSERT_EQ(lines.size(), 94u);
  for (const std::string& line : lines) {
    const nlohmann::json fields = nlohmann::json::parse(line);
    SimulatedTweet tweet;
    for (const nlohmann::json& coin : fields["coins"]) {
      tweet.coins[tweet.coin_count++] = CoinIndex(coin.get<std::string>());
    }
    tweet.polarity = fields["sentiment_polarity"].get<double>();
    tweet.timestamp = ParsedTime(fields["timestamp"].get<std::string>());
    ASSERT_EQ(fields["text"], "TEST");
    ASSERT_EQ(FormatTweet(formatter, tweet), line + "\n");
  }
}

TEST(SeedLineFormatterTest, HandWrittenTradeLine) {
  SeedLineFormatter formatter({"DOGE"});
  SimulatedTrade trade;
  trade.coin = 0;
  trade.price = 0.25;
  trade.sequence = 7;
  trade.size = 3;
  trade.taker_side = TakerSide::kBuyEstimated;
  // 2020-02-29 is day 18321 after the epoch; 23:59:59.000001.
  trade.timestamp = (18'321 * 86'400 + 86'399) * kNanosPerSecond + 1'000;
  trade.uuid = SimulatedUuid{0x0123456789ABCDEFULL, 0x8000000000000001ULL};
  EXPECT_EQ(FormatTrade(formatter, trade),
            R"({"coins": ["DOGE"], "price": 0.25, "sequence": 7, "size": 3.0, )"
            R"("symbol_id": "COINBASE_SPOT_DOGE_USD", "taker_side": "BUY_ESTIMATED", )"
            R"("timestamp": "2020-02-29T23:59:59.000001Z", )"
            R"("time_exchange": "2020-02-29T23:59:59.000001Z", "type": "trade", )"
            R"("uuid": "01234567-89ab-cdef-8000-000000000001"})"
            "\n");
}

TEST(SeedLineFormatterTest, TimestampsOnConsecutiveDaysUseTheirOwnDates) {
  SeedLineFormatter formatter({"BTC"});
  SimulatedTweet tweet;
  tweet.coin_count = 1;
  tweet.polarity = -1;
  // The date part is cached per day: check the cache is refreshed across midnight and back.
  const TimestampNs midnight = 1'531'699'200 * kNanosPerSecond;  // 2018-07-16T00:00:00Z
  tweet.timestamp = midnight - kNanosPerMicro;
  EXPECT_EQ(FormatTweet(formatter, tweet),
            R"({"coins": ["BTC"], "sentiment_polarity": -1.0, "text": "TEST", )"
            R"("timestamp": "2018-07-15T23:59:59.999999Z"})"
            "\n");
  tweet.timestamp = midnight;
  EXPECT_NE(FormatTweet(formatter, tweet).find("\"2018-07-16T00:00:00.000000Z\""),
            std::string::npos);
  tweet.timestamp = midnight - 1;  // sub-microsecond parts are cut, toward the past
  EXPECT_NE(FormatTweet(formatter, tweet).find("\"2018-07-15T23:59:59.999999Z\""),
            std::string::npos);
}

class RecordWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    directory_ = std::filesystem::temp_directory_path() /
                 ("cryptomood_record_writer_test_" + std::to_string(::getpid()) + "_" + test_name);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string PathOf(const char* name) const { return (directory_ / name).string(); }

  std::filesystem::path directory_;
};

std::vector<SimulatedRecord> Simulate(std::int64_t trades, std::int64_t tweets) {
  SimulationConfig config;
  config.trades = trades;
  config.tweets = tweets;
  config.days = 1;
  auto simulation = Simulation::Create(config);
  EXPECT_TRUE(simulation.ok());
  std::vector<SimulatedRecord> records;
  SimulatedRecord record;
  while (simulation->Next(record)) records.push_back(record);
  return records;
}

TEST_F(RecordWriterTest, FilesHoldTheFormattedLinesInOrderAcrossBufferFlushes) {
  // About 9 MB of trades: several flushes of the 1 MiB buffer.
  const std::vector<SimulatedRecord> records = Simulate(30'000, 5'000);
  auto writer = RecordWriter::Open(PathOf("trades"), PathOf("tweets"), kSeedCoins);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  SeedLineFormatter formatter(kSeedCoins);
  std::string expected_trades, expected_tweets;
  for (const SimulatedRecord& record : records) {
    ASSERT_TRUE(writer->Write(record).ok());
    if (record.kind == SimulatedRecord::Kind::kTrade) {
      expected_trades += FormatTrade(formatter, record.trade);
    } else {
      expected_tweets += FormatTweet(formatter, record.tweet);
    }
  }
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(writer->trade_lines(), 30'000);
  EXPECT_EQ(writer->tweet_lines(), 5'000);
  EXPECT_EQ(writer->bytes_written(),
            static_cast<std::int64_t>(expected_trades.size() + expected_tweets.size()));
  EXPECT_GT(expected_trades.size(), std::size_t{3} << 20);
  EXPECT_TRUE(ReadFile(PathOf("trades")) == expected_trades);
  EXPECT_TRUE(ReadFile(PathOf("tweets")) == expected_tweets);
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST_F(RecordWriterTest, ShufflePermutesLinesWithinBlocks) {
  const std::vector<SimulatedRecord> records = Simulate(1'000, 300);
  RecordWriterOptions shuffled{.shuffle = true, .shuffle_seed = 5, .shuffle_block_lines = 256};
  auto plain_writer = RecordWriter::Open(PathOf("trades"), PathOf("tweets"), kSeedCoins);
  auto shuffled_writer = RecordWriter::Open(PathOf("trades_shuffled"), PathOf("tweets_shuffled"),
                                            kSeedCoins, shuffled);
  ASSERT_TRUE(plain_writer.ok() && shuffled_writer.ok());
  for (const SimulatedRecord& record : records) {
    ASSERT_TRUE(plain_writer->Write(record).ok());
    ASSERT_TRUE(shuffled_writer->Write(record).ok());
  }
  ASSERT_TRUE(plain_writer->Finish().ok());
  ASSERT_TRUE(shuffled_writer->Finish().ok());
  EXPECT_EQ(shuffled_writer->bytes_written(), plain_writer->bytes_written());
  for (const auto& [plain, shuffled_path] :
       {std::pair{"trades", "trades_shuffled"}, std::pair{"tweets", "tweets_shuffled"}}) {
    const std::vector<std::string> original = ReadLines(PathOf(plain));
    const std::vector<std::string> permuted = ReadLines(PathOf(shuffled_path));
    EXPECT_NE(original, permuted);
    EXPECT_EQ(Sorted(original), Sorted(permuted));
    // Blocks stay blocks: the first 256 lines are a permutation of the first 256.
    const std::size_t block = std::min<std::size_t>(256, original.size());
    EXPECT_EQ(Sorted({original.begin(), original.begin() + block}),
              Sorted({permuted.begin(), permuted.begin() + block}));
  }
}

TEST_F(RecordWriterTest, OpenFailsWithThePathWhenTheDirectoryIsMissing) {
  const std::string missing = PathOf("no/such/dir/trades");
  auto writer = RecordWriter::Open(missing, PathOf("tweets"), kSeedCoins);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.error().kind, ErrorKind::kFailure);
  EXPECT_NE(writer.error().message.find(missing), std::string::npos);
}

TEST_F(RecordWriterTest, AFullDiskIsReported) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::vector<SimulatedRecord> records = Simulate(10'000, 0);
  auto writer = RecordWriter::Open("/dev/full", PathOf("tweets"), kSeedCoins);
  ASSERT_TRUE(writer.ok());
  Status status;
  for (const SimulatedRecord& record : records) {
    status = writer->Write(record);
    if (!status.ok()) break;
  }
  if (status.ok()) status = writer->Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("/dev/full"), std::string::npos);
}

}  // namespace
}  // namespace cryptomood
