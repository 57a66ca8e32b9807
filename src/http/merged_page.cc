#include "http/merged_page.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <queue>
#include <span>
#include <string>
#include <utility>

#include "core/asof_joiner.h"

namespace cryptomood::http {
namespace {

// (Classic algorithms with comparators rather than std::ranges with projections: the
// clang-tidy of Debian 12 cannot compile libstdc++ 12's ranges.)
struct TimeOrder {
  template <typename Point>
  bool operator()(const Point& point, TimestampNs time) const {
    return point.timestamp < time;
  }
  template <typename Point>
  bool operator()(TimestampNs time, const Point& point) const {
    return time < point.timestamp;
  }
};

template <typename Point>
std::size_t FirstAtOrAfter(std::span<const Point> series, TimestampNs time) {
  return static_cast<std::size_t>(
      std::lower_bound(series.begin(), series.end(), time, TimeOrder{}) - series.begin());
}

template <typename Point>
std::size_t FirstAfter(std::span<const Point> series, TimestampNs time) {
  return static_cast<std::size_t>(
      std::upper_bound(series.begin(), series.end(), time, TimeOrder{}) - series.begin());
}

// The positions of `series` inside the half-open time range.
template <typename Point>
std::pair<std::size_t, std::size_t> PositionsWithin(std::span<const Point> series,
                                                    const TimeRange& range) {
  const std::size_t begin = range.from ? FirstAtOrAfter(series, *range.from) : 0;
  const std::size_t end = range.to ? FirstAtOrAfter(series, *range.to) : series.size();
  return {begin, std::max(begin, end)};
}

// The first position in [begin, end) whose order exceeds `order`; the orders there increase.
// (A hand-written binary search: the orders are not a range the standard algorithms take.)
std::size_t FirstOrderAfter(const TradeOrders& orders, SymbolIndex symbol, std::size_t begin,
                            std::size_t end, std::int64_t order) {
  while (begin < end) {
    const std::size_t middle = begin + (end - begin) / 2;
    if (orders.at(symbol, middle) <= order) {
      begin = middle + 1;
    } else {
      end = middle;
    }
  }
  return begin;
}

bool Selected(const std::vector<std::string>& coins, const std::string& coin) {
  return coins.empty() || std::find(coins.begin(), coins.end(), coin) != coins.end();
}

// Where a run's next trade stands in the merge: (timestamp, order) is the page order.
struct RunHead {
  TimestampNs timestamp;
  std::int64_t order;
  std::uint32_t run;
  bool operator>(const RunHead& other) const {
    return std::pair(timestamp, order) > std::pair(other.timestamp, other.order);
  }
};

}  // namespace

MergedPage::MergedPage(std::shared_ptr<const StoredMarketData> stored, const MergedRequest& request)
    : stored_(std::move(stored)) {
  SelectRuns(request);
  MergeRuns(request.trades.limit);
  for (Run& run : runs_) {
    if (run.taken > 0) JoinRun(run, request);
  }
}

void MergedPage::SelectRuns(const MergedRequest& request) {
  const MarketData& data = stored_->data;
  const RecordQuery& query = request.trades;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    if (!Selected(query.coins, data.coins()[data.symbols()[symbol].coin])) continue;
    const std::span<const TradePoint> trades = data.trades(symbol);
    auto [begin, end] = PositionsWithin(trades, query.range);
    if (query.after) {
      // The first trade past the cursor in (timestamp, order): among the trades at the
      // cursor's time, orders increase.
      const RowCursor after = *query.after;
      const std::size_t same_begin = std::max(begin, FirstAtOrAfter(trades, after.timestamp));
      const std::size_t same_end =
          std::max(same_begin, std::min(end, FirstAfter(trades, after.timestamp)));
      begin = FirstOrderAfter(stored_->trade_orders, symbol, same_begin, same_end, after.order);
    }
    if (begin < end) runs_.push_back(Run{symbol, begin, end, 0, {}});
  }
}

