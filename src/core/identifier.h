// The shape of the identifiers cryptomood accepts from its inputs: tickers (a tweet's coins,
// a symbol's base and quote asset, --coin) and symbol ids (EXCHANGE_TYPE_BASE_QUOTE, e.g.
// COINBASE_SPOT_BTC_USD). Both are printable ASCII by construction, so an accepted
// identifier can neither hide a second, look-alike identifier (trailing NUL, control or
// invisible characters) nor carry terminal control sequences into a table or a message.
//   ticker:    1 to 16 characters A-Z or 0-9.
//   symbol id: at most 64 characters; at least four parts joined by '_', every part 1 or more
//              characters A-Z or 0-9; the second to last part is the base asset and the last
//              the quote asset, both tickers.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cryptomood {

inline constexpr std::size_t kMaxTickerLength = 16;
inline constexpr std::size_t kMaxSymbolIdLength = 64;

// How a rejected identifier should have looked, for reasons: "1 to 16 characters A-Z, 0-9".
inline constexpr std::string_view kTickerShape = "1 to 16 characters A-Z, 0-9";
inline constexpr std::string_view kSymbolIdShape =
    "EXCHANGE_TYPE_BASE_QUOTE: parts of A-Z, 0-9 joined by '_', base and quote 1 to 16 "
    "characters, at most 64 in all";

bool IsTicker(std::string_view text);

struct SymbolParts {
  std::string_view base;
  std::string_view quote;
};

// The base and quote of a symbol id of the shape above (views into `symbol_id`); nullopt for
// any other text.
std::optional<SymbolParts> SplitSymbolId(std::string_view symbol_id);

}  // namespace cryptomood
