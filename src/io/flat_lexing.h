// The lexical pieces shared by the two fast scanners of the flat JSON subset (FlatJsonObject
// for any member order, FixedLayoutScanner for the producers' own layout): strings without
// escapes, scanned a machine word at a time, and JSON's number grammar with an exact
// conversion.
// Everything here is hand-written rather than simdjson's because simdjson's On Demand front
// end, as Debian builds it, runs its portable fallback kernel and walks the whole document;
// these helpers do only what the flat subset needs.
// Reading past a line's end: functions that say so read whole 8-byte words that may extend
// past `end`; callers guarantee SIMDJSON_PADDING readable bytes there (as every
// padded_string_view does), and no byte past `end` ever changes a result.
// Thread-safety: pure functions.
#pragma once

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <system_error>

#include "io/flat_json_object.h"

namespace cryptomood::flat_lexing {

inline constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The zero-byte test (x - 0x01..) & ~x & 0x80.. flags exactly the lowest matching byte;
// bytes above it may be flagged falsely, so only the lowest set bit is ever used.
inline std::uint64_t BytesEqualTo(std::uint64_t word, unsigned char byte) {
  const std::uint64_t diff = word ^ (kLowBits * byte);
  return (diff - kLowBits) & ~diff & kHighBits;
}

inline std::uint64_t BytesBelow(std::uint64_t word, unsigned char bound) {
  return (word - kLowBits * bound) & ~word & kHighBits;
}

// Bytes that end a plain run inside a string: quote, backslash, control, non-ASCII.
inline std::uint64_t SpecialStringBytes(std::uint64_t word) {
  return BytesEqualTo(word, '"') | BytesEqualTo(word, '\\') | BytesBelow(word, 0x20) |
         (word & kHighBits);
}

// Eight bytes as a little-endian word whatever the host's byte order: the first byte is the
// lowest, as scans that find a byte with countr_zero rely on.
inline std::uint64_t LoadWord(const char* position) {
  std::uint64_t word = 0;
  std::memcpy(&word, position, sizeof(word));
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

// A string at `position` (just after its opening quote) without escapes or control
// characters: sets `out` to its contents, advances `position` past the closing quote and
// returns true; false otherwise (or if the string does not close before `end`). Non-ASCII
// bytes are allowed and set `saw_non_ascii`: the caller validates the UTF-8 of the whole
// line once, instead of per string. Reads words past `end` (see top).
inline bool ScanPlainString(const char*& position, const char* end, std::string_view& out,
                            bool& saw_non_ascii) {
  const char* start = position;
  while (position < end) {
    const std::uint64_t special = SpecialStringBytes(LoadWord(position));
    if (special == 0) {
      position += sizeof(std::uint64_t);
      continue;
    }
    position += std::countr_zero(special) / 8;
    if (position >= end) return false;
    const auto byte = static_cast<unsigned char>(*position);
    if (byte == '"') {
      out = std::string_view(start, static_cast<std::size_t>(position - start));
      ++position;
      return true;
    }
    if (byte < 0x80) return false;  // an escape or a control character
    saw_non_ascii = true;
    ++position;
  }
  return false;
}

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// simdjson rejects some exponents with many digits that std::from_chars accepts (a zero
// mantissa times 10^huge); such numbers are left to simdjson so both paths agree.
inline constexpr std::ptrdiff_t kMaxFastExponentDigits = 4;

// Integers below this magnitude convert to double exactly, so no second parse is needed.
inline constexpr std::int64_t kExactDoubleIntegers = std::int64_t{1} << 53;

// A number in JSON's grammar at `position` whose value converts exactly (no overflow to
// infinity): fills `value` as a kNumber and advances `position` past it; false otherwise
// (position then undefined). Stops at the first byte that cannot continue the number.
inline bool ScanNumber(const char*& position, const char* end, FlatValue& value) {
  const char* start = position;
  auto digits = [&] {
    const char* first = position;
    while (position < end && IsDigit(*position)) ++position;
    return position != first;
  };
  auto take = [&](char c) {
    if (position >= end || *position != c) return false;
    ++position;
    return true;
  };
  const bool negative = take('-');
  if (take('0')) {
    // a single zero: "01" is not JSON, and the caller rejects the '1' that follows
  } else if (!digits()) {
    return false;
  }
  bool integer = true;
  if (take('.')) {
    integer = false;
    if (!digits()) return false;
  }
  if (position < end && (*position == 'e' || *position == 'E')) {
    ++position;
    integer = false;
    if (!take('+')) take('-');
    const char* exponent_start = position;
    if (!digits()) return false;
    if (position - exponent_start > kMaxFastExponentDigits) return false;
  }
  value.kind = FlatValue::Kind::kNumber;
  value.text = std::string_view(start, static_cast<std::size_t>(position - start));
  value.is_int64 = false;
  if (integer) {
    const auto [integer_end, integer_error] = std::from_chars(start, position, value.integer);
    value.is_int64 = integer_error == std::errc() && integer_end == position;
    if (value.is_int64 && value.integer < kExactDoubleIntegers &&
        value.integer > -kExactDoubleIntegers) {
      // "-0" is an integer 0 but the double -0.0.
      value.number = value.integer == 0 && negative ? -0.0 : static_cast<double>(value.integer);
      return true;
    }
  }
  const auto [double_end, double_error] = std::from_chars(start, position, value.number);
  return double_error == std::errc() && double_end == position;
}

}  // namespace cryptomood::flat_lexing
