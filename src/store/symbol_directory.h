// SymbolDirectory: a store connection's in-memory copy of the small symbols table (symbol_key
// -> symbol_id, base, quote), so that trade rows carry a 4-byte key instead of strings and
// coin filters become key lists without a join. Readers refresh it when they meet a key it
// lacks (another process ingested a new symbol).
// Thread-safety: owned by one Store; one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store_records.h"

namespace cryptomood {

class SymbolDirectory {
 public:
  void Clear() { by_key_.clear(); }
  void Add(std::int64_t key, SymbolRecord symbol) { by_key_[key] = std::move(symbol); }
  const SymbolRecord* Find(std::int64_t key) const {
    const auto found = by_key_.find(key);
    return found == by_key_.end() ? nullptr : &found->second;
  }
  // Keys of the symbols whose base is one of `coins`, ascending.
  std::vector<std::int64_t> KeysOfCoins(const std::vector<std::string>& coins) const;
  // All symbols ordered by symbol_id.
  std::vector<SymbolRecord> List() const;

 private:
  std::unordered_map<std::int64_t, SymbolRecord> by_key_;
};

}  // namespace cryptomood
