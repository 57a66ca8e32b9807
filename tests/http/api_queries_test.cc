// The typed parsing of each data route's query string. Every failure must be a 400 that blames
// the parameter the page should highlight; values land where the engine expects them; the
// pagination cursor round-trips and rejects anything the server did not issue; and the cache
// keys are canonical (the same request spelled differently shares a key, a different request
// never does), since a wrong key would serve one request's reply to another.
#include "http/api_queries.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cryptomood::http {
namespace {

using Pairs = QueryParameters::Pairs;

constexpr TimestampNs kSecond = kNanosPerSecond;
constexpr TimestampNs kSeedSecond = 1'531'771'911;  // 2018-07-16T20:11:51Z

QueryParameters Params(Pairs pairs, const std::vector<std::string_view>& allowed) {
  auto checked = QueryParameters::Check(std::move(pairs), allowed);
  EXPECT_TRUE(checked.ok()) << (checked.ok() ? "" : checked.error().message);
  return checked.ok() ? *checked : *QueryParameters::Check({}, allowed);
}

template <typename T>
void ExpectBlames(const ApiResult<T>& result, std::string_view parameter) {
  ASSERT_FALSE(result.ok()) << "accepted; expected a complaint about " << parameter;
  EXPECT_EQ(result.error().status, 400);
  EXPECT_EQ(result.error().code, "bad_parameter");
  EXPECT_EQ(result.error().parameter, parameter) << result.error().message;
}

// The parsed value; a parse failure fails the test and ends it (gtest catches the throw).
template <typename T>
T MustParse(const ApiResult<T>& result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  if (!result.ok()) throw std::runtime_error("parse failed: " + result.error().message);
  return *result;
}

ApiResult<RecordPageRequest> Page(Pairs pairs) {
  return ParseRecordPageRequest(Params(std::move(pairs), kRecordPageParameters));
}
ApiResult<MergedRequest> Merged(Pairs pairs) {
  return ParseMergedRequest(Params(std::move(pairs), kMergedParameters));
}
ApiResult<CorrelationRequest> Correlation(Pairs pairs) {
  return ParseCorrelationRequest(Params(std::move(pairs), kCorrelationParameters));
}
ApiResult<SeriesRequest> Series(Pairs pairs) {
  return ParseSeriesRequest(Params(std::move(pairs), kSeriesParameters));
}

std::string CorrelationKey(Pairs pairs) {
  const auto request = Correlation(std::move(pairs));
  return request.ok() ? request->cache_key : "<error: " + request.error().message + ">";
}
std::string SeriesKey(Pairs pairs) {
  const auto request = Series(std::move(pairs));
  return request.ok() ? request->cache_key : "<error: " + request.error().message + ">";
}

// ---- ranges, coins, limits ----

TEST(ApiQueriesTest, RangeIsParsedAndFromMustPrecedeTo) {
  const auto page =
      MustParse(Page({{"from", "1970-01-01T00:00:10Z"}, {"to", "2018-07-16T20:11:51Z"}}));
  EXPECT_EQ(page.query.range.from, 10 * kSecond);
  EXPECT_EQ(page.query.range.to, kSeedSecond * kSecond);
  ExpectBlames(Page({{"from", "2018-07-16T20:11:51Z"}, {"to", "2018-07-16T20:11:51Z"}}), "to");
  ExpectBlames(Page({{"from", "2018-07-16T20:11:52Z"}, {"to", "2018-07-16T20:11:51Z"}}), "to");
  ExpectBlames(Correlation({{"from", "2018-07-16T20:11:52Z"}, {"to", "2018-07-16T20:11:51Z"}}),
               "to");
  ExpectBlames(Series({{"from", "2018-07-16T20:11:52Z"}, {"to", "2018-07-16T20:11:51Z"}}), "to");
  ExpectBlames(Page({{"from", "yesterday"}}), "from");
  ExpectBlames(Page({{"to", "2018-02-30T00:00:00Z"}}), "to");
}

TEST(ApiQueriesTest, CoinsAreMergedSortedAndDeduplicated) {
  const Pairs coins = {{"coin", "eth,btc"}, {"coin", "ada"}, {"coin", "btc,eth"}};
  const std::vector<std::string> expected = {"ada", "btc", "eth"};
  EXPECT_EQ(MustParse(Page(coins)).query.coins, expected);
  EXPECT_EQ(MustParse(Merged(coins)).trades.coins, expected);
  EXPECT_EQ(MustParse(Correlation(coins)).params.coins, expected);
  EXPECT_EQ(MustParse(Series(coins)).coins, expected);
}

TEST(ApiQueriesTest, LimitBounds) {
  EXPECT_EQ(MustParse(Page({})).query.limit, 1000);
  EXPECT_EQ(MustParse(Page({{"limit", "1"}})).query.limit, 1);
  EXPECT_EQ(MustParse(Page({{"limit", "100000"}})).query.limit, 100000);
  EXPECT_EQ(MustParse(Merged({{"limit", "7"}})).trades.limit, 7);
  for (const char* bad : {"0", "100001", "12x", "-1", "+5", " 5", "1e3", "99999999999999999999"}) {
    SCOPED_TRACE(bad);
    ExpectBlames(Page({{"limit", bad}}), "limit");
  }
  ExpectBlames(Merged({{"limit", "0"}}), "limit");
}

// ---- cursors ----

TEST(ApiQueriesTest, CursorEncodingIsV1AndTwoSixteenDigitHexWords) {
  EXPECT_EQ(EncodeCursor({1, 2}),
            "v1"
            "0000000000000001"
            "0000000000000002");
  // -1 as 64-bit two's complement is all ones.
  EXPECT_EQ(EncodeCursor({-1, 255}),
            "v1"
            "ffffffffffffffff"
            "00000000000000ff");
}

TEST(ApiQueriesTest, CursorRoundTrips) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const RowCursor cursors[] = {{0, 0},
                               {kSeedSecond * kSecond + 123456789, 42},
                               {-1, 0},
                               {-5 * kSecond, 7},
                               {kSeedSecond * kSecond, 9'000'000'000'000},
                               {kMin, kMax},
                               {kMax, kMin}};
  for (const RowCursor& cursor : cursors) {
    SCOPED_TRACE(cursor.timestamp);
    const std::string text = EncodeCursor(cursor);
    EXPECT_EQ(text.size(), 34u);
    EXPECT_EQ(DecodeCursor(text), cursor);
    const auto page = MustParse(Page({{"cursor", text}}));
    EXPECT_EQ(page.query.after, cursor);
  }
}

