// Uuid: a 128-bit identifier read from its canonical text form 8-4-4-4-12 hex digits
// ("77ba9eed-c909-4903-8315-1bfb96c49b6e"). Either letter case is accepted; two texts that
// differ only in case are the same uuid. Used to validate trade uuids and to detect
// duplicate trades with 16 bytes a trade instead of a string.
// Thread-safety: value type, pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cryptomood {

struct Uuid {
  std::uint64_t high = 0;  // the first 16 hex digits
  std::uint64_t low = 0;   // the last 16
  friend bool operator==(const Uuid&, const Uuid&) = default;
  // High first, then low: the order of the 16 big-endian bytes the store keeps.
  friend bool operator<(const Uuid& a, const Uuid& b) {
    return a.high != b.high ? a.high < b.high : a.low < b.low;
  }
};

// Returns nullopt unless `text` is exactly 36 characters in the canonical layout.
std::optional<Uuid> ParseCanonicalUuid(std::string_view text);

}  // namespace cryptomood
