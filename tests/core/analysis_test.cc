// The analysis driver on hand-made series: which pairs enter which result row.
#include "core/analysis.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "support/reference_statistics.h"

namespace cryptomood {
namespace {

using testing::ReferencePearson;

constexpr TimestampNs kMinute = 60 * kNanosPerSecond;
constexpr std::string_view kBtc = "COINBASE_SPOT_BTC_USD";

void AddTweet(MarketDataBuilder& builder, TimestampNs t, double polarity) {
  const std::vector<std::string_view> coins = {"BTC"};
  builder.AddSentiment(coins, SentimentPoint{t, polarity});
}

void AddTrade(MarketDataBuilder& builder, TimestampNs t, double price, double size = 1.0) {
  builder.AddTrade(kBtc, "BTC", TradePoint{t, price, size});
}

AnalysisParams BarsParams(int first_lag, int last_lag) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(kMinute);
  params.lags = LagRange{first_lag, last_lag};
  return params;
}

// Six one-minute bars. Bar b has a first trade at b:10 and a closing trade at b:50; bar 3 has
// no trades, so returns 3 and 4 are undefined. Sentiment: two tweets per bar except bar 5.
class BarsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    MarketDataBuilder builder;
    const double closes[] = {100, 101, 99, 0, 102, 104};
    for (int b = 0; b < 6; ++b) {
      if (b == 3) continue;
      AddTrade(builder, b * kMinute + 10 * kNanosPerSecond, 50.0);  // not the close
      AddTrade(builder, b * kMinute + 50 * kNanosPerSecond, closes[b]);
    }
    const double tweets[][2] = {{0.1, 0.3}, {-0.2, -0.4}, {0.5, 0.5}, {0.0, 0.2}, {-0.6, 0.2}};
    for (int b = 0; b < 5; ++b) {
      AddTweet(builder, b * kMinute + 5 * kNanosPerSecond, tweets[b][0]);
      AddTweet(builder, b * kMinute + 55 * kNanosPerSecond, tweets[b][1]);
    }
    data_ = std::move(builder).Finish();
  }
  MarketData data_;
};

TEST_F(BarsFixture, LagZeroPairsSentimentWithSameBarReturn) {
  const auto rows = Analyze(data_, BarsParams(0, 0));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  // Sentiment means: 0.2, -0.3, 0.5, 0.1, -0.2. Returns defined at bars 1, 2, 5 only
  // (bar 3 empty breaks 3 and 4); bar 5 has no sentiment. Pairs: (-0.3, ln 101/100), (0.5, ln
  // 99/101).
  const CorrelationRow& row = rows->front();
  EXPECT_EQ(row.statistics.n, 2);
  EXPECT_FALSE(row.statistics.pearson.has_value());  // n < 3 is null, never a made-up number
  EXPECT_EQ(row.first_timestamp, 1 * kMinute);
  EXPECT_EQ(row.last_timestamp, 2 * kMinute);
  EXPECT_EQ(row.interval, Interval::Fixed(kMinute));
  EXPECT_FALSE(row.direction.has_value());
}

TEST_F(BarsFixture, PositiveLagPairsSentimentWithLaterReturn) {
  const auto rows = Analyze(data_, BarsParams(-1, 3));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  const double r1 = std::log(101.0 / 100), r2 = std::log(99.0 / 101), r5 = std::log(104.0 / 102);
  // lag 1: sentiment b with return b+1: b=0 -> r1, b=1 -> r2, b=4 -> r5.
  const CorrelationRow& lag1 = (*rows)[2];
  EXPECT_EQ(lag1.lag, 1);
  EXPECT_EQ(lag1.statistics.n, 3);
  ASSERT_TRUE(lag1.statistics.pearson.has_value());
  EXPECT_NEAR(*lag1.statistics.pearson, ReferencePearson({0.2, -0.3, -0.2}, {r1, r2, r5}), 1e-12);
  // lag -1: sentiment b with return b-1: b=2 -> r1, b=3 -> r2.
  EXPECT_EQ((*rows)[0].lag, -1);
  EXPECT_EQ((*rows)[0].statistics.n, 2);
  // lag 3: b=2 -> r5 only.
  EXPECT_EQ((*rows)[4].statistics.n, 1);
  // Only lag 1 has a defined r, so it is the best lag.
  int best = 0;
  for (const auto& row : *rows) best += row.best_lag ? 1 : 0;
  EXPECT_EQ(best, 1);
  EXPECT_TRUE(lag1.best_lag);
  EXPECT_EQ(lag1.p_value_adjusted, lag1.statistics.p_value);  // one defined p: Holm is identity
}

