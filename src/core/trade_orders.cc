#include "core/trade_orders.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace cryptomood {

TradeOrders::TradeOrders(std::vector<std::vector<std::int64_t>> by_symbol) {
  std::int64_t lowest = std::numeric_limits<std::int64_t>::max();
  std::int64_t highest = std::numeric_limits<std::int64_t>::min();
  for (const auto& orders : by_symbol) {
    for (const std::int64_t order : orders) {
      lowest = std::min(lowest, order);
      highest = std::max(highest, order);
    }
  }
  // Compared as unsigned so that a span wider than int64 cannot overflow.
  const bool fits = lowest > highest ||
                    static_cast<std::uint64_t>(highest) - static_cast<std::uint64_t>(lowest) <=
                        std::numeric_limits<std::uint32_t>::max();
  if (!fits) {
    wide_ = std::move(by_symbol);
    return;
  }
  base_ = lowest > highest ? 0 : lowest;
  narrow_.reserve(by_symbol.size());
  for (auto& orders : by_symbol) {
    std::vector<std::uint32_t>& offsets = narrow_.emplace_back();
    offsets.reserve(orders.size());
    for (const std::int64_t order : orders) {
      offsets.push_back(static_cast<std::uint32_t>(static_cast<std::uint64_t>(order) -
                                                   static_cast<std::uint64_t>(base_)));
    }
    orders = {};  // the 64-bit copy goes as soon as it is converted
  }
}

}  // namespace cryptomood
