#include "io/key128_set.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "io/content_hash.h"

namespace cryptomood {
namespace {

TEST(Key128Set, AgreesWithStdSet) {
  Key128Set set;
  std::set<std::pair<std::uint64_t, std::uint64_t>> reference;
  std::uint64_t state = 12345;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    // Small key space so that repeats happen often; includes the all-zero key.
    const Key128 key{(state >> 60) & 3, (state >> 40) & 0x3fff};
    const bool inserted = set.Insert(key);
    const bool reference_inserted = reference.insert({key.high, key.low}).second;
    ASSERT_EQ(inserted, reference_inserted) << i;
  }
  EXPECT_EQ(set.size(), reference.size());
  for (std::uint64_t high = 0; high < 4; ++high) {
    for (std::uint64_t low = 0; low < 0x4000; low += 97) {
      EXPECT_EQ(set.Contains({high, low}), reference.count({high, low}) == 1);
    }
  }
}

TEST(Key128Set, GrowsFromAReservationForNoKeys) {
  // The loaders reserve from a file's size; a small archive can hold far more keys.
  for (std::size_t reserved : {0, 1, 2}) {
    Key128Set set;
    set.Reserve(reserved);
    for (std::uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE(set.Insert({i, i * 7}));
    EXPECT_EQ(set.size(), 5000u);
  }
}

TEST(Key128Set, ZeroKeyIsAKeyLikeAnyOther) {
  Key128Set set;
  EXPECT_FALSE(set.Contains({0, 0}));
  EXPECT_TRUE(set.Insert({0, 0}));
  EXPECT_FALSE(set.Insert({0, 0}));
  EXPECT_TRUE(set.Contains({0, 0}));
  EXPECT_EQ(set.size(), 1u);
}

TEST(ContentHasher, EqualInputEqualHashAndBoundariesMatter) {
  auto hash_of = [](std::initializer_list<std::string_view> parts) {
    ContentHasher hasher;
    for (std::string_view part : parts) hasher.AddBytes(part);
    return hasher.Finish();
  };
  EXPECT_EQ(hash_of({"BTC", "ETH"}), hash_of({"BTC", "ETH"}));
  EXPECT_NE(hash_of({"ab", "c"}), hash_of({"a", "bc"}));
  EXPECT_NE(hash_of({"BTC"}), hash_of({"BTC", ""}));
  EXPECT_NE(hash_of({"12345678"}), hash_of({"12345679"}));
  EXPECT_NE(hash_of({std::string_view("a\0", 2)}), hash_of({"a"}));
  ContentHasher one;
  one.AddWord(1);
  ContentHasher two;
  two.AddWord(2);
  EXPECT_NE(one.Finish(), two.Finish());
}

}  // namespace
}  // namespace cryptomood
