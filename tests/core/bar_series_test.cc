// BuildBarSeries and DownsampleExtremes on small hand-made series. The chart reads these bars
// directly, so each property the header promises is pinned here: no missing rows (an empty bar
// is a row without a close), close/VWAP/log return/sentiment worked out by hand, range ends
// mapped to the bars holding them, calendar-month bars, the "still open" flag and the bar cap;
// and for the thinning, the size bound and that the extremes (the spikes a chart must show)
// survive it in time order.
#include "core/bar_series.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace cryptomood {
namespace {

constexpr TimestampNs kSecond = kNanosPerSecond;
constexpr TimestampNs kMinute = 60 * kSecond;
constexpr TimestampNs kDay = 86400 * kSecond;

TradePoint Trade(TimestampNs t, double price, double size = 1.0) { return {t, price, size}; }

BarSeriesSpan MinuteSpan(std::optional<TimestampNs> from = std::nullopt,
                         std::optional<TimestampNs> to = std::nullopt) {
  BarSeriesSpan span;
  span.interval = Interval::Fixed(kMinute);
  span.range = TimeRange{from, to};
  return span;
}

std::vector<SeriesBar> Build(const std::vector<TradePoint>& trades,
                             const std::vector<SentimentPoint>& sentiment,
                             const BarSeriesSpan& span) {
  auto bars = BuildBarSeries(trades, sentiment, span);
  EXPECT_TRUE(bars.ok()) << (bars.ok() ? "" : bars.error().message);
  return bars.ok() ? *bars : std::vector<SeriesBar>{};
}

std::vector<TimestampNs> Starts(const std::vector<SeriesBar>& bars) {
  std::vector<TimestampNs> starts;
  for (const SeriesBar& bar : bars) starts.push_back(bar.start);
  return starts;
}

void ExpectEmptyBar(const SeriesBar& bar) {
  EXPECT_FALSE(bar.close.has_value());
  EXPECT_FALSE(bar.vwap.has_value());
  EXPECT_FALSE(bar.log_return.has_value());
  EXPECT_FALSE(bar.sentiment.has_value());
  EXPECT_EQ(bar.trades, 0);
  EXPECT_EQ(bar.volume, 0.0);
  EXPECT_EQ(bar.tweets, 0);
}

TEST(BarSeriesTest, EmptyBarIsARowWithoutClose) {
  // Minute 0: 100 x 1 then 102 x 3; minute 1: nothing; minute 2: 101 x 2.
  const std::vector<TradePoint> trades = {Trade(10 * kSecond, 100, 1), Trade(50 * kSecond, 102, 3),
                                          Trade(130 * kSecond, 101, 2)};
  const auto bars = Build(trades, {}, MinuteSpan());
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(Starts(bars), (std::vector<TimestampNs>{0, kMinute, 2 * kMinute}));
  // Close is the last trade's price; VWAP = (100*1 + 102*3) / (1 + 3) = 406 / 4 = 101.5.
  EXPECT_EQ(bars[0].close, 102.0);
  EXPECT_EQ(bars[0].vwap, 101.5);
  EXPECT_EQ(bars[0].volume, 4.0);
  EXPECT_EQ(bars[0].trades, 2);
  ExpectEmptyBar(bars[1]);
  EXPECT_EQ(bars[2].close, 101.0);
  EXPECT_EQ(bars[2].vwap, 101.0);
  EXPECT_EQ(bars[2].trades, 1);
  // The bar before minute 2 has no trade, so minute 2 has no return.
  EXPECT_FALSE(bars[2].log_return.has_value());
}

TEST(BarSeriesTest, LogReturnNeedsTradesInBothBars) {
  const std::vector<TradePoint> trades = {Trade(30 * kSecond, 100), Trade(90 * kSecond, 110),
                                          Trade(150 * kSecond, 99)};
  const auto bars = Build(trades, {}, MinuteSpan());
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_FALSE(bars[0].log_return.has_value());  // no previous bar
  ASSERT_TRUE(bars[1].log_return.has_value());
  EXPECT_DOUBLE_EQ(*bars[1].log_return, std::log(110.0 / 100.0));
  ASSERT_TRUE(bars[2].log_return.has_value());
  EXPECT_DOUBLE_EQ(*bars[2].log_return, std::log(99.0 / 110.0));
}

TEST(BarSeriesTest, SentimentIsTheMeanPolarityAndTweetCount) {
  // Minute 0: 0.5, -0.25, 0.5 -> mean 0.75 / 3 = 0.25 (exact in binary); minute 1: none;
  // minute 2: -1.
  const std::vector<SentimentPoint> tweets = {
      {5 * kSecond, 0.5}, {20 * kSecond, -0.25}, {40 * kSecond, 0.5}, {125 * kSecond, -1.0}};
  const auto bars = Build({}, tweets, MinuteSpan());
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].sentiment, 0.25);
  EXPECT_EQ(bars[0].tweets, 3);
  ExpectEmptyBar(bars[1]);
  EXPECT_EQ(bars[2].sentiment, -1.0);
  EXPECT_EQ(bars[2].tweets, 1);
  // Tweets alone make bars, but no prices.
  EXPECT_FALSE(bars[0].close.has_value());
  EXPECT_EQ(bars[0].trades, 0);
}

