#include "io/json_line_fields.h"

#include <gtest/gtest.h>

#include <string>

namespace cryptomood {
namespace {

// SameText against std::string_view's own ==: every length up to a few words, a difference
// at every position (and none), and lengths that differ.
TEST(SameText, AgreesWithStringViewEquality) {
  int compared = 0;
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string left(length, 'a');
    for (std::size_t i = 0; i < length; ++i) left[i] = static_cast<char>('a' + i % 26);
    const std::string same = left;
    EXPECT_TRUE(json_line::SameText(left, same)) << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = left;
      changed[at] = static_cast<char>(changed[at] ^ 0x40);
      ASSERT_EQ(json_line::SameText(left, changed), std::string_view(left) == changed)
          << length << " " << at;
      ASSERT_FALSE(json_line::SameText(changed, left)) << length << " " << at;
      ++compared;
    }
    EXPECT_FALSE(json_line::SameText(left, left + "x")) << length;
    EXPECT_FALSE(json_line::SameText(left + "x", left)) << length;
  }
  EXPECT_EQ(compared, 40 * 41 / 2);
}

}  // namespace
}  // namespace cryptomood
