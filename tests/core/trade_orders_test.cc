// TradeOrders gives back every order it was built from, whether it can hold them as 32-bit
// offsets or must keep 64-bit values.
#include "core/trade_orders.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace cryptomood {
namespace {

void ExpectSameOrders(const std::vector<std::vector<std::int64_t>>& input,
                      const TradeOrders& orders) {
  ASSERT_EQ(orders.symbol_count(), input.size());
  for (SymbolIndex symbol = 0; symbol < input.size(); ++symbol) {
    ASSERT_EQ(orders.size(symbol), input[symbol].size());
    for (std::size_t i = 0; i < input[symbol].size(); ++i) {
      EXPECT_EQ(orders.at(symbol, i), input[symbol][i]) << symbol << " #" << i;
    }
  }
}

TEST(TradeOrdersTest, OrdersSpanningUnder2To32AreOffsets) {
  const std::int64_t base = 5'000'000'000;  // offsets from the smallest, not from zero
  const std::vector<std::vector<std::int64_t>> input = {
      {base + 7, base + 3, base + 4'294'967'295}, {}, {base, base + 1}};
  const TradeOrders orders(input);
  EXPECT_TRUE(orders.narrow());
  ExpectSameOrders(input, orders);
}

TEST(TradeOrdersTest, WiderSpansKeep64BitValues) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (const std::vector<std::vector<std::int64_t>>& input :
       {std::vector<std::vector<std::int64_t>>{{1, 4'294'967'297}},
        std::vector<std::vector<std::int64_t>>{{kMax}, {kMin, 0}}}) {
    const TradeOrders orders(input);
    EXPECT_FALSE(orders.narrow());
    ExpectSameOrders(input, orders);
  }
}

TEST(TradeOrdersTest, NegativeOrdersAndNoTrades) {
  const std::vector<std::vector<std::int64_t>> input = {{-3, -10, 2}, {}};
  const TradeOrders orders(input);
  EXPECT_TRUE(orders.narrow());
  ExpectSameOrders(input, orders);
  ExpectSameOrders({}, TradeOrders(std::vector<std::vector<std::int64_t>>{}));
}

}  // namespace
}  // namespace cryptomood