TEST(BarSeriesTest, BoundedRangeRunsFromTheBarHoldingFromToTheBarHoldingToMinusOne) {
  // from = 1:30 lies in minute 1, to = 3:30 makes 3:29.999... the last instant: minute 3.
  const auto bars = Build({Trade(100 * kSecond, 5)}, {}, MinuteSpan(90 * kSecond, 210 * kSecond));
  EXPECT_EQ(Starts(bars), (std::vector<TimestampNs>{kMinute, 2 * kMinute, 3 * kMinute}));
  EXPECT_EQ(bars[0].close, 5.0);
  ExpectEmptyBar(bars[1]);
  ExpectEmptyBar(bars[2]);
  // to exactly on a bar start: that bar is outside (to is exclusive).
  EXPECT_EQ(Starts(Build({}, {}, MinuteSpan(90 * kSecond, 180 * kSecond))),
            (std::vector<TimestampNs>{kMinute, 2 * kMinute}));
  // A bounded range with no data at all is still gap-free.
  EXPECT_EQ(Build({}, {}, MinuteSpan(0, 5 * kMinute)).size(), 5u);
}

TEST(BarSeriesTest, UnboundedRangeSpansBothSeries) {
  // Tweets start first (minute 0), trades end last (minute 5).
  const std::vector<SentimentPoint> tweets = {{10 * kSecond, 0.5}, {200 * kSecond, 0.5}};
  const std::vector<TradePoint> trades = {Trade(130 * kSecond, 1), Trade(310 * kSecond, 2)};
  const auto bars = Build(trades, tweets, MinuteSpan());
  ASSERT_EQ(bars.size(), 6u);
  EXPECT_EQ(bars.front().start, 0);
  EXPECT_EQ(bars.back().start, 5 * kMinute);
  // And the other way round: trades first, tweets last.
  const auto swapped = Build({Trade(10 * kSecond, 1)}, {{250 * kSecond, 0.5}}, MinuteSpan());
  EXPECT_EQ(Starts(swapped),
            (std::vector<TimestampNs>{0, kMinute, 2 * kMinute, 3 * kMinute, 4 * kMinute}));
  // Nothing to show and no bounds: no bars.
  EXPECT_TRUE(Build({}, {}, MinuteSpan()).empty());
}

TEST(BarSeriesTest, MonthlyBarsFollowTheCalendar) {
  // 2024-01-01 is day 19723 (54 years incl. 13 leap days: 54 * 365 + 13), so Jan 31 is day
  // 19753, Feb 1 day 19754 (+31) and Mar 1 day 19783 (+29, a leap February).
  constexpr TimestampNs kJan1 = 19723 * kDay;
  constexpr TimestampNs kFeb1 = 19754 * kDay;
  constexpr TimestampNs kMar1 = 19783 * kDay;
  const std::vector<TradePoint> trades = {Trade(19753 * kDay + 12 * 3600 * kSecond, 10),
                                          Trade(kFeb1, 20), Trade(kMar1 + 5 * kDay, 40)};
  BarSeriesSpan span = MinuteSpan();
  span.interval = Interval::Months(1);
  const auto bars = Build(trades, {}, span);
  EXPECT_EQ(Starts(bars), (std::vector<TimestampNs>{kJan1, kFeb1, kMar1}));
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].close, 10.0);
  EXPECT_EQ(bars[1].close, 20.0);
  EXPECT_EQ(bars[2].close, 40.0);
  EXPECT_DOUBLE_EQ(*bars[1].log_return, std::log(2.0));
}

TEST(BarSeriesTest, BarsEndingAfterTheDataEndAreIncomplete) {
  const std::vector<TradePoint> trades = {Trade(10 * kSecond, 1), Trade(70 * kSecond, 2)};
  // Bars: [0, 60), [60, 120), [120, 180).
  BarSeriesSpan span = MinuteSpan(0, 3 * kMinute);
  span.data_end = 2 * kMinute;  // minute 1 ends exactly there: complete
  auto bars = Build(trades, {}, span);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_FALSE(bars[0].incomplete);
  EXPECT_FALSE(bars[1].incomplete);
  EXPECT_TRUE(bars[2].incomplete);

  span.data_end = 2 * kMinute - 1;  // minute 1 ends one nanosecond after it
  bars = Build(trades, {}, span);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_FALSE(bars[0].incomplete);
  EXPECT_TRUE(bars[1].incomplete);
  EXPECT_TRUE(bars[2].incomplete);

  span.data_end.reset();  // unknown end: nothing is flagged
  for (const SeriesBar& bar : Build(trades, {}, span)) EXPECT_FALSE(bar.incomplete);
}

