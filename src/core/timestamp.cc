#include "core/timestamp.h"

#include <array>
#include <chrono>
#include <limits>

namespace cryptomood {
namespace {

// The fixed-width prefix "YYYY-MM-DDTHH:MM:SS" and the positions of its separators.
constexpr std::size_t kDateTimeLength = 19;
constexpr int kMaxFractionDigits = 9;
constexpr std::int64_t kSecondsPerMinute = 60;
constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerDay = 86'400;

Error TimestampError(std::string_view text, std::string_view reason) {
  std::string message = "timestamp '";
  constexpr std::size_t kShownChars = 40;
  for (char c : text.substr(0, kShownChars)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      message += c;
    } else {
      message += '?';
    }
  }
  if (text.size() > kShownChars) message += "...";
  message += "' is not RFC 3339: ";
  message += reason;
  return Error{std::move(message)};
}

bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Reads `count` decimal digits at `text[position]`; false if any is not a digit. The caller
// guarantees the bytes exist.
bool ReadDigits(std::string_view text, std::size_t position, int count, int& value) {
  int result = 0;
  for (int i = 0; i < count; ++i) {
    const char c = text[position + static_cast<std::size_t>(i)];
    if (!IsDigit(c)) return false;
    result = result * 10 + (c - '0');
  }
  value = result;
  return true;
}

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Validates the "YYYY-MM-DDTHH:MM:SS" prefix; on failure returns the reason.
const char* ReadDateTime(std::string_view text, CivilTime& civil) {
  if (text.size() < kDateTimeLength) return "too short";
  if (!ReadDigits(text, 0, 4, civil.year)) return "year is not 4 digits";
  if (text[4] != '-') return "expected '-' after the year";
  if (!ReadDigits(text, 5, 2, civil.month)) return "month is not 2 digits";
  if (text[7] != '-') return "expected '-' after the month";
  if (!ReadDigits(text, 8, 2, civil.day)) return "day is not 2 digits";
  if (text[10] != 'T') return "expected 'T' between date and time";
  if (!ReadDigits(text, 11, 2, civil.hour)) return "hour is not 2 digits";
  if (text[13] != ':') return "expected ':' after the hour";
  if (!ReadDigits(text, 14, 2, civil.minute)) return "minute is not 2 digits";
  if (text[16] != ':') return "expected ':' after the minute";
  if (!ReadDigits(text, 17, 2, civil.second)) return "second is not 2 digits";
  if (civil.month < 1 || civil.month > 12) return "month out of range";
  if (civil.hour > 23) return "hour out of range";
  if (civil.minute > 59) return "minute out of range";
  if (civil.second > 59) return "second out of range";
  return nullptr;
}

// Reads the optional ".f{1,9}" at `position`, advancing it; the value is scaled to nanoseconds.
const char* ReadFraction(std::string_view text, std::size_t& position, std::int64_t& nanos) {
  nanos = 0;
  if (position >= text.size() || text[position] != '.') return nullptr;
  ++position;
  int digits = 0;
  while (position < text.size() && IsDigit(text[position])) {
    if (digits == kMaxFractionDigits) return "more than 9 fractional digits";
    nanos = nanos * 10 + (text[position] - '0');
    ++digits;
    ++position;
  }
  if (digits == 0) return "no digits after '.'";
  for (int i = digits; i < kMaxFractionDigits; ++i) nanos *= 10;
  return nullptr;
}

// Reads the zone designator at `position`: Z, z or +hh:mm / -hh:mm. The offset is what the
// local time is ahead of UTC, in seconds.
const char* ReadZone(std::string_view text, std::size_t position, std::int64_t& offset_seconds) {
  offset_seconds = 0;
  if (position >= text.size()) return "missing time zone (Z or +hh:mm)";
  const char sign = text[position];
  if (sign == 'Z' || sign == 'z') {
    return position + 1 == text.size() ? nullptr : "unexpected characters after the time zone";
  }
  if (sign != '+' && sign != '-') return "missing time zone (Z or +hh:mm)";
  constexpr std::size_t kOffsetLength = 6;  // "+hh:mm"
  if (text.size() - position < kOffsetLength) return "time zone offset is not +hh:mm";
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(text, position + 1, 2, hours) || text[position + 3] != ':' ||
      !ReadDigits(text, position + 4, 2, minutes)) {
    return "time zone offset is not +hh:mm";
  }
  if (hours > 23 || minutes > 59) return "time zone offset out of range";
  if (text.size() != position + kOffsetLength) return "unexpected characters after the time zone";
  offset_seconds = hours * kSecondsPerHour + minutes * kSecondsPerMinute;
  if (sign == '-') offset_seconds = -offset_seconds;
  return nullptr;
}