TEST(ApiQueriesTest, MalformedCursorsAreRejected) {
  const std::string zeros(32, '0');
  const std::string bad[] = {"",
                             "v1",
                             "v2" + zeros,
                             "V1" + zeros,
                             "1v" + zeros,
                             "v1" + zeros.substr(1),
                             "v1" + zeros + "0",
                             "v1g" + zeros.substr(1),
                             "v1" + zeros.substr(1) + "z",
                             "v1-" + zeros.substr(1),
                             "v1+" + zeros.substr(1),
                             "v1 " + zeros.substr(1),
                             "v10x" + zeros.substr(2),
                             "v1" + zeros.substr(0, 16) + "0x" + zeros.substr(0, 14)};
  for (const std::string& text : bad) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(DecodeCursor(text).has_value());
    if (!text.empty()) ExpectBlames(Page({{"cursor", text}}), "cursor");
  }
  ExpectBlames(Merged({{"cursor", "v2" + zeros}}), "cursor");
}

// ---- /merged ----

TEST(ApiQueriesTest, MergedDirectionAndTolerance) {
  const auto defaults = MustParse(Merged({}));
  EXPECT_EQ(defaults.direction, JoinDirection::kBackward);
  EXPECT_FALSE(defaults.tolerance_nanos.has_value());
  const auto set = MustParse(Merged({{"direction", "nearest"}, {"tolerance", "90s"}}));
  EXPECT_EQ(set.direction, JoinDirection::kNearest);
  EXPECT_EQ(set.tolerance_nanos, 90 * kSecond);
  ExpectBlames(Merged({{"direction", "sideways"}}), "direction");
  ExpectBlames(Merged({{"tolerance", "1mo"}}), "tolerance");
  ExpectBlames(Merged({{"tolerance", "-1s"}}), "tolerance");
}

// ---- /correlation ----

TEST(ApiQueriesTest, CorrelationCombinationsBlameTheParameterThatDoesNotFit) {
  ExpectBlames(Correlation({{"lags", "1:2"}}), "lags");  // default mode is tick
  ExpectBlames(Correlation({{"mode", "tick"}, {"lags", "-1:0"}}), "lags");
  ExpectBlames(Correlation({{"mode", "compat"}, {"lags", "3"}}), "lags");
  ExpectBlames(Correlation({{"mode", "bars"}, {"direction", "forward"}}), "direction");
  ExpectBlames(Correlation({{"mode", "bars"}, {"tolerance", "1s"}}), "tolerance");
  ExpectBlames(Correlation({{"mode", "compat"}, {"direction", "backward"}}), "direction");
  ExpectBlames(Correlation({{"mode", "compat"}, {"direction", "forward"}}), "direction");
  EXPECT_TRUE(Correlation({{"mode", "compat"}, {"direction", "nearest"}}).ok());
  EXPECT_TRUE(Correlation({{"mode", "tick"}, {"lags", "0:0"}}).ok());
  EXPECT_TRUE(Correlation({{"mode", "bars"}, {"lags", "-5:5"}}).ok());
}

