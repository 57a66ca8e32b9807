#include "io/uuid.h"

#include <array>

namespace cryptomood {
namespace {

constexpr std::size_t kCanonicalLength = 36;
constexpr std::array<std::size_t, 4> kHyphenPositions = {8, 13, 18, 23};
constexpr std::uint8_t kNotHex = 0xff;

constexpr std::array<std::uint8_t, 256> MakeHexTable() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kNotHex;
  for (int digit = 0; digit < 10; ++digit) table['0' + digit] = static_cast<std::uint8_t>(digit);
  for (int letter = 0; letter < 6; ++letter) {
    table['a' + letter] = static_cast<std::uint8_t>(10 + letter);
    table['A' + letter] = static_cast<std::uint8_t>(10 + letter);
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> kHexValue = MakeHexTable();

// Where the hex digits of each half sit in "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
constexpr std::array<std::uint8_t, 16> kHighDigitPositions = {0, 1,  2,  3,  4,  5,  6,  7,
                                                              9, 10, 11, 12, 14, 15, 16, 17};
constexpr std::array<std::uint8_t, 16> kLowDigitPositions = {19, 20, 21, 22, 24, 25, 26, 27,
                                                             28, 29, 30, 31, 32, 33, 34, 35};

}  // namespace

std::optional<Uuid> ParseCanonicalUuid(std::string_view text) {
  if (text.size() != kCanonicalLength) return std::nullopt;
  for (std::size_t position : kHyphenPositions) {
    if (text[position] != '-') return std::nullopt;
  }
  // Branch-free over the 32 digits: a non-hex byte sets high bits in `invalid`.
  std::uint8_t invalid = 0;
  auto read_half = [&](const std::array<std::uint8_t, 16>& positions) {
    std::uint64_t half = 0;
    for (std::uint8_t position : positions) {
      const std::uint8_t value = kHexValue[static_cast<unsigned char>(text[position])];
      invalid |= value;
      half = (half << 4) | (value & 0x0f);
    }
    return half;
  };
  const Uuid uuid{read_half(kHighDigitPositions), read_half(kLowDigitPositions)};
  if ((invalid & 0xf0) != 0) return std::nullopt;
  return uuid;
}

}  // namespace cryptomood
