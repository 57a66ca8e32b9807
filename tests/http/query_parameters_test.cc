// QueryParameters: the checks every route shares before any typed parsing. An unknown or
// repeated single-valued parameter must be a 400 that names it (never silently ignored or
// "last one wins"), `coin` alone may repeat and carry comma lists, and an empty value is a
// 400 naming the parameter (a client leaves out what it does not set).
#include "http/query_parameters.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace cryptomood::http {
namespace {

const std::vector<std::string_view> kAllowed = {"coin", "from", "to", "format"};

QueryParameters MustCheck(QueryParameters::Pairs pairs) {
  auto checked = QueryParameters::Check(std::move(pairs), kAllowed);
  EXPECT_TRUE(checked.ok()) << (checked.ok() ? "" : checked.error().message);
  return checked.ok() ? *checked : *QueryParameters::Check({}, kAllowed);
}

void ExpectRejected(QueryParameters::Pairs pairs, std::string_view blamed) {
  const auto checked = QueryParameters::Check(std::move(pairs), kAllowed);
  ASSERT_FALSE(checked.ok()) << "accepted; expected a complaint about " << blamed;
  EXPECT_EQ(checked.error().status, 400);
  EXPECT_EQ(checked.error().code, "bad_parameter");
  EXPECT_EQ(checked.error().parameter, blamed);
  EXPECT_NE(checked.error().message.find(blamed), std::string::npos) << checked.error().message;
}

TEST(QueryParametersTest, UnknownParameterIsNamed) {
  ExpectRejected({{"coin", "btc"}, {"bogus", "1"}}, "bogus");
  // Names are case-sensitive: "Coin" is not "coin".
  ExpectRejected({{"Coin", "btc"}}, "Coin");
}

TEST(QueryParametersTest, UnknownParameterMessageListsWhatTheRouteTakes) {
  const auto checked = QueryParameters::Check({{"limit", "5"}}, kAllowed);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("coin, from, to, format"), std::string::npos)
      << checked.error().message;
}

TEST(QueryParametersTest, RepeatedSingleValuedParameterIsRejected) {
  ExpectRejected({{"from", "a"}, {"to", "b"}, {"from", "c"}}, "from");
  // Even when one of the two is empty: the request is still ambiguous.
  ExpectRejected({{"format", ""}, {"format", "csv"}}, "format");
}

TEST(QueryParametersTest, CoinRepeatsAndCommaListsAreSplit) {
  const QueryParameters parameters =
      MustCheck({{"coin", "eth,btc"}, {"from", "x"}, {"coin", "ada"}, {"coin", ",xrp,,"}});
  EXPECT_EQ(parameters.GetList("coin"), (std::vector<std::string>{"eth", "btc", "ada", "xrp"}));
  EXPECT_TRUE(MustCheck({{"coin", ","}}).GetList("coin").empty());
  EXPECT_TRUE(MustCheck({}).GetList("coin").empty());
}

TEST(QueryParametersTest, EmptyValueIsRejectedByName) {
  ExpectRejected({{"to", "2018"}, {"from", ""}}, "from");
  ExpectRejected({{"coin", "eth"}, {"coin", ""}}, "coin");
  ExpectRejected({{"format", ""}}, "format");
  const QueryParameters parameters = MustCheck({{"to", "2018"}});
  EXPECT_FALSE(parameters.Get("from").has_value());
  ASSERT_TRUE(parameters.Get("to").has_value());
  EXPECT_EQ(*parameters.Get("to"), "2018");
  EXPECT_FALSE(parameters.empty());
  EXPECT_TRUE(MustCheck({}).empty());
}

TEST(QueryParametersTest, NoAllowedParametersRejectsAnyAndSaysNone) {
  const auto checked = QueryParameters::Check({{"format", "csv"}}, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().parameter, "format");
  EXPECT_NE(checked.error().message.find("none"), std::string::npos) << checked.error().message;
  EXPECT_TRUE(QueryParameters::Check({}, {}).ok());
}

}  // namespace
}  // namespace cryptomood::http
