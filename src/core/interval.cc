#include "core/interval.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr std::int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr std::int64_t kNanosPerHour = 60 * kNanosPerMinute;
constexpr std::int64_t kNanosPerDay = 24 * kNanosPerHour;
constexpr std::int64_t kNanosPerWeek = 7 * kNanosPerDay;

struct UnitScale {
  std::string_view suffix;
  std::int64_t nanos;  // 0 marks calendar months
};

// Longest suffix first so that "ms" and "mo" win over "m".
constexpr UnitScale kUnits[] = {
    {"ms", kNanosPerMilli}, {"mo", 0},           {"s", kNanosPerSecond}, {"m", kNanosPerMinute},
    {"h", kNanosPerHour},   {"d", kNanosPerDay}, {"w", kNanosPerWeek},
};

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

bool IsFixedUnit(std::string_view suffix) {
  return std::ranges::any_of(
      kUnits, [&](const UnitScale& unit) { return unit.nanos != 0 && unit.suffix == suffix; });
}

Error BadDuration(std::string_view text) {
  return Error{"'" + std::string(text) +
                   "' is not a duration: expected a positive integer and a unit "
                   "(ms, s, m, h, d, w, mo), e.g. 500ms, 30s, 1m, 1h, 1d, 1mo",
               ErrorKind::kUsage};
}

// Months since January 1970 of the UTC calendar month holding t.
std::int64_t MonthIndex(TimestampNs t) {
  using namespace std::chrono;
  const sys_days day{days{FloorDiv(t, kNanosPerDay)}};
  const year_month_day date{day};
  return (static_cast<std::int64_t>(static_cast<int>(date.year())) - 1970) * 12 +
         static_cast<std::int64_t>(static_cast<unsigned>(date.month())) - 1;
}

TimestampNs MonthStart(std::int64_t month_index) {
  using namespace std::chrono;
  const auto year_number = static_cast<int>(FloorDiv(month_index, 12) + 1970);
  const auto month_number = static_cast<unsigned>(month_index - FloorDiv(month_index, 12) * 12 + 1);
  const sys_days day{year{year_number} / month{month_number} / 1};
  return static_cast<TimestampNs>(day.time_since_epoch().count()) * kNanosPerDay;
}

}  // namespace

Result<Interval> Interval::Parse(std::string_view text) {
  for (const UnitScale& unit : kUnits) {
    if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
    const std::string_view digits = text.substr(0, text.size() - unit.suffix.size());
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (error != std::errc() || end != digits.data() + digits.size() || count <= 0) {
      return BadDuration(text);
    }
    if (unit.nanos == 0) {
      if (count > std::int64_t{12} * 1000) return BadDuration(text);
      return Interval::Months(static_cast<std::int32_t>(count));
    }
    if (count > std::numeric_limits<std::int64_t>::max() / unit.nanos) return BadDuration(text);
    return Interval::Fixed(count * unit.nanos);
  }
  return BadDuration(text);
}

TimestampNs Interval::Floor(TimestampNs t) const {
  if (!is_calendar()) return FloorDiv(t, nanos_) * nanos_;
  const std::int64_t index = MonthIndex(t);
  return MonthStart(FloorDiv(index, months_) * months_);
}

TimestampNs Interval::Next(TimestampNs t) const {
  if (!is_calendar()) return Floor(t) + nanos_;
  const std::int64_t index = MonthIndex(t);
  return MonthStart(FloorDiv(index, months_) * months_ + months_);
}

std::int64_t Interval::BucketIndex(TimestampNs t) const {
  if (!is_calendar()) return FloorDiv(t, nanos_);
  return FloorDiv(MonthIndex(t), months_);
}

TimestampNs Interval::BucketStart(std::int64_t index) const {
  if (!is_calendar()) return index * nanos_;
  return MonthStart(index * months_);
}

std::string Interval::ToString() const {
  if (is_calendar()) return std::to_string(months_) + "mo";
  // Largest unit that divides evenly, so 60s prints as 1m.
  constexpr UnitScale kByDescendingSize[] = {{"w", kNanosPerWeek},   {"d", kNanosPerDay},
                                             {"h", kNanosPerHour},   {"m", kNanosPerMinute},
                                             {"s", kNanosPerSecond}, {"ms", kNanosPerMilli}};
  for (const UnitScale& unit : kByDescendingSize) {
    if (nanos_ % unit.nanos == 0)
      return std::to_string(nanos_ / unit.nanos) + std::string(unit.suffix);
  }
  return std::to_string(nanos_) + "ns";
}

Result<std::int64_t> ParseFixedDuration(std::string_view text) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto interval, Interval::Parse(text));
  if (interval.is_calendar()) {
    return Error{"'" + std::string(text) + "' must be a fixed duration, not calendar months",
                 ErrorKind::kUsage};
  }
  return interval.fixed_nanos();
}

Result<std::int64_t> ParseNonNegativeDuration(std::string_view text) {
  const std::size_t unit_at = text.find_first_not_of('0');
  const std::string_view unit = unit_at == std::string_view::npos ? "" : text.substr(unit_at);
  if (!text.empty() && unit_at != 0 && (unit.empty() || IsFixedUnit(unit))) return std::int64_t{0};
  auto nanos = ParseFixedDuration(text);
  if (!nanos) return Error{nanos.error().message + "; or 0 for none", ErrorKind::kUsage};
  return nanos;
}

}  // namespace cryptomood