TEST(ApiQueriesTest, CorrelationValueSyntaxErrorsBlameTheirParameter) {
  ExpectBlames(Correlation({{"mode", "ticks"}}), "mode");
  ExpectBlames(Correlation({{"mode", "bars"}, {"interval", "7x"}}), "interval");
  ExpectBlames(Correlation({{"mode", "bars"}, {"lags", "3:1"}}), "lags");
  ExpectBlames(Correlation({{"mode", "bars"}, {"lags", "a:b"}}), "lags");
  ExpectBlames(Correlation({{"window", "1y"}}), "window");
  ExpectBlames(Correlation({{"tolerance", "soon"}}), "tolerance");
  ExpectBlames(Correlation({{"format", "xml"}}), "format");
}

TEST(ApiQueriesTest, CorrelationValuesReachTheAnalysisParams) {
  const auto request = MustParse(Correlation({{"mode", "bars"},
                                              {"interval", "5m"},
                                              {"lags", "-2:3"},
                                              {"window", "1d"},
                                              {"format", "csv"}}));
  EXPECT_EQ(request.params.mode, AnalysisMode::kBars);
  EXPECT_EQ(request.params.interval, Interval::Fixed(300 * kSecond));
  EXPECT_EQ(request.params.lags.first, -2);
  EXPECT_EQ(request.params.lags.last, 3);
  EXPECT_EQ(request.params.window, Interval::Fixed(86400 * kSecond));
  EXPECT_EQ(request.format, ResponseFormat::kCsv);
  const auto tick = MustParse(Correlation({{"direction", "forward"}, {"tolerance", "2s"}}));
  EXPECT_EQ(tick.params.mode, AnalysisMode::kTick);
  EXPECT_EQ(tick.params.direction, JoinDirection::kForward);
  EXPECT_EQ(tick.params.tolerance_nanos, 2 * kSecond);
}

TEST(ApiQueriesTest, CompatRowOnlyWithoutModeAndCoin) {
  EXPECT_TRUE(MustParse(Correlation({})).with_compat);
  EXPECT_FALSE(MustParse(Correlation({{"coin", "btc"}})).with_compat);
  EXPECT_FALSE(MustParse(Correlation({{"mode", "tick"}})).with_compat);
  EXPECT_FALSE(MustParse(Correlation({{"mode", "compat"}})).with_compat);
}

TEST(ApiQueriesTest, CorrelationKeyIgnoresSpelling) {
  const std::string key = CorrelationKey({{"coin", "eth"},
                                          {"coin", "btc"},
                                          {"mode", "bars"},
                                          {"interval", "60m"},
                                          {"lags", "0:2"},
                                          {"from", "2018-07-16T20:11:51Z"}});
  EXPECT_EQ(key, CorrelationKey({{"from", "2018-07-16T22:11:51+02:00"},
                                 {"lags", "0:2"},
                                 {"interval", "1h"},
                                 {"mode", "bars"},
                                 {"coin", "btc,eth,btc"}}));
  // A single lag K is K:K; format json spelled out or left to the default.
  EXPECT_EQ(CorrelationKey({{"mode", "bars"}, {"lags", "2"}}),
            CorrelationKey({{"mode", "bars"}, {"lags", "2:2"}, {"format", "json"}}));
  EXPECT_EQ(CorrelationKey({{"window", "7d"}}), CorrelationKey({{"window", "1w"}}));
}

