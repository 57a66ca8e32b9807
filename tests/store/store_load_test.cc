// Loading MarketData from a store gives exactly what loading the ingested files gives, and so
// the same analysis numbers, on both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/analysis.h"
#include "io/market_data_loader.h"
#include "store/file_ingester.h"
#include "store/market_data_from_store.h"
#include "store_test_support.h"

namespace cryptomood {
namespace {

using testing_support::Backend;
using testing_support::kBaseNanos;
using testing_support::TestDatabase;
using testing_support::TradeLine;
using testing_support::TweetLine;

// Shuffled input with timestamp ties, several symbols, multi-coin and duplicate tweets,
// duplicate trades and bad lines: everything that could make the two paths differ.
struct Input {
  std::vector<std::string> trades;
  std::vector<std::string> tweets;
};

Input MakeInput() {
  std::mt19937 random(20240601);
  Input input;
  const char* bases[] = {"BTC", "ETH", "LTC"};
  for (int i = 0; i < 3000; ++i) {
    const long micros = static_cast<long>(random() % 600) * 500'000L;  // 600 instants: ties
    const double price = 100.0 + static_cast<double>(random() % 100000) / 997.0;
    input.trades.push_back(TradeLine(i, micros, price, bases[random() % 3],
                                     static_cast<double>(random() % 1000) / 7.0));
    if (i % 250 == 0) input.trades.push_back(TradeLine(i, micros + 1, price + 1));  // dup uuid
    if (i % 400 == 0) input.trades.push_back("{\"broken\": ");
  }
  const char* coin_sets[] = {R"(["BTC"])", R"(["ETH", "BTC"])",        R"(["LTC"])",
                             R"(["ETH"])", R"(["BTC", "LTC", "BTC"])", R"(["DOGE"])"};
  for (int i = 0; i < 1500; ++i) {
    const long micros = static_cast<long>(random() % 300) * 1'000'000L;
    const double polarity = static_cast<double>(static_cast<int>(random() % 2001) - 1000) / 1000.0;
    input.tweets.push_back(TweetLine(micros, polarity, coin_sets[random() % 6]));
    if (i % 100 == 0) input.tweets.push_back(input.tweets.back());  // an identical tweet
  }
  return input;
}

void ExpectSameMarketData(const MarketData& files, const MarketData& store) {
  ASSERT_EQ(files.symbols().size(), store.symbols().size());
  for (std::size_t s = 0; s < files.symbols().size(); ++s) {
    const SymbolInfo& symbol = files.symbols()[s];
    const auto match =
        std::find_if(store.symbols().begin(), store.symbols().end(),
                     [&](const SymbolInfo& other) { return other.symbol_id == symbol.symbol_id; });
    ASSERT_NE(match, store.symbols().end()) << symbol.symbol_id;
    EXPECT_EQ(store.coins()[match->coin], files.coins()[symbol.coin]);
    const auto expected = files.trades(static_cast<SymbolIndex>(s));
    const auto actual = store.trades(static_cast<SymbolIndex>(match - store.symbols().begin()));
    ASSERT_EQ(expected.size(), actual.size()) << symbol.symbol_id;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(expected[i].timestamp, actual[i].timestamp) << symbol.symbol_id << " " << i;
      ASSERT_EQ(expected[i].price, actual[i].price) << symbol.symbol_id << " " << i;
      ASSERT_EQ(expected[i].size, actual[i].size) << symbol.symbol_id << " " << i;
    }
  }
  const auto same_points = [](std::span<const SentimentPoint> expected,
                              std::span<const SentimentPoint> actual, const std::string& what) {
    ASSERT_EQ(expected.size(), actual.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(expected[i].timestamp, actual[i].timestamp) << what << " " << i;
      ASSERT_EQ(expected[i].polarity, actual[i].polarity) << what << " " << i;
    }
  };
  ASSERT_EQ(files.coins().size(), store.coins().size());
  for (std::size_t c = 0; c < files.coins().size(); ++c) {
    const auto other = store.FindCoin(files.coins()[c]);
    ASSERT_TRUE(other.has_value()) << files.coins()[c];
    same_points(files.sentiment(static_cast<CoinIndex>(c)), store.sentiment(*other),
                files.coins()[c]);
  }
  same_points(files.all_sentiment(), store.all_sentiment(), "all");
}

class StoreLoadTest : public ::testing::TestWithParam<Backend> {
 protected:
  StoreLoadTest() : database_(GetParam()) {}

  void SetUp() override {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
    const Input input = MakeInput();
    trades_ = database_.scratch().Write("trades.txt", testing_support::JoinLines(input.trades));
    tweets_ = database_.scratch().Write("tweets.txt", testing_support::JoinLines(input.tweets));
    IngestOptions options;
    options.trade_files = {trades_};
    options.sentiment_files = {tweets_};
    options.batch_rows = 700;
    options.chunk_bytes = 4096;
    auto ingested = IngestFiles(*store_, options);
    ASSERT_TRUE(ingested.ok()) << ingested.error().message;
  }

