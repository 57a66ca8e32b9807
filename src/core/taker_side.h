// The taker sides a trade may carry, listed once: the trade parser accepts exactly these
// names, the store keeps them, the simulator draws from them. kTakerSideNames[i] is the name of
// the side whose value is i.
// Thread-safety: constants and a pure function.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cryptomood {

enum class TakerSide : std::uint8_t { kBuy, kSell, kBuyEstimated, kSellEstimated };

inline constexpr std::array<TakerSide, 4> kTakerSides = {
    TakerSide::kBuy, TakerSide::kSell, TakerSide::kBuyEstimated, TakerSide::kSellEstimated};

inline constexpr std::array<std::string_view, 4> kTakerSideNames = {"BUY", "SELL", "BUY_ESTIMATED",
                                                                    "SELL_ESTIMATED"};

// "BUY", "SELL", "BUY_ESTIMATED" or "SELL_ESTIMATED".
constexpr std::string_view TakerSideName(TakerSide side) {
  return kTakerSideNames[static_cast<std::size_t>(side)];
}

}  // namespace cryptomood
