#include "io/uuid.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>

#include "io/flat_lexing.h"

namespace cryptomood {
namespace {

constexpr std::size_t kCanonicalLength = 36;
constexpr std::array<std::size_t, 4> kHyphenPositions = {8, 13, 18, 23};

// Hand-written SIMD-within-a-register hex decoding: eight digits are checked and converted
// with a few word operations instead of eight table lookups and shifts, which mattered
// because every trade line carries a uuid. No library offers it for a fixed-width field.
using flat_lexing::kHighBits;
constexpr std::uint64_t kEachByte = flat_lexing::kLowBits;

// Four bytes as a little-endian word (see flat_lexing::LoadWord for eight).
std::uint64_t LoadFourBytes(const char* bytes) {
  std::uint32_t word = 0;
  std::memcpy(&word, bytes, sizeof(word));
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap32(word);
  return word;
}

// Bit 7 of each byte set where that byte lies in [low, high]; bytes must be below 0x80, so
// that no subtraction borrows from the byte above.
std::uint64_t BytesInRange(std::uint64_t word, unsigned char low, unsigned char high) {
  const std::uint64_t at_least_low = (word | kHighBits) - kEachByte * low;
  const std::uint64_t at_most_high = (kHighBits | kEachByte * high) - word;
  return at_least_low & at_most_high & kHighBits;
}

// The value of eight hex digits, the first (the lowest byte) most significant; false if a
// byte is not a hex digit.
bool HexDigitsValue(std::uint64_t digits, std::uint32_t& value) {
  if ((digits & kHighBits) != 0) return false;
  const std::uint64_t lower_case = digits | (kEachByte * 0x20);  // only letters need it
  const std::uint64_t valid = BytesInRange(digits, '0', '9') | BytesInRange(lower_case, 'a', 'f');
  if (valid != kHighBits) return false;
  // '0'-'9' end in their value; letters (bit 6 set) end in their value minus 9.
  const std::uint64_t nibbles = (digits & (kEachByte * 0x0f)) + 9 * ((digits >> 6) & kEachByte);
  // Pairs of nibbles into bytes, pairs of bytes into 16 bits, then the two halves.
  constexpr std::uint64_t kLowNibbleOfEachPair = 0x000F000F000F000FULL;
  const std::uint64_t bytes =
      ((nibbles & kLowNibbleOfEachPair) << 4) | ((nibbles >> 8) & kLowNibbleOfEachPair);
  constexpr std::uint64_t kLowByteOfEachQuad = 0x000000FF000000FFULL;
  const std::uint64_t halves =
      ((bytes & kLowByteOfEachQuad) << 8) | ((bytes >> 16) & kLowByteOfEachQuad);
  value = static_cast<std::uint32_t>(((halves & 0xFFFF) << 16) | ((halves >> 32) & 0xFFFF));
  return true;
}

}  // namespace

std::optional<Uuid> ParseCanonicalUuid(std::string_view text) {
  if (text.size() != kCanonicalLength) return std::nullopt;
  for (std::size_t position : kHyphenPositions) {
    if (text[position] != '-') return std::nullopt;
  }
  // The 32 digits as four groups of eight: 8, 4+4, 4+4, 8.
  const char* data = text.data();
  const std::array<std::uint64_t, 4> groups = {
      flat_lexing::LoadWord(data),
      LoadFourBytes(data + 9) | (LoadFourBytes(data + 14) << 32),
      LoadFourBytes(data + 19) | (LoadFourBytes(data + 24) << 32),
      flat_lexing::LoadWord(data + 28),
  };
  std::array<std::uint32_t, 4> values{};
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!HexDigitsValue(groups[i], values[i])) return std::nullopt;
  }
  return Uuid{(std::uint64_t{values[0]} << 32) | values[1],
              (std::uint64_t{values[2]} << 32) | values[3]};
}

}  // namespace cryptomood
