#include "io/sentiment_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "core/identifier.h"
#include "parse_path_name.h"

namespace cryptomood {
namespace {

constexpr std::string_view kSeedLine =
    R"({"coins": ["LTC", "BTC", "ETH"], "sentiment_polarity": -0.29704864145010745, )"
    R"("text": "TEST", "timestamp": "2018-07-16T20:11:50.689683Z"})";

std::string Line(const std::string& coins, const std::string& polarity,
                 const std::string& timestamp) {
  return R"({"coins": )" + coins + R"(, "sentiment_polarity": )" + polarity + R"(, "timestamp": )" +
         timestamp + "}";
}

// Every case runs on all three paths: fixed layout first, flat subset first, simdjson alone.
class SentimentParserTest : public ::testing::TestWithParam<json_line::ParsePath> {
 protected:
  Status Parse(std::string_view line) { return parser_.ParseUnpadded(line, record_); }

  void ExpectReason(std::string_view line, std::string_view reason) {
    Status status = Parse(line);
    ASSERT_FALSE(status.ok()) << "accepted: " << line;
    EXPECT_EQ(status.error().message, reason) << line;
  }

  SentimentParser parser_{GetParam()};
  SentimentRecord record_;
};

TEST_P(SentimentParserTest, ParsesTheSeedShape) {
  ASSERT_TRUE(Parse(kSeedLine).ok());
  // 2018-07-16T20:11:50Z = 1531771911 - 1 s.
  EXPECT_EQ(record_.timestamp, 1'531'771'910'689'683'000);
  EXPECT_DOUBLE_EQ(record_.polarity, -0.29704864145010745);
  ASSERT_EQ(record_.coins.size(), 3u);
  EXPECT_EQ(record_.coins[0], "LTC");
  EXPECT_EQ(record_.coins[1], "BTC");
  EXPECT_EQ(record_.coins[2], "ETH");
  EXPECT_EQ(record_.text, "TEST");
}

TEST_P(SentimentParserTest, TextIsOptionalAndUnescaped) {
  ASSERT_TRUE(Parse(Line(R"(["BTC"])", "0", R"("2018-07-16T20:11:50Z")")).ok());
  EXPECT_TRUE(record_.text.empty());
  ASSERT_TRUE(Parse(R"({"coins": ["BTC"], "sentiment_polarity": 1, "text": "a\"b\n\u00e9", )"
                    R"("timestamp": "2018-07-16T20:11:50Z"})")
                  .ok());
  EXPECT_EQ(record_.text, "a\"b\n\xc3\xa9");
  ExpectReason(R"({"coins": ["BTC"], "sentiment_polarity": 1, "text": 5, )"
               R"("timestamp": "2018-07-16T20:11:50Z"})",
               "text is not a string");
}

TEST_P(SentimentParserTest, RequiredFields) {
  ExpectReason(R"({"sentiment_polarity": 0.5, "timestamp": "2018-07-16T20:11:50Z"})",
               "missing field 'coins'");
  ExpectReason(R"({"coins": ["BTC"], "timestamp": "2018-07-16T20:11:50Z"})",
               "missing field 'sentiment_polarity'");
  ExpectReason(R"({"coins": ["BTC"], "sentiment_polarity": 0.5})", "missing field 'timestamp'");
}

TEST_P(SentimentParserTest, PolarityBounds) {
  const std::string timestamp = R"("2018-07-16T20:11:50Z")";
  EXPECT_TRUE(Parse(Line(R"(["BTC"])", "-1", timestamp)).ok());
  EXPECT_EQ(record_.polarity, -1.0);
  EXPECT_TRUE(Parse(Line(R"(["BTC"])", "1.0", timestamp)).ok());
  EXPECT_EQ(record_.polarity, 1.0);
  for (const char* bad : {"1.0000001", "-1.5", "2", "1e999", R"("0.5")", "null"}) {
    ExpectReason(Line(R"(["BTC"])", bad, timestamp),
                 "sentiment_polarity is not a finite number in [-1, 1]");
  }
}

TEST_P(SentimentParserTest, Coins) {
  const std::string timestamp = R"("2018-07-16T20:11:50Z")";
  ExpectReason(Line("[]", "0", timestamp), "coins is empty");
  ExpectReason(Line(R"(["BTC", ""])", "0", timestamp), "coins holds an empty string");
  ExpectReason(Line(R"(["BTC", null])", "0", timestamp), "coins holds a non-string");
  ExpectReason(Line(R"("BTC")", "0", timestamp), "coins is not an array");
  ASSERT_TRUE(Parse(Line(R"(["BTC", "BTC"])", "0", timestamp)).ok());
  EXPECT_EQ(record_.coins.size(), 2u);  // as given; the set is taken later
}

TEST_P(SentimentParserTest, TimestampReasons) {
  ExpectReason(Line(R"(["BTC"])", "0", R"("2018-02-30T00:00:00Z")"),
               "timestamp '2018-02-30T00:00:00Z' is not RFC 3339: no such day in that month");
}

TEST_P(SentimentParserTest, DuplicatesAndShape) {
  ExpectReason(R"({"coins": ["BTC"], "coins": ["ETH"], "sentiment_polarity": 0, )"
               R"("timestamp": "2018-07-16T20:11:50Z"})",
               "duplicate field 'coins'");
  ExpectReason(std::string(kSeedLine) + "}", "unexpected content after the JSON object");
  ExpectReason("[]", "not a JSON object");
  ExpectReason("   ", "empty line");
  EXPECT_TRUE(Parse(R"({"coins": ["BTC"], "lang": "en", "sentiment_polarity": 0, )"
                    R"("timestamp": "2018-07-16T20:11:50Z", "retweets": 3})")
                  .ok());
}

TEST_P(SentimentParserTest, HostileBytes) {
  EXPECT_FALSE(Parse(std::string_view("{\"coins\": [\"B\0C\"]", 17)).ok());
  EXPECT_FALSE(Parse("{\"coins\": [\"\xc3\x28\"], \"sentiment_polarity\": 0, "
                     "\"timestamp\": \"2018-07-16T20:11:50Z\"}")
                   .ok());
  EXPECT_FALSE(Parse(std::string(100000, '{')).ok());
}

TEST_P(SentimentParserTest, CoinsAreTickersOfTheSeedShape) {
  // "BTC\u0000" would be a second coin that prints like BTC; ESC and BEL would reach a
  // terminal; both are rejected with a reason naming the field.
  const std::string rest = R"(, "sentiment_polarity": 0, "timestamp": "2018-07-16T20:11:50Z"})";
  const std::string shape = std::string(kTickerShape);
  ExpectReason(R"({"coins": ["BTC\u0000"])" + rest,
               "coins holds 'BTC?', not a ticker (" + shape + ")");
  ExpectReason(R"({"coins": ["ETH", "\u001b]0;x\u0007"])" + rest,
               "coins holds '?]0;x?', not a ticker (" + shape + ")");
  ExpectReason(R"({"coins": ["btc"])" + rest, "coins holds 'btc', not a ticker (" + shape + ")");
  EXPECT_TRUE(Parse(R"({"coins": ["1INCH", "BTC"])" + rest).ok());
}

INSTANTIATE_TEST_SUITE_P(AllPaths, SentimentParserTest,
                         ::testing::Values(json_line::ParsePath::kFastWhenPossible,
                                           json_line::ParsePath::kWithoutLayout,
                                           json_line::ParsePath::kSimdjsonOnly),
                         [](const auto& test_param) {
                           return testing_support::ParsePathName(test_param.param);
                         });

}  // namespace
}  // namespace cryptomood
