// InputCounts: what happened to the lines of one kind of input (trades or sentiment) in a
// run. Invariant once a load ends: lines = accepted + rejected + duplicates.
#pragma once

#include <cstdint>

namespace cryptomood {

struct InputCounts {
  std::int64_t lines = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t duplicates = 0;
};

}  // namespace cryptomood