// Floor division for a positive divisor.
constexpr std::int64_t FloorDivide(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor < 0) ? quotient - 1 : quotient;
}

// "00" to "99": formatting writes two digits per step (API replies format millions of
// timestamps).
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (std::size_t i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

// Writes value as exactly `width` decimal digits (zero-padded; value must fit, width even);
// returns the end.
char* WriteDigits(char* out, std::int64_t value, int width) {
  for (int i = width - 2; i >= 0; i -= 2) {
    const auto pair = static_cast<std::size_t>(value % 100);
    out[i] = kDigitPairs[2 * pair];
    out[i + 1] = kDigitPairs[2 * pair + 1];
    value /= 100;
  }
  return out + width;
}

char* WriteChar(char* out, char c) {
  *out = c;
  return out + 1;
}

}  // namespace

Result<TimestampNs> ParseTimestamp(std::string_view text) {
  CivilTime civil;
  if (const char* reason = ReadDateTime(text, civil)) return TimestampError(text, reason);

  const std::chrono::year_month_day date{std::chrono::year{civil.year},
                                         std::chrono::month{static_cast<unsigned>(civil.month)},
                                         std::chrono::day{static_cast<unsigned>(civil.day)}};
  if (!date.ok()) return TimestampError(text, "no such day in that month");

  std::size_t position = kDateTimeLength;
  std::int64_t fraction_nanos = 0;
  if (const char* reason = ReadFraction(text, position, fraction_nanos)) {
    return TimestampError(text, reason);
  }
  std::int64_t offset_seconds = 0;
  if (const char* reason = ReadZone(text, position, offset_seconds)) {
    return TimestampError(text, reason);
  }

  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  std::int64_t seconds = days * kSecondsPerDay + civil.hour * kSecondsPerHour +
                         civil.minute * kSecondsPerMinute + civil.second - offset_seconds;
  // Years 0000-9999 keep `seconds` far from overflow; only the scaling to nanoseconds can
  // leave int64 (which spans 1677-09-21 to 2262-04-11). Before the epoch, borrowing a second
  // keeps the intermediate product in range for instants just above the int64 minimum.
  if (seconds < 0 && fraction_nanos > 0) {
    seconds += 1;
    fraction_nanos -= kNanosPerSecond;
  }
  TimestampNs nanos = 0;
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, &nanos) ||
      __builtin_add_overflow(nanos, fraction_nanos, &nanos)) {
    return TimestampError(text, "outside the representable years 1677-2262");
  }
  return nanos;
}

char* WriteTimestampMicros(char* out, TimestampNs timestamp) {
  const std::int64_t micros = FloorDivide(timestamp, kNanosPerMicro);
  constexpr std::int64_t kMicrosPerSecond = kNanosPerSecond / kNanosPerMicro;
  const std::int64_t seconds = FloorDivide(micros, kMicrosPerSecond);
  const std::int64_t micros_of_second = micros - seconds * kMicrosPerSecond;
  const std::int64_t days = FloorDivide(seconds, kSecondsPerDay);
  const std::int64_t second_of_day = seconds - days * kSecondsPerDay;

  const std::chrono::year_month_day date{
      std::chrono::sys_days{std::chrono::days{static_cast<int>(days)}}};
  static_assert(std::numeric_limits<TimestampNs>::max() / kNanosPerSecond / kSecondsPerDay <
                std::numeric_limits<int>::max());

  out = WriteDigits(out, static_cast<int>(date.year()), 4);
  out = WriteChar(out, '-');
  out = WriteDigits(out, static_cast<unsigned>(date.month()), 2);
  out = WriteChar(out, '-');
  out = WriteDigits(out, static_cast<unsigned>(date.day()), 2);
  out = WriteChar(out, 'T');
  out = WriteDigits(out, second_of_day / kSecondsPerHour, 2);
  out = WriteChar(out, ':');
  out = WriteDigits(out, second_of_day % kSecondsPerHour / kSecondsPerMinute, 2);
  out = WriteChar(out, ':');
  out = WriteDigits(out, second_of_day % kSecondsPerMinute, 2);
  out = WriteChar(out, '.');
  out = WriteDigits(out, micros_of_second, 6);
  return WriteChar(out, 'Z');
}

std::string FormatTimestampMicros(TimestampNs timestamp) {
  char text[kTimestampMicrosLength];
  return std::string(text, WriteTimestampMicros(text, timestamp));
}

}  // namespace cryptomood
