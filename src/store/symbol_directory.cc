#include "store/symbol_directory.h"

#include <algorithm>

namespace cryptomood {

std::vector<std::int64_t> SymbolDirectory::KeysOfCoins(
    const std::vector<std::string>& coins) const {
  std::vector<std::int64_t> keys;
  for (const auto& [key, symbol] : by_key_) {
    if (std::find(coins.begin(), coins.end(), symbol.base) != coins.end()) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<SymbolRecord> SymbolDirectory::List() const {
  std::vector<SymbolRecord> symbols;
  symbols.reserve(by_key_.size());
  for (const auto& entry : by_key_) symbols.push_back(entry.second);
  std::sort(symbols.begin(), symbols.end(),
            [](const SymbolRecord& left, const SymbolRecord& right) {
              return left.symbol_id < right.symbol_id;
            });
  return symbols;
}

}  // namespace cryptomood
