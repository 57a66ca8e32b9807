#include "io/uuid.h"

#include <gtest/gtest.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <string>

namespace cryptomood {
namespace {

TEST(ParseCanonicalUuid, ReadsBothHalves) {
  auto uuid = ParseCanonicalUuid("77ba9eed-c909-4903-8315-1bfb96c49b6e");
  ASSERT_TRUE(uuid.has_value());
  EXPECT_EQ(uuid->high, 0x77ba9eedc9094903ULL);
  EXPECT_EQ(uuid->low, 0x83151bfb96c49b6eULL);
  EXPECT_EQ(ParseCanonicalUuid("77BA9EED-C909-4903-8315-1BFB96C49B6E"), uuid);
  EXPECT_EQ(ParseCanonicalUuid("00000000-0000-0000-0000-000000000000"), (Uuid{0, 0}));
  EXPECT_EQ(ParseCanonicalUuid("ffffffff-ffff-ffff-ffff-ffffffffffff"), (Uuid{~0ULL, ~0ULL}));
}

TEST(ParseCanonicalUuid, RejectsOtherLayouts) {
  for (const char* bad :
       {"", "77ba9eed-c909-4903-8315-1bfb96c49b6", "77ba9eed-c909-4903-8315-1bfb96c49b6ee",
        "77ba9eedc90949038315-1bfb96c49b6e00", "77ba9eed-c909-4903-8315-1bfb96c49b-e",
        "77ba9eed+c909-4903-8315-1bfb96c49b6e", "77ba9eed-c909-4903-8315-1bfb96c49b6g",
        " 7ba9eed-c909-4903-8315-1bfb96c49b6e",
        "77ba9eed-c909-4903-8315-1bfb96c4\xc3\xa9"
        "6e"}) {
    EXPECT_FALSE(ParseCanonicalUuid(bad).has_value()) << bad;
  }
}

// Every byte value at every position of a valid uuid, against a per-character reading done
// here with std::from_chars (a decoder outside the code under test).
TEST(ParseCanonicalUuid, EveryByteAtEveryPosition) {
  const std::string valid = "77ba9eed-c909-4903-8315-1bfb96c49b6e";
  int accepted = 0;
  for (std::size_t position = 0; position < valid.size(); ++position) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string text = valid;
      text[position] = static_cast<char>(byte);
      const bool is_hyphen_position =
          position == 8 || position == 13 || position == 18 || position == 23;
      std::string digits;
      bool layout_ok = true;
      for (std::size_t i = 0; i < text.size(); ++i) {
        const bool hyphen_here = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen_here) {
          layout_ok = layout_ok && text[i] == '-';
        } else {
          digits += text[i];
        }
      }
      std::optional<Uuid> expected;
      std::uint64_t high = 0;
      std::uint64_t low = 0;
      const auto read_half = [](const std::string& half, std::uint64_t& out) {
        // from_chars accepts no sign or prefix with base 16, but check every char anyway.
        for (char c : half) {
          if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
        }
        const auto [end, error] = std::from_chars(half.data(), half.data() + half.size(), out, 16);
        return error == std::errc() && end == half.data() + half.size();
      };
      if (layout_ok && read_half(digits.substr(0, 16), high) && read_half(digits.substr(16), low)) {
        expected = Uuid{high, low};
      }
      ASSERT_EQ(ParseCanonicalUuid(text), expected)
          << "position " << position << " byte " << byte << (is_hyphen_position ? " (-)" : "");
      if (expected) ++accepted;
    }
  }
  // Each digit position accepts 22 bytes (0-9, a-f, A-F), each hyphen position one.
  EXPECT_EQ(accepted, 32 * 22 + 4);
}

}  // namespace
}  // namespace cryptomood