TEST_F(BarsFixture, WindowsFileBarsUnderTheirSentimentBar) {
  AnalysisParams params = BarsParams(1, 1);
  params.window = Interval::Fixed(2 * kMinute);
  const auto rows = Analyze(data_, params);
  ASSERT_TRUE(rows.ok());
  // Lag-1 pairs come from sentiment bars 0, 1 (window [0,2m)) and 4 (window [4m,6m)).
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].window.start, 0);
  EXPECT_EQ((*rows)[0].window.end, 2 * kMinute);
  EXPECT_EQ((*rows)[0].statistics.n, 2);
  EXPECT_EQ((*rows)[1].window.start, 4 * kMinute);
  EXPECT_EQ((*rows)[1].statistics.n, 1);
}

TEST(AnalysisTickTest, PairsPricesWithBackwardSentimentPerSymbol) {
  MarketDataBuilder builder;
  AddTweet(builder, 0, 0.1);
  AddTweet(builder, 10, 0.4);
  AddTweet(builder, 20, -0.3);
  const double prices[] = {5, 7, 6, 9, 4};
  const TimestampNs times[] = {1, 11, 12, 21, 30};
  for (int i = 0; i < 5; ++i) AddTrade(builder, times[i], prices[i]);
  // An ETH trade must not see BTC-only tweets.
  builder.AddTrade("COINBASE_SPOT_ETH_USD", "ETH", TradePoint{15, 400, 1});
  const MarketData data = std::move(builder).Finish();

  AnalysisParams params;
  const auto rows = Analyze(data, params);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);  // ETH has no pairs, so no row
  const CorrelationRow& row = rows->front();
  EXPECT_EQ(row.symbol_id, kBtc);
  EXPECT_EQ(row.direction, JoinDirection::kBackward);
  EXPECT_EQ(row.statistics.n, 5);
  EXPECT_NEAR(*row.statistics.pearson,
              ReferencePearson({5, 7, 6, 9, 4}, {0.1, 0.4, 0.4, -0.3, -0.3}), 1e-12);
  EXPECT_EQ(row.first_timestamp, 1);
  EXPECT_EQ(row.last_timestamp, 30);
}

TEST(AnalysisTickTest, WindowedJoinStillSeesEarlierRecords) {
  MarketDataBuilder builder;
  AddTweet(builder, 0, 0.5);
  AddTrade(builder, kMinute + 1, 10);  // second window, joined to the tweet of the first
  AddTrade(builder, 2, 11);
  const MarketData data = std::move(builder).Finish();
  AnalysisParams params;
  params.window = Interval::Fixed(kMinute);
  const auto rows = Analyze(data, params);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].window.start, 0);
  EXPECT_EQ((*rows)[0].statistics.n, 1);
  EXPECT_EQ((*rows)[1].window.start, kMinute);
  EXPECT_EQ((*rows)[1].statistics.n, 1);
}

// The one row a compat run gives (an empty row when the run fails: the test then fails on n).
CorrelationRow OnlyCompatRow(const MarketData& data) {
  AnalysisParams params;
  params.mode = AnalysisMode::kCompat;
  const auto rows = Analyze(data, params);
  EXPECT_TRUE(rows.ok());
  if (!rows.ok()) return {};
  EXPECT_EQ(rows->size(), 1u);
  return rows->empty() ? CorrelationRow{} : rows->front();
}