  LoadedInput FromFiles(const TimeRange& range) {
    LoadOptions options;
    options.trade_files = {trades_};
    options.sentiment_files = {tweets_};
    options.range = range;
    auto loaded = LoadMarketData(options);
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    return std::move(*loaded);
  }

  LoadedInput FromStore(const StoreLoadOptions& options) {
    auto loaded = LoadMarketDataFromStore(*store_, options);
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    return std::move(*loaded);
  }

  TestDatabase database_;
  std::unique_ptr<Store> store_;
  std::string trades_;
  std::string tweets_;
};

TEST_P(StoreLoadTest, SameSeriesAsTheFiles) {
  const LoadedInput files = FromFiles({});
  const LoadedInput store = FromStore({});
  EXPECT_EQ(store.trades.accepted, files.trades.accepted);
  EXPECT_EQ(store.sentiment.accepted, files.sentiment.accepted);
  ExpectSameMarketData(files.data, store.data);
}

TEST_P(StoreLoadTest, SameSeriesInATimeRange) {
  TimeRange range;
  range.from = kBaseNanos + 40'000'000'000LL;
  range.to = kBaseNanos + 200'000'000'000LL;
  ExpectSameMarketData(FromFiles(range).data, FromStore({{}, range, true}).data);
}

TEST_P(StoreLoadTest, CoinSelectionKeepsOnlyThoseSymbols) {
  const LoadedInput store = FromStore({{"ETH"}, {}, true});
  ASSERT_EQ(store.data.symbols().size(), 1u);
  EXPECT_EQ(store.data.symbols()[0].symbol_id, "COINBASE_SPOT_ETH_USD");
  const LoadedInput files = FromFiles({});
  EXPECT_EQ(store.data.all_sentiment().size(), files.data.all_sentiment().size());
  const LoadedInput only_eth_tweets = FromStore({{"ETH"}, {}, false});
  const auto eth = files.data.FindCoin("ETH");
  ASSERT_TRUE(eth.has_value());
  EXPECT_EQ(only_eth_tweets.data.all_sentiment().size(), files.data.sentiment(*eth).size());
}

TEST_P(StoreLoadTest, AnalysisGivesTheSameNumbers) {
  const LoadedInput files = FromFiles({});
  const LoadedInput store = FromStore({});
  for (AnalysisMode mode : {AnalysisMode::kTick, AnalysisMode::kCompat, AnalysisMode::kBars}) {
    AnalysisParams params;
    params.mode = mode;
    auto expected = Analyze(files.data, params);
    auto actual = Analyze(store.data, params);
    ASSERT_TRUE(expected.ok() && actual.ok());
    ASSERT_EQ(expected->size(), actual->size());
    ASSERT_FALSE(expected->empty());
    for (std::size_t i = 0; i < expected->size(); ++i) {
      EXPECT_EQ((*expected)[i].symbol_id, (*actual)[i].symbol_id);
      EXPECT_EQ((*expected)[i].statistics.n, (*actual)[i].statistics.n);
      const auto same = [](std::optional<double> left, std::optional<double> right) {
        return left.has_value() == right.has_value() && (!left || *left == *right);
      };
      EXPECT_TRUE(same((*expected)[i].statistics.pearson, (*actual)[i].statistics.pearson))
          << (*expected)[i].symbol_id << " mode " << ToString(mode);
    }
  }
}

// The orders handed out with the loaded series must be those the store's own trade pages
// report for the same trades, trade by trade (ties on timestamp included), in and out of a
// time range.
TEST_P(StoreLoadTest, TradeOrdersMatchTheStoresPages) {
  TimeRange middle;
  middle.from = kBaseNanos + 40'000'000'000LL;
  middle.to = kBaseNanos + 200'000'000'000LL;
  for (const TimeRange& range : {TimeRange{}, middle}) {
    std::map<std::string, std::vector<std::tuple<TimestampNs, double, std::int64_t>>> paged;
    RecordQuery all;
    all.range = range;
    auto done = store_->ForEachTrade(all, [&](const StoredTrade& trade) {
      paged[std::string(trade.symbol_id)].emplace_back(trade.timestamp, trade.price, trade.order);
      return Status::Ok();
    });
    ASSERT_TRUE(done.ok()) << done.error().message;

    TradeOrders orders;
    auto loaded = LoadMarketDataFromStore(*store_, {{}, range, true}, &orders);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const MarketData& data = loaded->data;
    ASSERT_EQ(orders.symbol_count(), data.symbols().size());
    ASSERT_EQ(paged.size(), data.symbols().size());
    for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
      const auto& expected = paged[data.symbols()[symbol].symbol_id];
      ASSERT_EQ(orders.size(symbol), expected.size());
      ASSERT_EQ(data.trades(symbol).size(), expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [timestamp, price, order] = expected[i];
        EXPECT_EQ(data.trades(symbol)[i].timestamp, timestamp);
        EXPECT_EQ(data.trades(symbol)[i].price, price);
        EXPECT_EQ(orders.at(symbol, i), order) << data.symbols()[symbol].symbol_id << " #" << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLoadTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

}  // namespace
}  // namespace cryptomood
