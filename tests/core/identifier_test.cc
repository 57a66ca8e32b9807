#include "core/identifier.h"

#include <gtest/gtest.h>

#include <string>

namespace cryptomood {
namespace {

TEST(Identifier, TickersAreOneToSixteenUppercaseLettersOrDigits) {
  for (const char* ticker : {"BTC", "ETH", "1INCH", "X", "ABCDEFGHIJKLMNOP"}) {
    EXPECT_TRUE(IsTicker(ticker)) << ticker;
  }
  for (const std::string& ticker :
       {std::string(), std::string("btc"), std::string("BTC "), std::string("B-C"),
        std::string("BTC\0", 4), std::string("\x1b[31m"), std::string("ABCDEFGHIJKLMNOPQ"),
        std::string("\xc3\x89TH")}) {
    EXPECT_FALSE(IsTicker(ticker)) << ticker;
  }
}

TEST(Identifier, SymbolIdsSplitIntoBaseAndQuote) {
  auto parts = SplitSymbolId("COINBASE_SPOT_BTC_USD");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->base, "BTC");
  EXPECT_EQ(parts->quote, "USD");
  parts = SplitSymbolId("BINANCE_FTS_PERP_ETH_USDT");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->base, "ETH");
  EXPECT_EQ(parts->quote, "USDT");
  EXPECT_FALSE(SplitSymbolId("A_B_C").has_value());
  EXPECT_FALSE(SplitSymbolId("_A_B_C").has_value());
  EXPECT_FALSE(SplitSymbolId("A_B_C_D_").has_value());
  EXPECT_FALSE(SplitSymbolId("A__B_C_D").has_value());
}

TEST(Identifier, SymbolIdsArePrintableAsciiOfTheSeedShape) {
  EXPECT_FALSE(SplitSymbolId(std::string("COINBASE_SPOT_ETH_USD\0", 22)).has_value());
  EXPECT_FALSE(SplitSymbolId("\x1b[31mX\a_SPOT_ETH_USD").has_value());
  EXPECT_FALSE(SplitSymbolId("coinbase_spot_eth_usd").has_value());
  EXPECT_FALSE(SplitSymbolId("COINBASE_SPOT_ETH_USD ").has_value());
  EXPECT_FALSE(SplitSymbolId("COINBASE_SPOT_ABCDEFGHIJKLMNOPQ_USD").has_value()) << "base > 16";
  const std::string exchange(kMaxSymbolIdLength - 13, 'X');
  EXPECT_TRUE(SplitSymbolId(exchange + "_SPOT_ETH_USD").has_value()) << "64 characters";
  EXPECT_FALSE(SplitSymbolId(exchange + "X_SPOT_ETH_USD").has_value()) << "65 characters";
}

}  // namespace
}  // namespace cryptomood
