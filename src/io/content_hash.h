// ContentHasher: a 128-bit hash of a sequence of words and byte strings, used to recognise
// tweets with identical content (timestamp, coin set, polarity, text) in 16 bytes each.
// Two independent 64-bit lanes make an accidental collision among millions of records
// negligible (about n^2 / 2^129). Strings are length-prefixed, so ("ab", "c") and
// ("a", "bc") differ. Not cryptographic.
// Thread-safety: a value type; one hasher per thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "io/key128_set.h"

namespace cryptomood {

class ContentHasher {
 public:
  void AddWord(std::uint64_t word);
  void AddBytes(std::string_view bytes);
  Key128 Finish() const;

 private:
  std::uint64_t lane_a_ = 0x243F6A8885A308D3ULL;
  std::uint64_t lane_b_ = 0x13198A2E03707344ULL;
  std::uint64_t words_ = 0;
};

}  // namespace cryptomood
