#include "io/uuid.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cryptomood