TEST(ApiQueriesTest, CorrelationKeyDiffersForDifferentRequests) {
  const Pairs base = {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}};
  const std::vector<Pairs> variants = {
      {{"coin", "eth"}, {"mode", "bars"}, {"lags", "0:2"}},
      {{"coin", "btc,eth"}, {"mode", "bars"}, {"lags", "0:2"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:3"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"format", "csv"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"format", "ndjson"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"window", "1d"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"interval", "5m"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"from", "2018-07-16T20:11:51Z"}},
      {{"coin", "btc"}, {"mode", "bars"}, {"lags", "0:2"}, {"to", "2018-07-16T20:11:51Z"}},
  };
  std::vector<std::string> keys = {CorrelationKey(base)};
  for (const Pairs& variant : variants) keys.push_back(CorrelationKey(variant));
  // The tick family: default (compat + tick), explicit tick, a direction, a tolerance.
  keys.push_back(CorrelationKey({}));
  keys.push_back(CorrelationKey({{"mode", "tick"}}));
  keys.push_back(CorrelationKey({{"mode", "compat"}}));
  keys.push_back(CorrelationKey({{"mode", "tick"}, {"direction", "forward"}}));
  keys.push_back(CorrelationKey({{"mode", "tick"}, {"tolerance", "1s"}}));
  keys.push_back(CorrelationKey({{"mode", "tick"}, {"window", "1d"}}));
  keys.push_back(CorrelationKey({{"mode", "tick"}, {"window", "2d"}}));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(keys[i].find("<error"), std::string::npos) << keys[i];
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(keys[i], keys[j]) << i << " vs " << j;
  }
}

// ---- /series ----

TEST(ApiQueriesTest, SeriesDefaultsAndMaxPointsBounds) {
  const auto defaults = MustParse(Series({}));
  EXPECT_EQ(defaults.interval, Interval::Fixed(60 * kSecond));
  EXPECT_FALSE(defaults.max_points.has_value());
  EXPECT_EQ(MustParse(Series({{"interval", "1mo"}})).interval, Interval::Months(1));
  EXPECT_EQ(MustParse(Series({{"max_points", "2"}})).max_points, 2);
  EXPECT_EQ(MustParse(Series({{"max_points", "100000"}})).max_points, 100000);
  for (const char* bad : {"0", "1", "100001", "-2", "2.5", "many"}) {
    SCOPED_TRACE(bad);
    ExpectBlames(Series({{"max_points", bad}}), "max_points");
  }
  ExpectBlames(Series({{"interval", "0m"}}), "interval");
}

TEST(ApiQueriesTest, SeriesKeyIgnoresSpellingButNotContent) {
  const Pairs base = {{"coin", "btc"}, {"coin", "eth"}, {"interval", "60m"}};
  EXPECT_EQ(SeriesKey(base), SeriesKey({{"interval", "1h"}, {"coin", "eth,btc,eth"}}));
  EXPECT_EQ(SeriesKey({}), SeriesKey({{"interval", "1m"}, {"format", "json"}}));
  const std::vector<Pairs> variants = {
      {{"coin", "btc"}, {"interval", "60m"}},
      {{"coin", "btc,eth"}, {"interval", "2h"}},
      {{"coin", "btc,eth"}, {"interval", "1h"}, {"max_points", "100"}},
      {{"coin", "btc,eth"}, {"interval", "1h"}, {"max_points", "101"}},
      {{"coin", "btc,eth"}, {"interval", "1h"}, {"format", "csv"}},
      {{"coin", "btc,eth"}, {"interval", "1h"}, {"from", "2018-07-16T20:11:51Z"}},
      {{"coin", "btc,eth"}, {"interval", "1h"}, {"to", "2018-07-16T20:11:51Z"}},
  };
  std::vector<std::string> keys = {SeriesKey(base)};
  for (const Pairs& variant : variants) keys.push_back(SeriesKey(variant));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(keys[i].find("<error"), std::string::npos) << keys[i];
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(keys[i], keys[j]) << i << " vs " << j;
  }
}

// ---- format ----

TEST(ApiQueriesTest, ResponseFormats) {
  const auto format = [](Pairs pairs) {
    return ParseResponseFormat(Params(std::move(pairs), kFormatOnlyParameters));
  };
  EXPECT_EQ(MustParse(format({})), ResponseFormat::kJson);
  EXPECT_EQ(MustParse(format({{"format", "json"}})), ResponseFormat::kJson);
  EXPECT_EQ(MustParse(format({{"format", "csv"}})), ResponseFormat::kCsv);
  EXPECT_EQ(MustParse(format({{"format", "ndjson"}})), ResponseFormat::kNdjson);
  for (const char* bad : {"xml", "JSON", "csv ", "jsonl"}) {
    SCOPED_TRACE(bad);
    ExpectBlames(format({{"format", bad}}), "format");
  }
  ExpectBlames(Page({{"format", "tsv"}}), "format");
  ExpectBlames(Series({{"format", "tsv"}}), "format");
}

}  // namespace
}  // namespace cryptomood::http