TEST(AnalysisTickTest, CompatPoolsAllSymbolsWithNearestJoin) {
  MarketDataBuilder builder;
  AddTweet(builder, 0, 0.1);
  const std::vector<std::string_view> eth = {"ETH"};
  builder.AddSentiment(eth, SentimentPoint{10, 0.9});
  AddTrade(builder, 4, 100);  // nearest is 0 (4 away) -> 0.1
  builder.AddTrade("COINBASE_SPOT_ETH_USD", "ETH", TradePoint{6, 50, 1});  // nearest 10 -> 0.9
  builder.AddTrade("COINBASE_SPOT_ETH_USD", "ETH", TradePoint{9, 60, 1});  // -> 0.9
  const CorrelationRow row = OnlyCompatRow(std::move(builder).Finish());
  EXPECT_EQ(row.symbol_id, "*");
  EXPECT_EQ(row.direction, JoinDirection::kNearest);
  EXPECT_EQ(row.statistics.n, 3);
  EXPECT_NEAR(row.statistics.pearson.value_or(NAN),
              ReferencePearson({100, 50, 60}, {0.1, 0.9, 0.9}), 1e-12);
}

TEST(AnalysisParamsTest, RejectsLagsOutsideBarsAndBadCombinations) {
  AnalysisParams params;
  params.lags = LagRange{0, 2};
  EXPECT_EQ(ValidateAnalysisParams(params).error().kind, ErrorKind::kUsage);
  params = AnalysisParams{};
  params.mode = AnalysisMode::kCompat;
  params.direction = JoinDirection::kBackward;
  EXPECT_FALSE(ValidateAnalysisParams(params).ok());
  EXPECT_TRUE(ParseLagRange("-3:3").ok());
  EXPECT_EQ(ParseLagRange("2")->first, 2);
  for (const char* bad : {"3:-3", "a:b", "1:", ":1", "1:2:3", "", "99999:100000"}) {
    EXPECT_FALSE(ParseLagRange(bad).ok()) << bad;
  }
}

// Compat pools the symbols' trades into one time-ordered stream (a merge of the per-symbol
// series). Checked against a brute-force nearest join over interleaved symbols with trades
// at equal timestamps across symbols and on tweets' timestamps.
TEST(AnalysisTickTest, CompatMatchesBruteForceNearestJoinOverInterleavedSymbols) {
  const std::vector<std::pair<std::string_view, std::string_view>> symbols = {
      {"COINBASE_SPOT_BTC_USD", "BTC"},
      {"KRAKEN_SPOT_ETH_EUR", "ETH"},
      {"BINANCE_SPOT_LTC_USDT", "LTC"}};
  std::vector<TimestampNs> tweet_times;
  std::vector<double> tweet_polarities;
  for (int i = 0; i < 40; ++i) {
    tweet_times.push_back(1000 + i * 97 + (i * i) % 13);  // increasing, distinct
    tweet_polarities.push_back(std::sin(i * 1.7));
  }
  MarketDataBuilder builder;
  const std::vector<std::string_view> coins = {"BTC", "ETH", "LTC"};
  for (std::size_t i = 0; i < tweet_times.size(); ++i) {
    builder.AddSentiment(std::span(coins).subspan(i % 3, 1),
                         SentimentPoint{tweet_times[i], tweet_polarities[i]});
  }
  std::vector<double> prices;
  std::vector<double> matched;
  std::uint64_t state = 12345;
  for (int i = 0; i < 600; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    // Coarse times (multiples of 7) so trades of different symbols share timestamps.
    const TimestampNs t = 500 + static_cast<TimestampNs>((state >> 33) % 700) * 7;
    const double price = 100.0 + static_cast<double>((state >> 20) % 1000) / 10.0;
    const auto& [symbol_id, base] = symbols[(state >> 40) % symbols.size()];
    builder.AddTrade(symbol_id, base, TradePoint{t, price, 1.0});
    // Brute force: the latest tweet at or before t, the earliest at or after; nearer wins,
    // a tie goes to the earlier one.
    std::optional<std::size_t> backward;
    std::optional<std::size_t> forward;
    for (std::size_t k = 0; k < tweet_times.size(); ++k) {
      if (tweet_times[k] <= t) backward = k;
      if (tweet_times[k] >= t && !forward) forward = k;
    }
    std::size_t chosen = 0;
    if (backward && forward) {
      chosen = t - tweet_times[*backward] <= tweet_times[*forward] - t ? *backward : *forward;
    } else {
      chosen = backward ? *backward : *forward;
    }
    prices.push_back(price);
    matched.push_back(tweet_polarities[chosen]);
  }
  const CorrelationRow row = OnlyCompatRow(std::move(builder).Finish());
  EXPECT_EQ(row.statistics.n, 600);
  EXPECT_NEAR(row.statistics.pearson.value_or(NAN), ReferencePearson(prices, matched), 1e-12);
}

