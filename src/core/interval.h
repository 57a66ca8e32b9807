// Interval: a bar or window length. Either a fixed number of nanoseconds ("500ms", "30s",
// "1m", "1h", "1d", "1w") or a number of calendar months in UTC ("1mo", "3mo").
// Bars and windows are aligned to multiples of a fixed interval since the Unix epoch, or to
// month starts counted from January 1970 for months.
// Thread-safety: value type, pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/timestamp.h"

namespace cryptomood {

class Interval {
 public:
  static Interval Fixed(std::int64_t nanos) { return Interval(nanos, 0); }
  static Interval Months(std::int32_t months) { return Interval(0, months); }

  // Parses "<positive integer><unit>" with unit one of ms, s, m, h, d, w, mo.
  static Result<Interval> Parse(std::string_view text);

  bool is_calendar() const { return months_ != 0; }
  std::int64_t fixed_nanos() const { return nanos_; }
  std::int32_t months() const { return months_; }

  // Start of the bucket holding t.
  TimestampNs Floor(TimestampNs t) const;
  // Start of the bucket after the one starting at (or holding) t.
  TimestampNs Next(TimestampNs t) const;
  // Position of the bucket holding t on the bucket grid (0 = the bucket starting at the epoch);
  // consecutive buckets have consecutive indices, so "k bars later" is index + k.
  std::int64_t BucketIndex(TimestampNs t) const;
  TimestampNs BucketStart(std::int64_t index) const;
  // Canonical text, e.g. "1m", "500ms", "1mo"; Parse(ToString()) gives the same interval.
  std::string ToString() const;

  friend bool operator==(const Interval&, const Interval&) = default;

 private:
  Interval(std::int64_t nanos, std::int32_t months) : nanos_(nanos), months_(months) {}
  std::int64_t nanos_;
  std::int32_t months_;
};

// Parses a fixed duration (no months), e.g. for --tolerance. Returns nanoseconds.
Result<std::int64_t> ParseFixedDuration(std::string_view text);

// As ParseFixedDuration, and zero too ("0", or zero of a fixed unit: "0s", "0ms"), for
// settings where none is meaningful, e.g. --allowed-lateness.
Result<std::int64_t> ParseNonNegativeDuration(std::string_view text);

}  // namespace cryptomood
