// Interning of names (tickers, symbol ids): each distinct name gets one dense index, the
// position of what it names in the owner's vectors. StringIndexMap holds the names and is
// looked up by string_view, so a name met before costs no allocation; InternName is the one
// find-or-add every interning table (MarketDataBuilder, StreamEngine, the ingester's chunks)
// goes through.
// Thread-safety: none of its own; the owner of the map serialises access.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cryptomood {

// Hash for string keys that also accepts string_view lookups, so the per-record lookups on
// the load path allocate nothing.
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
using StringIndexMap =
    std::unordered_map<std::string, std::uint32_t, StringViewHash, std::equal_to<>>;

// The index of `name` in `index`. A name not met before is added by `add`, called once with no
// argument: it appends what the name stands for to the owner's vectors and returns its index,
// which `index` then records.
template <typename Add>
std::uint32_t InternName(StringIndexMap& index, std::string_view name, Add add) {
  if (const auto found = index.find(name); found != index.end()) return found->second;
  const std::uint32_t added = add();
  index.emplace(std::string(name), added);
  return added;
}

}  // namespace cryptomood