// Threads out of symbols help rank the last ones (share_rankings): the rows must be the
// same, bit for bit, as without help, and as on one thread. Three symbols on two threads,
// each large enough to share its ranking.
TEST(AnalysisTickTest, SharedRankingsChangeNoResult) {
  MarketDataBuilder builder;
  const std::vector<std::string_view> coins = {"BTC", "ETH", "LTC"};
  const std::vector<std::string_view> symbols = {"X_SPOT_BTC_USD", "X_SPOT_ETH_USD",
                                                 "X_SPOT_LTC_USD"};
  std::uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int i = 0; i < 30000; ++i) {
    const auto polarity = static_cast<double>(next() % 2001) / 1000.0 - 1.0;
    builder.AddSentiment(std::span(coins).subspan(static_cast<std::size_t>(i) % 3, 1),
                         SentimentPoint{TimestampNs{i} * 100, polarity});
  }
  const std::size_t per_symbol = SpearmanScratch::kShareFrom + 5000;
  for (std::size_t i = 0; i < 3 * per_symbol; ++i) {
    const std::size_t symbol = i % 3;
    const double price = 100.0 + static_cast<double>(next() % 100000) / 100.0;
    builder.AddTrade(symbols[symbol], coins[symbol],
                     TradePoint{static_cast<TimestampNs>(i), price, 1.0});
  }
  const MarketData data = std::move(builder).Finish();
  auto run = [&](int threads, bool share) {
    AnalysisParams params;
    params.threads = threads;
    AnalysisOptions options;
    options.share_rankings = share;
    auto rows = Analyze(data, params, CancellationToken::Never(), options);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<CorrelationRow>{};
  };
  const auto alone = run(1, false);
  ASSERT_EQ(alone.size(), 3u);
  for (const auto& [threads, share] :
       {std::pair{2, true}, std::pair{2, false}, std::pair{3, true}}) {
    const auto rows = run(threads, share);
    ASSERT_EQ(rows.size(), alone.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].symbol_id, alone[i].symbol_id);
      EXPECT_EQ(rows[i].statistics.n, alone[i].statistics.n);
      ASSERT_TRUE(rows[i].statistics.spearman.has_value());
      EXPECT_EQ(std::bit_cast<std::uint64_t>(*rows[i].statistics.spearman),
                std::bit_cast<std::uint64_t>(*alone[i].statistics.spearman))
          << rows[i].symbol_id << " threads " << threads << " share " << share;
      EXPECT_EQ(rows[i].statistics.pearson, alone[i].statistics.pearson);
    }
  }
}

TEST(MarketDataTest, ShrinkToFitKeepsEverySeries) {
  MarketDataBuilder builder;
  for (int i = 0; i < 1000; ++i) AddTrade(builder, i, 100.0 + i);
  for (int i = 0; i < 300; ++i) AddTweet(builder, i * 3, 0.001 * i);
  MarketData data = std::move(builder).Finish();
  data.ShrinkToFit();
  ASSERT_EQ(data.trades(0).size(), 1000u);
  ASSERT_EQ(data.all_sentiment().size(), 300u);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(data.trades(0)[static_cast<std::size_t>(i)].price, 100.0 + i);
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(data.sentiment(0)[static_cast<std::size_t>(i)].timestamp, i * 3);
}

}  // namespace
}  // namespace cryptomood
