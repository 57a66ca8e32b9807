// MergedPage against a brute-force model: every trade of the selected coins in (timestamp,
// order) order, each joined by scanning all of its coin's tweets; pages walked with the
// cursor at several limits, on data full of timestamp ties across symbols and tweets.
#include "http/merged_page.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/timestamp.h"

namespace cryptomood::http {
namespace {

struct ModelTrade {
  std::string symbol_id;
  std::string coin;
  TradePoint point;
  std::int64_t order;
};

struct ModelTweet {
  std::vector<std::string> coins;
  SentimentPoint point;
};

struct Model {
  std::vector<ModelTrade> trades;  // arrival order
  std::vector<ModelTweet> tweets;  // arrival order
};

constexpr TimestampNs kSecond = 1'000'000'000;
constexpr TimestampNs kStart = 1'531'699'200 * kSecond;  // 2018-07-16

Model MakeModel(std::uint32_t seed) {
  std::mt19937 random(seed);
  Model model;
  const std::tuple<const char*, const char*> symbols[] = {{"COINBASE_SPOT_BTC_USD", "BTC"},
                                                          {"BITSTAMP_SPOT_BTC_USD", "BTC"},
                                                          {"COINBASE_SPOT_ETH_USD", "ETH"}};
  std::int64_t order = 100;  // store orders need not start at 1 nor be dense
  for (int i = 0; i < 600; ++i) {
    const auto& [symbol_id, coin] = symbols[random() % 3];
    const TimestampNs time = kStart + static_cast<TimestampNs>(random() % 150) * kSecond;
    model.trades.push_back({symbol_id, coin, {time, 100.0 + static_cast<double>(i), 1.0}, order});
    order += 1 + static_cast<std::int64_t>(random() % 3);
  }
  const std::vector<std::string> coin_sets[] = {{"BTC"}, {"ETH"}, {"BTC", "ETH"}, {"LTC"}};
  for (int i = 0; i < 90; ++i) {
    const TimestampNs time = kStart + static_cast<TimestampNs>(10 + random() % 140) * kSecond;
    model.tweets.push_back({coin_sets[random() % 4], {time, static_cast<double>(i) / 100.0 - 0.4}});
  }
  return model;
}

// The data set as the server holds it: series sorted by (timestamp, arrival), orders alongside.
std::shared_ptr<const StoredMarketData> Store(const Model& model) {
  std::vector<ModelTrade> trades = model.trades;
  std::stable_sort(trades.begin(), trades.end(), [](const auto& a, const auto& b) {
    return a.point.timestamp < b.point.timestamp;
  });
  MarketDataBuilder builder;
  for (const ModelTrade& trade : trades) builder.AddTrade(trade.symbol_id, trade.coin, trade.point);
  for (const ModelTweet& tweet : model.tweets) {
    std::vector<std::string_view> coins(tweet.coins.begin(), tweet.coins.end());
    builder.AddSentiment(coins, tweet.point);
  }
  auto stored = std::make_shared<StoredMarketData>();
  stored->data = std::move(builder).Finish();
  std::vector<std::vector<std::int64_t>> orders(stored->data.symbols().size());
  for (SymbolIndex symbol = 0; symbol < stored->data.symbols().size(); ++symbol) {
    for (const ModelTrade& trade : trades) {
      if (trade.symbol_id == stored->data.symbols()[symbol].symbol_id) {
        orders[symbol].push_back(trade.order);
      }
    }
  }
  stored->trade_orders = TradeOrders(std::move(orders));
  return stored;
}

// The pairs /merged must list: a plain scan over every tweet for every trade.
std::vector<nlohmann::json> ExpectedPairs(const Model& model, const std::vector<std::string>& coins,
                                          JoinDirection direction,
                                          std::optional<std::int64_t> tolerance) {
  std::vector<ModelTrade> trades;
  for (const ModelTrade& trade : model.trades) {
    if (coins.empty() || std::find(coins.begin(), coins.end(), trade.coin) != coins.end()) {
      trades.push_back(trade);
    }
  }
  std::sort(trades.begin(), trades.end(), [](const auto& a, const auto& b) {
    return std::pair(a.point.timestamp, a.order) < std::pair(b.point.timestamp, b.order);
  });
  std::vector<nlohmann::json> pairs;
  for (const ModelTrade& trade : trades) {
    std::optional<SentimentPoint> before;  // latest at or before; the last in arrival order
    std::optional<SentimentPoint> after;   // earliest at or after; the first in arrival order
    for (const ModelTweet& tweet : model.tweets) {
      if (std::find(tweet.coins.begin(), tweet.coins.end(), trade.coin) == tweet.coins.end()) {
        continue;
      }
      const TimestampNs time = tweet.point.timestamp;
      if (time <= trade.point.timestamp && (!before || time >= before->timestamp)) {
        before = tweet.point;
      }
      if (time >= trade.point.timestamp && (!after || time < after->timestamp)) {
        after = tweet.point;
      }
    }
    std::optional<SentimentPoint> chosen = direction == JoinDirection::kForward ? after : before;
    if (direction == JoinDirection::kNearest && after &&
        (!before ||
         after->timestamp - trade.point.timestamp < trade.point.timestamp - before->timestamp)) {
      chosen = after;
    }
    if (!chosen) continue;
    if (tolerance && std::abs(chosen->timestamp - trade.point.timestamp) > *tolerance) continue;
    pairs.push_back({{"timestamp", FormatTimestampMicros(trade.point.timestamp)},
                     {"symbol_id", trade.symbol_id},
                     {"coin", trade.coin},
                     {"price", trade.point.price},
                     {"sentiment_polarity", chosen->polarity},
                     {"sentiment_timestamp", FormatTimestampMicros(chosen->timestamp)}});
  }
  return pairs;
}

// Every page, following the cursor; checks that no page lists more than `limit` rows.
std::vector<nlohmann::json> WalkPages(std::shared_ptr<const StoredMarketData> stored,
                                      MergedRequest request, int* pages) {
  std::vector<nlohmann::json> rows;
  *pages = 0;
  while (true) {
    const MergedPage page(stored, request);
    std::string text;
    RowStreamWriter writer(ResponseFormat::kJson, /*paged=*/true, [&](std::string_view bytes) {
      text += bytes;
      return true;
    });
    page.Write(writer);
    writer.Finish(std::nullopt);
    const auto body = nlohmann::json::parse(text);
    EXPECT_LE(body["data"].size(), static_cast<std::size_t>(request.trades.limit));
    for (const auto& row : body["data"]) rows.push_back(row);
    ++*pages;
    if (!page.next_cursor()) return rows;
    // A cursor that does not advance would page forever.
    if (*pages > 10'000) {
      ADD_FAILURE() << "more pages than trades";
      return rows;
    }
    request.trades.after = page.next_cursor();
  }
}

TEST(MergedPageTest, PagesEqualABruteForceJoin) {
  const Model model = MakeModel(7);
  const auto stored = Store(model);
  const std::vector<std::vector<std::string>> coin_choices = {{}, {"BTC"}, {"ETH"}, {"DOGE"}};
  for (const auto& coins : coin_choices) {
    for (JoinDirection direction :
         {JoinDirection::kBackward, JoinDirection::kForward, JoinDirection::kNearest}) {
      for (std::optional<std::int64_t> tolerance :
           {std::optional<std::int64_t>(), std::optional<std::int64_t>(3 * kSecond)}) {
        const auto expected = ExpectedPairs(model, coins, direction, tolerance);
        for (std::int64_t limit : {1, 2, 7, 100000}) {
          MergedRequest request;
          request.trades.coins = coins;
          request.trades.limit = limit;
          request.direction = direction;
          request.tolerance_nanos = tolerance;
          int pages = 0;
          const auto rows = WalkPages(stored, request, &pages);
          EXPECT_EQ(rows, expected) << "coins " << coins.size() << " limit " << limit
                                    << " direction " << static_cast<int>(direction);
          if (limit == 1 && !coins.empty() && coins[0] == "BTC") {
            EXPECT_GT(pages, 300);
          }
        }
      }
    }
  }
}

// from/to cut both sides before the join: a trade never pairs with a tweet outside them.
TEST(MergedPageTest, RangeCutsTradesAndTweets) {
  Model model = MakeModel(11);
  const auto stored = Store(model);
  TimeRange range{kStart + 40 * kSecond, kStart + 90 * kSecond};
  Model cut;
  for (const ModelTrade& trade : model.trades) {
    if (range.Contains(trade.point.timestamp)) cut.trades.push_back(trade);
  }
  for (const ModelTweet& tweet : model.tweets) {
    if (range.Contains(tweet.point.timestamp)) cut.tweets.push_back(tweet);
  }
  for (JoinDirection direction :
       {JoinDirection::kBackward, JoinDirection::kForward, JoinDirection::kNearest}) {
    MergedRequest request;
    request.trades.range = range;
    request.trades.limit = 5;
    request.direction = direction;
    int pages = 0;
    EXPECT_EQ(WalkPages(stored, request, &pages), ExpectedPairs(cut, {}, direction, {}));
    EXPECT_GT(pages, 10);
  }
}

}  // namespace
}  // namespace cryptomood::http
