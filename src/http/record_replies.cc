#include "http/record_replies.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/asof_joiner.h"
#include "store/coins_json.h"
#include "store/key_bytes.h"

namespace cryptomood::http {
namespace {

// A client that went away ends the scan early; that is not an error worth reporting.
Status ClientGone() { return Error{"client disconnected"}; }

void WriteTrade(const StoredTrade& trade, RowStreamWriter& writer) {
  writer.BeginRow();
  if (trade.has_coins) {
    const std::string coins[] = {std::string(trade.base)};
    writer.StringList("coins", coins);
  } else {
    writer.Absent("coins");
  }
  writer.Double("price", trade.price);
  if (trade.sequence) {
    writer.Int("sequence", *trade.sequence);
  } else {
    writer.Absent("sequence");
  }
  writer.Double("size", trade.size);
  writer.String("symbol_id", trade.symbol_id);
  if (trade.taker_side.empty()) {
    writer.Absent("taker_side");
  } else {
    writer.String("taker_side", trade.taker_side);
  }
  writer.Timestamp("timestamp", trade.timestamp);
  if (trade.time_exchange) {
    writer.Timestamp("time_exchange", *trade.time_exchange);
  } else {
    writer.Absent("time_exchange");
  }
  if (trade.type.empty()) {
    writer.Absent("type");
  } else {
    writer.String("type", trade.type);
  }
  writer.String("uuid", FormatUuid(trade.uuid));
  writer.EndRow();
}

// One trade of a /merged page, copied out of the store's buffers.
struct PageTrade {
  TradePoint point;
  std::string symbol_id;
  std::string coin;
};

constexpr std::int64_t kTweetPageRows = 10'000;

struct MergedRow {
  double polarity = 0;
  TimestampNs sentiment_time = 0;
};

// The coin's tweets an as-of join of trades in [first, last] can pick: those in that span,
// the latest one before it and the earliest one after it (all within the request's range).
Result<std::vector<SentimentPoint>> TweetsAround(Store& store, const std::string& coin,
                                                 TimestampNs first, TimestampNs last,
                                                 const TimeRange& range) {
  std::vector<SentimentPoint> tweets;
  const auto collect = [&](const StoredSentiment& tweet) {
    tweets.push_back({tweet.timestamp, tweet.polarity});
    return Status::Ok();
  };
  RecordQuery before{{coin}, {range.from, first}, std::nullopt, 1, /*descending=*/true};
  if (auto done = store.ForEachSentiment(before, collect); !done) return done.error();
  // In pages rather than one unbounded scan: a bounded query is a single prepared statement
  // on PostgreSQL, an unbounded one a cursor (four round trips). One page nearly always holds
  // the tweets of a page of trades.
  RecordQuery within{{coin}, {first, last + 1}, std::nullopt, kTweetPageRows};
  if (range.from && *range.from > first) within.range.from = range.from;
  while (true) {
    auto next = store.ForEachSentiment(within, collect);
    if (!next) return next.error();
    if (!*next) break;
    within.after = **next;
  }
  const TimestampNs after_last = last + 1;
  if (!range.to || after_last < *range.to) {
    RecordQuery after{{coin}, {after_last, range.to}, std::nullopt, 1};
    if (auto done = store.ForEachSentiment(after, collect); !done) return done.error();
  }
  return tweets;
}

// Joins one symbol's page trades (positions into `trades`, in time order) with its coin's
// tweets and records each matched trade's tweet in `matches`.
void JoinSymbol(const MergedRequest& request, const std::vector<PageTrade>& trades,
                const std::vector<std::size_t>& positions,
                const std::vector<SentimentPoint>& tweets,
                std::vector<std::optional<MergedRow>>& matches) {
  AsofJoiner joiner(request.direction, request.tolerance_nanos);
  // The joiner drops unmatched trades silently and emits in trade order, so the first waiting
  // trade with the pair's time and price is the one matched (equal ones would match alike).
  std::deque<std::size_t> waiting;
  const auto emit = [&](const JoinedPair& pair) {
    while (!waiting.empty()) {
      const std::size_t position = waiting.front();
      waiting.pop_front();
      const TradePoint& point = trades[position].point;
      if (point.timestamp == pair.trade_time && point.price == pair.price) {
        matches[position] = MergedRow{pair.polarity, pair.sentiment_time};
        return;
      }
    }
  };
  std::size_t next_tweet = 0;
  for (const std::size_t position : positions) {
    const TradePoint& point = trades[position].point;
    // Tweets at the trade's time come first, as in the batch driver.
    for (; next_tweet < tweets.size() && tweets[next_tweet].timestamp <= point.timestamp;
         ++next_tweet) {
      joiner.OnSentiment(tweets[next_tweet], emit);
    }
    waiting.push_back(position);
    joiner.OnTrade(point, emit);
  }
  for (; next_tweet < tweets.size(); ++next_tweet) joiner.OnSentiment(tweets[next_tweet], emit);
  joiner.Finish(emit);
}

}  // namespace

Result<std::optional<RowCursor>> WriteTradePage(Store& store, const RecordQuery& query,
                                                RowStreamWriter& writer) {
  return store.ForEachTrade(query, [&](const StoredTrade& trade) {
    WriteTrade(trade, writer);
    return writer.ok() ? Status::Ok() : ClientGone();
  });
}

Result<std::optional<RowCursor>> WriteSentimentPage(Store& store, const RecordQuery& query,
                                                    RowStreamWriter& writer) {
  std::vector<std::string> coins;
  return store.ForEachSentiment(query, [&](const StoredSentiment& tweet) -> Status {
    if (Status decoded = DecodeCoinsJson(tweet.coins_json, coins); !decoded) return decoded;
    writer.BeginRow();
    writer.StringList("coins", coins);
    writer.Double("sentiment_polarity", tweet.polarity);
    writer.String("text", tweet.text);
    writer.Timestamp("timestamp", tweet.timestamp);
    writer.EndRow();
    return writer.ok() ? Status::Ok() : ClientGone();
  });
}

Result<std::optional<RowCursor>> WriteMergedPage(Store& store, const MergedRequest& request,
                                                 RowStreamWriter& writer) {
  std::vector<PageTrade> trades;
  std::map<std::string, std::map<std::string, std::vector<std::size_t>>> positions_by_coin;
  auto next = store.ForEachTrade(request.trades, [&](const StoredTrade& trade) {
    positions_by_coin[std::string(trade.base)][std::string(trade.symbol_id)].push_back(
        trades.size());
    trades.push_back({{trade.timestamp, trade.price, trade.size},
                      std::string(trade.symbol_id),
                      std::string(trade.base)});
    return Status::Ok();
  });
  if (!next) return next.error();

  std::vector<std::optional<MergedRow>> matches(trades.size());
  for (const auto& [coin, symbols] : positions_by_coin) {
    TimestampNs first = 0;
    TimestampNs last = 0;
    bool any = false;
    for (const auto& [symbol, positions] : symbols) {
      first = any ? std::min(first, trades[positions.front()].point.timestamp)
                  : trades[positions.front()].point.timestamp;
      last = any ? std::max(last, trades[positions.back()].point.timestamp)
                 : trades[positions.back()].point.timestamp;
      any = true;
    }
    auto tweets = TweetsAround(store, coin, first, last, request.trades.range);
    if (!tweets) return tweets.error();
    for (const auto& [symbol, positions] : symbols) {
      JoinSymbol(request, trades, positions, *tweets, matches);
    }
  }

  for (std::size_t position = 0; position < trades.size() && writer.ok(); ++position) {
    if (!matches[position]) continue;
    const PageTrade& trade = trades[position];
    writer.BeginRow();
    writer.Timestamp("timestamp", trade.point.timestamp);
    writer.String("symbol_id", trade.symbol_id);
    writer.String("coin", trade.coin);
    writer.Double("price", trade.point.price);
    writer.Double("sentiment_polarity", matches[position]->polarity);
    writer.Timestamp("sentiment_timestamp", matches[position]->sentiment_time);
    writer.EndRow();
  }
  return *next;
}

Result<std::optional<RowCursor>> NextTradeCursor(Store& store, const RecordQuery& query) {
  return store.ForEachTrade(query, [](const StoredTrade&) { return Status::Ok(); });
}

Result<std::optional<RowCursor>> NextSentimentCursor(Store& store, const RecordQuery& query) {
  return store.ForEachSentiment(query, [](const StoredSentiment&) { return Status::Ok(); });
}

}  // namespace cryptomood::http
