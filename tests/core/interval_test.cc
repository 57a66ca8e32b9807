// Interval parsing, alignment and calendar months, against hand-computed epoch values.
#include "core/interval.h"

#include <gtest/gtest.h>

namespace cryptomood {
namespace {

constexpr TimestampNs kSecond = kNanosPerSecond;
constexpr TimestampNs kDay = 86400 * kSecond;

TEST(IntervalTest, ParsesEveryUnit) {
  EXPECT_EQ(Interval::Parse("500ms")->fixed_nanos(), 500 * kNanosPerMilli);
  EXPECT_EQ(Interval::Parse("30s")->fixed_nanos(), 30 * kSecond);
  EXPECT_EQ(Interval::Parse("1m")->fixed_nanos(), 60 * kSecond);
  EXPECT_EQ(Interval::Parse("2h")->fixed_nanos(), 7200 * kSecond);
  EXPECT_EQ(Interval::Parse("1d")->fixed_nanos(), kDay);
  EXPECT_EQ(Interval::Parse("1w")->fixed_nanos(), 7 * kDay);
  EXPECT_TRUE(Interval::Parse("1mo")->is_calendar());
  EXPECT_EQ(Interval::Parse("3mo")->months(), 3);
}

TEST(IntervalTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "m", "0m", "-1m", "1", "1y", "1.5h", " 1m", "1m ", "1M", "99999999999999999999s"}) {
    const auto parsed = Interval::Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
    }
  }
  EXPECT_FALSE(ParseFixedDuration("1mo").ok());
  EXPECT_EQ(*ParseFixedDuration("90s"), 90 * kSecond);
}

TEST(IntervalTest, NonNegativeDurationsAlsoTakeZeroOfAFixedUnit) {
  for (const char* zero : {"0", "00", "0s", "0ms", "00m", "0h", "0d", "0w"}) {
    const auto parsed = ParseNonNegativeDuration(zero);
    ASSERT_TRUE(parsed.ok()) << zero << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, 0) << zero;
  }
  EXPECT_EQ(*ParseNonNegativeDuration("30s"), 30 * kSecond);
  EXPECT_EQ(*ParseNonNegativeDuration("500ms"), kSecond / 2);
  for (const char* bad : {"", "0mo", "1mo", "-1s", "-0s", "0x", "0 s", "s", "0.5s"}) {
    const auto parsed = ParseNonNegativeDuration(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kUsage);
    EXPECT_TRUE(parsed.error().message.ends_with("; or 0 for none")) << parsed.error().message;
  }
}

TEST(IntervalTest, CanonicalTextRoundTrips) {
  EXPECT_EQ(Interval::Parse("60s")->ToString(), "1m");
  EXPECT_EQ(Interval::Parse("1500ms")->ToString(), "1500ms");
  EXPECT_EQ(Interval::Parse("2mo")->ToString(), "2mo");
  EXPECT_EQ(Interval::Parse("7d")->ToString(), "1w");
}

TEST(IntervalTest, FixedBucketsAlignToEpochIncludingBeforeIt) {
  const Interval minute = *Interval::Parse("1m");
  // 2018-07-16T20:11:51Z = 1531771911 s; its minute starts at 1531771860.
  EXPECT_EQ(minute.Floor(1531771911 * kSecond + 5), 1531771860 * kSecond);
  EXPECT_EQ(minute.Next(1531771911 * kSecond), 1531771920 * kSecond);
  EXPECT_EQ(minute.Floor(-1), -60 * kSecond);
  EXPECT_EQ(minute.BucketIndex(-1), -1);
  EXPECT_EQ(minute.BucketStart(minute.BucketIndex(1531771911 * kSecond)), 1531771860 * kSecond);
}

TEST(IntervalTest, CalendarMonthsFollowMonthLengths) {
  const Interval month = *Interval::Parse("1mo");
  // 2024-02-29T12:00:00Z = 19782 days + 12 h; February 2024 starts on day 19754 (2024-02-01),
  // March on day 19783. 1970-01-01 + 19754 days: 54 years incl. 13 leap days = 19723 days to
  // 2024-01-01, plus 31 days of January.
  const TimestampNs leap_day_noon = 19782 * kDay + 12 * 3600 * kSecond;
  EXPECT_EQ(month.Floor(leap_day_noon), 19754 * kDay);
  EXPECT_EQ(month.Next(leap_day_noon), 19783 * kDay);
  EXPECT_EQ(month.BucketIndex(leap_day_noon), (2024 - 1970) * 12 + 1);
  const Interval quarter = *Interval::Parse("3mo");
  EXPECT_EQ(quarter.Floor(leap_day_noon), 19723 * kDay);  // 2024-01-01
  // December 1969 is month index -1.
  EXPECT_EQ(month.Floor(-1), -31 * kDay);
}

}  // namespace
}  // namespace cryptomood