void MergedPage::MergeRuns(std::int64_t limit) {
  const auto head_of = [&](std::uint32_t index) {
    const Run& run = runs_[index];
    const std::size_t at = run.begin + run.taken;
    return RunHead{stored_->data.trades(run.symbol)[at].timestamp,
                   stored_->trade_orders.at(run.symbol, at), index};
  };
  std::priority_queue<RunHead, std::vector<RunHead>, std::greater<>> heads;
  for (std::uint32_t index = 0; index < runs_.size(); ++index) heads.push(head_of(index));
  while (!heads.empty()) {
    const RunHead head = heads.top();
    if (limit > 0 && static_cast<std::int64_t>(page_.size()) == limit) {
      // A trade is left over: the page ends at the last one taken.
      const Run& last = runs_[page_.back()];
      const std::size_t at = last.begin + last.taken - 1;
      next_cursor_ = RowCursor{stored_->data.trades(last.symbol)[at].timestamp,
                               stored_->trade_orders.at(last.symbol, at)};
      return;
    }
    heads.pop();
    page_.push_back(head.run);
    Run& run = runs_[head.run];
    ++run.taken;
    if (run.begin + run.taken < run.end) heads.push(head_of(head.run));
  }
}

void MergedPage::JoinRun(Run& run, const MergedRequest& request) const {
  const MarketData& data = stored_->data;
  const std::span<const TradePoint> trades = data.trades(run.symbol).subspan(run.begin, run.taken);
  const std::span<const SentimentPoint> coin_tweets =
      data.sentiment(data.symbols()[run.symbol].coin);
  const auto [within_begin, within_end] = PositionsWithin(coin_tweets, request.trades.range);
  // The tweets in the run's span, the latest one before it and the earliest one after it.
  std::size_t begin = FirstAtOrAfter(coin_tweets, trades.front().timestamp);
  if (begin > within_begin) --begin;
  const std::size_t end =
      std::min(within_end, FirstAfter(coin_tweets, trades.back().timestamp) + 1);
  const std::span<const SentimentPoint> tweets =
      coin_tweets.subspan(begin, std::max(begin, end) - begin);

  run.matches.assign(run.taken, std::nullopt);
  AsofJoiner joiner(request.direction, request.tolerance_nanos);
  // The joiner drops unmatched trades silently and emits in trade order, so the first waiting
  // trade with the pair's time and price is the one matched (equal ones would match alike).
  std::deque<std::size_t> waiting;
  const auto emit = [&](const JoinedPair& pair) {
    while (!waiting.empty()) {
      const std::size_t index = waiting.front();
      waiting.pop_front();
      if (trades[index].timestamp == pair.trade_time && trades[index].price == pair.price) {
        run.matches[index] = Match{pair.polarity, pair.sentiment_time};
        return;
      }
    }
  };
  std::size_t next_tweet = 0;
  for (std::size_t index = 0; index < trades.size(); ++index) {
    // Tweets at the trade's time come first, as in the batch driver.
    for (; next_tweet < tweets.size() && tweets[next_tweet].timestamp <= trades[index].timestamp;
         ++next_tweet) {
      joiner.OnSentiment(tweets[next_tweet], emit);
    }
    waiting.push_back(index);
    joiner.OnTrade(trades[index], emit);
  }
  for (; next_tweet < tweets.size(); ++next_tweet) joiner.OnSentiment(tweets[next_tweet], emit);
  joiner.Finish(emit);
}

void MergedPage::Write(RowStreamWriter& writer) const {
  const MarketData& data = stored_->data;
  std::vector<std::size_t> written(runs_.size(), 0);
  for (const std::uint32_t index : page_) {
    if (!writer.ok()) return;
    const Run& run = runs_[index];
    const std::size_t offset = written[index]++;
    const std::optional<Match>& match = run.matches[offset];
    if (!match) continue;
    const SymbolInfo& symbol = data.symbols()[run.symbol];
    const TradePoint& trade = data.trades(run.symbol)[run.begin + offset];
    writer.BeginRow();
    writer.Timestamp("timestamp", trade.timestamp);
    writer.String("symbol_id", symbol.symbol_id);
    writer.String("coin", data.coins()[symbol.coin]);
    writer.Double("price", trade.price);
    writer.Double("sentiment_polarity", match->polarity);
    writer.Timestamp("sentiment_timestamp", match->sentiment_time);
    writer.EndRow();
  }
}

}  // namespace cryptomood::http
