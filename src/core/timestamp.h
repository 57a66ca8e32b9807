// Timestamps: int64 nanoseconds since the Unix epoch, UTC. Parsing RFC 3339 text into that
// form and formatting it back. Parsing is hand-written (not std::chrono::parse, which GCC 12
// lacks and which would be far slower) because it sits on the ingest hot path; calendar
// arithmetic uses <chrono>'s civil calendar types.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cryptomood {

using TimestampNs = std::int64_t;

constexpr TimestampNs kNanosPerMicro = 1'000;
constexpr TimestampNs kNanosPerMilli = 1'000'000;
constexpr TimestampNs kNanosPerSecond = 1'000'000'000;

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|z|+hh:mm|-hh:mm)" (a 't' or ' ' separator is not
// accepted: RFC 3339 section 5.6 with an upper-case T). Rejects impossible dates (Feb 29 in
// a non-leap year, day 31 in a 30-day month), hour > 23, minute > 59, second > 59 (no leap
// seconds), offsets beyond +-23:59. Returns the instant in UTC.
Result<TimestampNs> ParseTimestamp(std::string_view text);

// Formats as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (microseconds, truncated toward negative
// infinity so that formatting is monotone).
std::string FormatTimestampMicros(TimestampNs timestamp);

// The same text written to out, which must have room for kTimestampMicrosLength characters;
// returns the end. For writers that format many timestamps without allocating.
inline constexpr std::size_t kTimestampMicrosLength = 27;
char* WriteTimestampMicros(char* out, TimestampNs timestamp);

}  // namespace cryptomood
