// MixBits: the splitmix64 finaliser, a bijection on 64-bit words in which every output bit
// depends on every input bit. The building block of the loader's hashes (Key128Set slot
// choice, ContentHasher). Not cryptographic: duplicate detection assumes benign input.
// Thread-safety: pure function.
#pragma once

#include <cstdint>

namespace cryptomood {

inline std::uint64_t MixBits(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace cryptomood
