#include "core/string_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cryptomood {
namespace {

TEST(InternNameTest, EachNameIsAddedOnceAndKeepsItsIndex) {
  StringIndexMap index;
  std::vector<std::string> names;
  int adds = 0;
  const auto intern = [&](std::string_view name) {
    return InternName(index, name, [&] {
      ++adds;
      names.emplace_back(name);
      return static_cast<std::uint32_t>(names.size() - 1);
    });
  };
  EXPECT_EQ(intern("BTC"), 0u);
  EXPECT_EQ(intern("ETH"), 1u);
  EXPECT_EQ(intern("BTC"), 0u);
  EXPECT_EQ(intern("ETH"), 1u);
  EXPECT_EQ(intern("LTC"), 2u);
  EXPECT_EQ(adds, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"BTC", "ETH", "LTC"}));
}

TEST(InternNameTest, RecordsTheIndexTheAddReturns) {
  StringIndexMap index;
  EXPECT_EQ(InternName(index, "BTC", [] { return std::uint32_t{7}; }), 7u);
  EXPECT_EQ(InternName(index, "BTC", [] { return std::uint32_t{9}; }), 7u);
}

}  // namespace
}  // namespace cryptomood
