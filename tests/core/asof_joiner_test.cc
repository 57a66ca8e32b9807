// AsofJoiner against hand-worked pandas merge_asof semantics.
#include "core/asof_joiner.h"

#include <gtest/gtest.h>

#include <vector>

namespace cryptomood {
namespace {

struct Event {
  bool is_trade;
  TimestampNs t;
  double value;  // price or polarity
};

std::vector<JoinedPair> Join(JoinDirection direction, const std::vector<Event>& events,
                             std::optional<std::int64_t> tolerance = std::nullopt) {
  AsofJoiner joiner(direction, tolerance);
  std::vector<JoinedPair> pairs;
  auto collect = [&](const JoinedPair& pair) { pairs.push_back(pair); };
  for (const Event& event : events) {
    if (event.is_trade) {
      joiner.OnTrade(TradePoint{event.t, event.value, 1.0}, collect);
    } else {
      joiner.OnSentiment(SentimentPoint{event.t, event.value}, collect);
    }
  }
  joiner.Finish(collect);
  return pairs;
}

Event S(TimestampNs t, double polarity) { return {false, t, polarity}; }
Event T(TimestampNs t, double price) { return {true, t, price}; }

// Sentiment at 10 (0.1), 10 (0.2), 20 (0.3); trades at 5, 10, 15, 20, 25.
const std::vector<Event> kEvents = {T(5, 1),  S(10, 0.1), S(10, 0.2), T(10, 2),
                                    T(15, 3), S(20, 0.3), T(20, 4),   T(25, 5)};

TEST(AsofJoinerTest, BackwardTakesLastRecordAtOrBefore) {
  const auto pairs = Join(JoinDirection::kBackward, kEvents);
  // Trade 5 has nothing before it; 10 takes the last of the two records at 10.
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[0].trade_time, 10);
  EXPECT_DOUBLE_EQ(pairs[0].polarity, 0.2);
  EXPECT_DOUBLE_EQ(pairs[1].polarity, 0.2);  // 15 -> record at 10
  EXPECT_DOUBLE_EQ(pairs[2].polarity, 0.3);  // 20 -> record at 20
  EXPECT_DOUBLE_EQ(pairs[3].polarity, 0.3);  // 25 -> record at 20
}

TEST(AsofJoinerTest, ForwardTakesFirstRecordAtOrAfter) {
  const auto pairs = Join(JoinDirection::kForward, kEvents);
  // 5 -> first at 10 (0.1); 10 -> first at 10 (0.1); 15 -> 20; 20 -> 20; 25 -> none.
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[0].trade_time, 5);
  EXPECT_DOUBLE_EQ(pairs[0].polarity, 0.1);
  EXPECT_EQ(pairs[1].trade_time, 10);
  EXPECT_DOUBLE_EQ(pairs[1].polarity, 0.1);
  EXPECT_EQ(pairs[2].sentiment_time, 20);
  EXPECT_EQ(pairs[3].trade_time, 20);
  EXPECT_DOUBLE_EQ(pairs[3].polarity, 0.3);
}

TEST(AsofJoinerTest, NearestPrefersBackwardOnTies) {
  const auto pairs = Join(JoinDirection::kNearest, kEvents);
  ASSERT_EQ(pairs.size(), 5u);
  EXPECT_DOUBLE_EQ(pairs[0].polarity, 0.1);  // 5: only forward (10, first) exists
  EXPECT_DOUBLE_EQ(pairs[1].polarity, 0.2);  // 10: exact, backward = last at 10
  EXPECT_DOUBLE_EQ(pairs[2].polarity, 0.2);  // 15: 5 back vs 5 forward -> backward
  EXPECT_DOUBLE_EQ(pairs[3].polarity, 0.3);  // 20: exact
  EXPECT_DOUBLE_EQ(pairs[4].polarity, 0.3);  // 25: only backward
}

TEST(AsofJoinerTest, NearestPicksStrictlyCloserForward) {
  const auto pairs = Join(JoinDirection::kNearest, {S(0, -0.5), T(7, 1), S(10, 0.5)});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(pairs[0].polarity, 0.5);
}

TEST(AsofJoinerTest, ToleranceDropsDistantPairs) {
  const auto backward = Join(JoinDirection::kBackward, kEvents, 4);
  // 10 -> 0 apart, 15 -> 5 apart (dropped), 20 -> 0, 25 -> 5 (dropped).
  ASSERT_EQ(backward.size(), 2u);
  EXPECT_EQ(backward[0].trade_time, 10);
  EXPECT_EQ(backward[1].trade_time, 20);
  const auto forward = Join(JoinDirection::kForward, kEvents, 5);
  ASSERT_EQ(forward.size(), 4u);  // 5 apart is still inside a tolerance of 5
}

TEST(AsofJoinerTest, EmptySidesGiveNoPairs) {
  for (auto direction :
       {JoinDirection::kBackward, JoinDirection::kForward, JoinDirection::kNearest}) {
    EXPECT_TRUE(Join(direction, {T(1, 1), T(2, 2)}).empty());
    EXPECT_TRUE(Join(direction, {S(1, 0.1), S(2, 0.2)}).empty());
    EXPECT_TRUE(Join(direction, {}).empty());
  }
}

TEST(AsofJoinerTest, WatermarkResolvesNearestWhenForwardCannotWin) {
  AsofJoiner joiner(JoinDirection::kNearest, std::nullopt);
  std::vector<JoinedPair> pairs;
  auto collect = [&](const JoinedPair& pair) { pairs.push_back(pair); };
  joiner.OnSentiment(SentimentPoint{100, 0.4}, collect);
  joiner.OnTrade(TradePoint{103, 1.0, 1.0}, collect);
  EXPECT_TRUE(pairs.empty());
  EXPECT_EQ(joiner.earliest_pending(), 103);
  joiner.AdvanceWatermark(105, collect);  // a record at 105 would be 2 away: could still win
  EXPECT_TRUE(pairs.empty());
  joiner.AdvanceWatermark(106, collect);  // 3 away ties with backward: backward wins
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].sentiment_time, 100);
  EXPECT_FALSE(joiner.earliest_pending().has_value());
}

}  // namespace
}  // namespace cryptomood
