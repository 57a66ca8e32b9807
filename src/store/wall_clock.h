// WallClockNow: the current UTC time in nanoseconds since the Unix epoch, for the started and
// finished times of ingest runs and the creation time of cached results.
// Thread-safety: pure function of the system clock.
#pragma once

#include <chrono>

#include "core/timestamp.h"

namespace cryptomood {

inline TimestampNs WallClockNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cryptomood