TEST(BarSeriesTest, MoreBarsThanMaxBarsIsAUsageError) {
  BarSeriesSpan span = MinuteSpan(0, 10 * kMinute);  // 10 bars
  span.max_bars = 10;
  EXPECT_EQ(Build({}, {}, span).size(), 10u);
  span.max_bars = 9;
  const auto bars = BuildBarSeries({}, {}, span);
  ASSERT_FALSE(bars.ok());
  EXPECT_EQ(bars.error().kind, ErrorKind::kUsage);
}

// ---- DownsampleExtremes ----

// Bar i starts at minute i; a nullopt close makes an empty bar.
std::vector<SeriesBar> SeriesOf(const std::vector<std::optional<double>>& closes) {
  std::vector<SeriesBar> bars(closes.size());
  for (std::size_t i = 0; i < closes.size(); ++i) {
    bars[i].start = static_cast<TimestampNs>(i) * kMinute;
    bars[i].close = closes[i];
  }
  return bars;
}

std::size_t IndexOf(const SeriesBar& bar) { return static_cast<std::size_t>(bar.start / kMinute); }

std::vector<std::size_t> Indices(const std::vector<SeriesBar>& bars) {
  std::vector<std::size_t> indices;
  for (const SeriesBar& bar : bars) indices.push_back(IndexOf(bar));
  return indices;
}

// A random walk of `size` closes from a fixed seed, every 7th bar empty.
std::vector<std::optional<double>> RandomWalk(std::size_t size) {
  std::mt19937_64 generator(20240229);
  std::uniform_real_distribution<double> step(-1.0, 1.0);
  std::vector<std::optional<double>> closes(size);
  double price = 1000;
  for (std::size_t i = 0; i < size; ++i) {
    price += step(generator);
    if (i % 7 != 3) closes[i] = price;
  }
  return closes;
}

TEST(DownsampleExtremesTest, ShortSeriesComeBackUnchanged) {
  const std::vector<std::optional<double>> closes = {3, std::nullopt, 1, 4, 1};
  for (std::int64_t max_points : {5, 6, 1000}) {
    const auto kept = DownsampleExtremes(SeriesOf(closes), max_points);
    EXPECT_EQ(Indices(kept), (std::vector<std::size_t>{0, 1, 2, 3, 4})) << max_points;
  }
}

TEST(DownsampleExtremesTest, EachBucketKeepsItsLowestAndHighestCloseInTimeOrder) {
  // 12 bars, max_points 6 -> 3 buckets of 4 bars each:
  //   bars 0-3 no close at all   -> its first bar, 0
  //   bars 4-7 closes 5 1 9 3    -> low at 5, high at 6
  //   bars 8-11 closes 5 9 3 1   -> high at 9 comes before low at 11
  const std::optional<double> none;
  const auto kept =
      DownsampleExtremes(SeriesOf({none, none, none, none, 5, 1, 9, 3, 5, 9, 3, 1}), 6);
  EXPECT_EQ(Indices(kept), (std::vector<std::size_t>{0, 5, 6, 9, 11}));
  EXPECT_FALSE(kept[0].close.has_value());
}

TEST(DownsampleExtremesTest, ABucketWithOneCloseKeepsThatBarOnce) {
  // 4 bars, max_points 2 -> one bucket whose only close is bar 2.
  const std::optional<double> none;
  EXPECT_EQ(Indices(DownsampleExtremes(SeriesOf({none, none, 7, none}), 2)),
            (std::vector<std::size_t>{2}));
}

TEST(DownsampleExtremesTest, RandomWalkKeepsBoundAndExtremesAndOrder) {
  const auto closes = RandomWalk(5000);
  const auto original = SeriesOf(closes);
  std::optional<std::size_t> lowest;
  std::optional<std::size_t> highest;
  for (std::size_t i = 0; i < closes.size(); ++i) {
    if (!closes[i]) continue;
    if (!lowest || *closes[i] < *closes[*lowest]) lowest = i;
    if (!highest || *closes[i] > *closes[*highest]) highest = i;
  }
  ASSERT_TRUE(lowest && highest);
  for (std::int64_t max_points : {2, 3, 7, 100, 1201, 4999}) {
    SCOPED_TRACE(max_points);
    const auto kept = DownsampleExtremes(original, max_points);
    EXPECT_LE(static_cast<std::int64_t>(kept.size()), max_points);
    EXPECT_GE(kept.size(), 1u);
    const auto indices = Indices(kept);
    EXPECT_TRUE(std::is_sorted(indices.begin(), indices.end()));
    EXPECT_EQ(std::adjacent_find(indices.begin(), indices.end()), indices.end());
    EXPECT_NE(std::find(indices.begin(), indices.end(), *lowest), indices.end());
    EXPECT_NE(std::find(indices.begin(), indices.end(), *highest), indices.end());
    // Kept bars are original bars, not blends.
    for (const SeriesBar& bar : kept) EXPECT_EQ(bar.close, closes[IndexOf(bar)]);
  }
}

}  // namespace
}  // namespace cryptomood
