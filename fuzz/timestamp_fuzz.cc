// Fuzzes ParseTimestamp: no crash or UB on any bytes, and every accepted text formats back
// (to microseconds) into a text that parses to the same instant floored to microseconds.
#include <cstdlib>
#include <limits>
#include <string_view>

#include "core/timestamp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = cryptomood::ParseTimestamp(text);
  if (!parsed.ok()) return 0;
  const cryptomood::TimestampNs instant = *parsed;
  const cryptomood::TimestampNs below_micro = ((instant % 1000) + 1000) % 1000;
  // The floor of the lowest instants leaves int64; nothing to compare there.
  if (instant < std::numeric_limits<cryptomood::TimestampNs>::min() + 1000) return 0;
  auto again = cryptomood::ParseTimestamp(cryptomood::FormatTimestampMicros(instant));
  if (!again.ok() || *again != instant - below_micro) std::abort();
  return 0;
}
