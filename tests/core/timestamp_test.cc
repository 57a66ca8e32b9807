#include "core/timestamp.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace cryptomood {
namespace {

// Expected instants below are worked by hand from day counts (e.g. 1970-01-01 to 2018-07-16
// is 48 * 365 + 12 leap days + 196 days = 17728 days) or are well-known epoch values; none
// comes from the code under test.
constexpr std::int64_t kSeedSecond = 1'531'771'911;  // 2018-07-16T20:11:51Z

TimestampNs MustParse(std::string_view text) {
  auto parsed = ParseTimestamp(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? *parsed : std::numeric_limits<TimestampNs>::min();
}

void ExpectRejected(std::string_view text) {
  auto parsed = ParseTimestamp(text);
  EXPECT_FALSE(parsed.ok()) << "accepted: '" << text << "'";
  if (!parsed.ok()) {
    EXPECT_NE(parsed.error().message.find("not RFC 3339"), std::string::npos);
  }
}

TEST(ParseTimestamp, SeedInstantWithoutFraction) {
  EXPECT_EQ(MustParse("2018-07-16T20:11:51Z"), kSeedSecond * kNanosPerSecond);
}

TEST(ParseTimestamp, UnixEpochIsZero) {
  EXPECT_EQ(MustParse("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(MustParse("1970-01-01T00:00:00.000000000Z"), 0);
}

TEST(ParseTimestamp, FractionalDigitsFromOneToNine) {
  const TimestampNs base = kSeedSecond * kNanosPerSecond;
  EXPECT_EQ(MustParse("2018-07-16T20:11:51.7Z"), base + 700'000'000);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51.747745Z"), base + 747'745'000);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51.123456789Z"), base + 123'456'789);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51.000000001Z"), base + 1);
}

TEST(ParseTimestamp, OffsetsAreSubtractedToGetUtc) {
  const TimestampNs utc = kSeedSecond * kNanosPerSecond;
  EXPECT_EQ(MustParse("2018-07-17T01:41:51+05:30"), utc);
  EXPECT_EQ(MustParse("2018-07-16T12:11:51-08:00"), utc);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51+00:00"), utc);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51-00:00"), utc);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51.5+05:30"),
            (kSeedSecond - 19'800) * kNanosPerSecond + 500'000'000);
  EXPECT_EQ(MustParse("2018-07-16T20:11:51+23:59"), (kSeedSecond - 86'340) * kNanosPerSecond);
}

TEST(ParseTimestamp, LowerCaseZIsAccepted) {
  EXPECT_EQ(MustParse("2018-07-16T20:11:51z"), kSeedSecond * kNanosPerSecond);
}

TEST(ParseTimestamp, LeapYears) {
  // 2000 is a leap year (divisible by 400): 2000-02-29 exists; 2000-03-01 is day 11017.
  EXPECT_EQ(MustParse("2000-02-29T00:00:00Z"), 11'016LL * 86'400 * kNanosPerSecond);
  EXPECT_EQ(MustParse("2000-03-01T00:00:00Z"), 951'868'800LL * kNanosPerSecond);
  // 1900 is not (divisible by 100, not 400). 1900-03-01 is day -25508.
  ExpectRejected("1900-02-29T00:00:00Z");
  EXPECT_EQ(MustParse("1900-03-01T00:00:00Z"), -2'203'891'200LL * kNanosPerSecond);
  // 2024 is (divisible by 4): 2024-02-29 is day 19782.
  EXPECT_EQ(MustParse("2024-02-29T12:00:00Z"), 1'709'208'000LL * kNanosPerSecond);
  ExpectRejected("2023-02-29T00:00:00Z");
}

TEST(ParseTimestamp, MonthEnds) {
  EXPECT_EQ(MustParse("2018-12-31T23:59:59.999999999Z"),
            1'546'300'800LL * kNanosPerSecond - 1);  // 2019-01-01 is day 17897
  EXPECT_EQ(MustParse("2018-04-30T00:00:00Z") + 86'400 * kNanosPerSecond,
            MustParse("2018-05-01T00:00:00Z"));
  EXPECT_EQ(MustParse("2018-01-31T00:00:00Z") + 86'400 * kNanosPerSecond,
            MustParse("2018-02-01T00:00:00Z"));
  ExpectRejected("2018-04-31T00:00:00Z");
  ExpectRejected("2018-06-31T00:00:00Z");
  ExpectRejected("2018-02-30T00:00:00Z");
  ExpectRejected("2018-01-32T00:00:00Z");
  ExpectRejected("2018-01-00T00:00:00Z");
  ExpectRejected("2018-00-10T00:00:00Z");
  ExpectRejected("2018-13-10T00:00:00Z");
}

TEST(ParseTimestamp, RejectsOutOfRangeClockFields) {
  ExpectRejected("2018-07-16T24:00:00Z");
  ExpectRejected("2018-07-16T23:60:00Z");
  ExpectRejected("2018-07-16T23:59:60Z");  // no leap seconds
  ExpectRejected("2018-07-16T20:11:51+24:00");
  ExpectRejected("2018-07-16T20:11:51+05:60");
}

TEST(ParseTimestamp, RejectsMalformedText) {
  ExpectRejected("");
  ExpectRejected("2018-07-16");
  ExpectRejected("2018-07-16T20:11:51");  // missing zone
  ExpectRejected("2018-07-16T20:11Z");
  ExpectRejected("2018-07-16T20:11:5Z");
  ExpectRejected("2018-07-16t20:11:51Z");  // lower-case separator
  ExpectRejected("2018-07-16 20:11:51Z");
  ExpectRejected("2018-7-16T20:11:51Z");
  ExpectRejected("18-07-16T20:11:51Z");
  ExpectRejected("2018/07/16T20:11:51Z");
  ExpectRejected("abcd-07-16T20:11:51Z");
  ExpectRejected("2018-07-16T20:11:51.Z");
  ExpectRejected("2018-07-16T20:11:51.1234567891Z");  // ten fractional digits
  ExpectRejected("2018-07-16T20:11:51,5Z");
  ExpectRejected("2018-07-16T20:11:51ZZ");
  ExpectRejected("2018-07-16T20:11:51Z ");
  ExpectRejected(" 2018-07-16T20:11:51Z");
  ExpectRejected("2018-07-16T20:11:51+0530");
  ExpectRejected("2018-07-16T20:11:51+05");
  ExpectRejected("2018-07-16T20:11:51+05:30:00");
  ExpectRejected("2018-07-16T20:11:51UTC");
  ExpectRejected("+2018-07-16T20:11:51Z");
  ExpectRejected(std::string_view("2018-07-16T20:11:51\0Z", 21));
}

TEST(ParseTimestamp, Int64Bounds) {
  EXPECT_EQ(MustParse("2262-04-11T23:47:16.854775807Z"), std::numeric_limits<TimestampNs>::max());
  EXPECT_EQ(MustParse("1677-09-21T00:12:43.145224192Z"), std::numeric_limits<TimestampNs>::min());
  ExpectRejected("2262-04-11T23:47:16.854775808Z");
  ExpectRejected("1677-09-21T00:12:43.145224191Z");
  ExpectRejected("9999-12-31T23:59:59Z");
  ExpectRejected("0000-01-01T00:00:00Z");
}

TEST(ParseTimestamp, ErrorMessageNamesTheReason) {
  auto parsed = ParseTimestamp("2018-07-16T24:00:00Z");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message,
            "timestamp '2018-07-16T24:00:00Z' is not RFC 3339: hour out of range");
}

TEST(FormatTimestampMicros, SeedExample) {
  EXPECT_EQ(FormatTimestampMicros(kSeedSecond * kNanosPerSecond + 747'745'000),
            "2018-07-16T20:11:51.747745Z");
}

TEST(FormatTimestampMicros, TruncatesNanosecondsTowardNegativeInfinity) {
  EXPECT_EQ(FormatTimestampMicros(kSeedSecond * kNanosPerSecond + 747'745'999),
            "2018-07-16T20:11:51.747745Z");
  EXPECT_EQ(FormatTimestampMicros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(-1000), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(-1001), "1969-12-31T23:59:59.999998Z");
}

TEST(FormatTimestampMicros, CalendarEdges) {
  EXPECT_EQ(FormatTimestampMicros(951'868'800LL * kNanosPerSecond - 1),
            "2000-02-29T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestampMicros(-2'203'891'200LL * kNanosPerSecond),
            "1900-03-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampMicros(std::numeric_limits<TimestampNs>::max()),
            "2262-04-11T23:47:16.854775Z");
  EXPECT_EQ(FormatTimestampMicros(std::numeric_limits<TimestampNs>::min()),
            "1677-09-21T00:12:43.145224Z");
}

TEST(TimestampRoundTrip, FormatThenParseGivesTheMicrosecondFloor) {
  // A spread of instants across centuries, both signs, with sub-microsecond parts.
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 10'000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const auto instant = static_cast<TimestampNs>(state);
    const TimestampNs floored = instant - ((instant % 1000) + 1000) % 1000;
    const std::string text = FormatTimestampMicros(instant);
    auto parsed = ParseTimestamp(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_EQ(*parsed, floored) << text;
  }
}

}  // namespace
}  // namespace cryptomood
