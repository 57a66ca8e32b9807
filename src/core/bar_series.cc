#include "core/bar_series.h"

#include <algorithm>
#include <string>

#include "core/bar_builder.h"
#include "core/log_return.h"

namespace cryptomood {
namespace {

// Bars, trades and tweets handled between two polls of the cancellation token.
constexpr std::uint64_t kWorkPerPoll = 4096;

// The first and last bar index the series spans, or nullopt when there is nothing to show.
std::optional<std::pair<std::int64_t, std::int64_t>> SpannedIndices(
    std::span<const TradePoint> trades, std::span<const SentimentPoint> sentiment,
    const BarSeriesSpan& span) {
  std::optional<TimestampNs> first = span.range.from;
  std::optional<TimestampNs> last;
  if (span.range.to) last = *span.range.to - 1;
  const auto widen = [](std::optional<TimestampNs>& bound, TimestampNs t, bool lower) {
    if (!bound) {
      bound = t;
    } else {
      bound = lower ? std::min(*bound, t) : std::max(*bound, t);
    }
  };
  if (!span.range.from) {
    if (!trades.empty()) widen(first, trades.front().timestamp, true);
    if (!sentiment.empty()) widen(first, sentiment.front().timestamp, true);
  }
  if (!span.range.to) {
    if (!trades.empty()) widen(last, trades.back().timestamp, false);
    if (!sentiment.empty()) widen(last, sentiment.back().timestamp, false);
  }
  if (!first || !last || *first > *last) return std::nullopt;
  return std::pair{span.interval.BucketIndex(*first), span.interval.BucketIndex(*last)};
}

}  // namespace

Result<std::vector<SeriesBar>> BuildBarSeries(std::span<const TradePoint> trades,
                                              std::span<const SentimentPoint> sentiment,
                                              const BarSeriesSpan& span,
                                              const CancellationToken& cancel) {
  if (cancel.StopRequested()) return cancel.CancelledError();
  std::vector<SeriesBar> bars;
  const auto indices = SpannedIndices(trades, sentiment, span);
  if (!indices) return bars;
  const auto [first_index, last_index] = *indices;
  const std::int64_t count = last_index - first_index + 1;
  if (count > span.max_bars) {
    return Error{"the range holds " + std::to_string(count) + " bars of " +
                     span.interval.ToString() + ", more than " + std::to_string(span.max_bars) +
                     "; choose a larger interval, a shorter range or max_points",
                 ErrorKind::kUsage};
  }
  bars.reserve(static_cast<std::size_t>(count));
  PollEvery poll(cancel, kWorkPerPoll);
  std::size_t next_trade = 0;
  std::size_t next_tweet = 0;
  std::optional<double> previous_close;
  for (std::int64_t index = first_index; index <= last_index; ++index) {
    const TimestampNs end = span.interval.BucketStart(index + 1);
    const std::size_t trades_before = next_trade;
    const std::size_t tweets_before = next_tweet;
    PriceBar price;
    SentimentBar mood;
    for (; next_trade < trades.size() && trades[next_trade].timestamp < end; ++next_trade) {
      price.Add(trades[next_trade]);
    }
    for (; next_tweet < sentiment.size() && sentiment[next_tweet].timestamp < end; ++next_tweet) {
      mood.Add(sentiment[next_tweet]);
    }
    SeriesBar& bar = bars.emplace_back();
    bar.start = span.interval.BucketStart(index);
    bar.volume = price.volume;
    bar.trades = price.trade_count;
    if (price.trade_count > 0) {
      bar.close = price.close;
      bar.vwap = price.vwap();
      if (previous_close) bar.log_return = LogReturn(*previous_close, price.close);
    }
    previous_close = bar.close;
    bar.tweets = mood.tweet_count;
    if (mood.tweet_count > 0) bar.sentiment = mood.mean();
    bar.incomplete = span.data_end && end > *span.data_end;
    if (poll.Tick(1 + (next_trade - trades_before) + (next_tweet - tweets_before))) {
      return cancel.CancelledError();
    }
  }
  return bars;
}

std::vector<SeriesBar> DownsampleExtremes(std::vector<SeriesBar> bars, std::int64_t max_points,
                                          const CancellationToken& cancel) {
  const auto size = static_cast<std::int64_t>(bars.size());
  if (max_points < 2 || size <= max_points) return bars;
  const std::int64_t buckets = max_points / 2;
  std::vector<SeriesBar> kept;
  kept.reserve(static_cast<std::size_t>(2 * buckets));
  PollEvery poll(cancel, kWorkPerPoll);
  for (std::int64_t bucket = 0; bucket < buckets; ++bucket) {
    const auto begin = static_cast<std::size_t>(bucket * size / buckets);
    const auto end = static_cast<std::size_t>((bucket + 1) * size / buckets);
    if (poll.Tick(end - begin)) break;
    std::optional<std::size_t> lowest;
    std::optional<std::size_t> highest;
    for (std::size_t i = begin; i < end; ++i) {
      if (!bars[i].close) continue;
      if (!lowest || *bars[i].close < *bars[*lowest].close) lowest = i;
      if (!highest || *bars[i].close > *bars[*highest].close) highest = i;
    }
    if (!lowest) {
      kept.push_back(bars[begin]);
      continue;
    }
    const std::size_t earlier = std::min(*lowest, *highest);
    const std::size_t later = std::max(*lowest, *highest);
    kept.push_back(bars[earlier]);
    if (later != earlier) kept.push_back(bars[later]);
  }
  return kept;
}

}  // namespace cryptomood
