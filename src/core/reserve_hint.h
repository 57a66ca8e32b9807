// ReserveHint: reserves room in a vector as a hint, for callers that know roughly how large a
// series will grow. Room reserved and never filled is never touched (address space, not
// memory), and where the address space cannot be had the vector simply grows as needed, so a
// failed reservation is not an error.
// Thread-safety: as the vector's own.
#pragma once

#include <cstddef>
#include <new>

namespace cryptomood {

template <typename Vector>
void ReserveHint(Vector& vector, std::size_t size) {
  if (size <= vector.capacity()) return;
  try {
    vector.reserve(size);
  } catch (const std::bad_alloc&) {  // NOLINT(bugprone-empty-catch): growing works too
  }
}

}  // namespace cryptomood
