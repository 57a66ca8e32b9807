// TradeOrders: each loaded trade's store order (the `order` of its RowCursor, which is its
// arrival in the store), by SymbolIndex and position, parallel to MarketData::trades(symbol):
// what a keyset cursor over the in-memory series needs, and the tie-break between symbols
// at equal timestamps.
// Orders are kept as 32-bit offsets from the smallest one when they all fit (any store of
// under four billion rows), so a trade costs 4 bytes rather than 8: the server keeps these
// for every stored trade, within a memory budget. 64-bit values otherwise.
// Read-only once built; safe to share across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/market_data.h"

namespace cryptomood {

class TradeOrders {
 public:
  TradeOrders() = default;
  // `by_symbol[symbol][position]`: the order of that trade.
  explicit TradeOrders(std::vector<std::vector<std::int64_t>> by_symbol);

  std::size_t symbol_count() const { return narrow_.empty() ? wide_.size() : narrow_.size(); }
  std::size_t size(SymbolIndex symbol) const {
    return narrow_.empty() ? wide_[symbol].size() : narrow_[symbol].size();
  }
  std::int64_t at(SymbolIndex symbol, std::size_t position) const {
    if (narrow_.empty()) return wide_[symbol][position];
    return base_ + static_cast<std::int64_t>(narrow_[symbol][position]);
  }
  // Whether the orders are held as 32-bit offsets.
  bool narrow() const { return wide_.empty(); }

 private:
  std::int64_t base_ = 0;
  std::vector<std::vector<std::uint32_t>> narrow_;
  std::vector<std::vector<std::int64_t>> wide_;
};

}  // namespace cryptomood
