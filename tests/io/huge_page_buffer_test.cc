#include "io/huge_page_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace cryptomood {
namespace {

// Buffers come zeroed even when their memory is reused: each one is dirtied before it is
// released, and the allocator hands freed blocks out again. Sizes on both sides of the
// two-thread zeroing, and odd ones.
TEST(HugePageBuffer, EveryBufferStartsZeroed) {
  for (int round = 0; round < 4; ++round) {
    for (const std::size_t bytes : {std::size_t{100}, std::size_t{3} << 20,
                                    (std::size_t{12} << 20) + 12345, std::size_t{20} << 20}) {
      HugePageBuffer buffer(bytes);
      ASSERT_EQ(buffer.size(), bytes);
      const char* data = buffer.data();
      ASSERT_TRUE(std::all_of(data, data + bytes, [](char c) { return c == 0; }))
          << bytes << " bytes, round " << round;
      std::memset(buffer.data(), 0xff, bytes);
    }
  }
}

TEST(HugePageBuffer, EmptyBufferHasNoMemory) {
  HugePageBuffer buffer;
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.data(), nullptr);
  HugePageBuffer zero_bytes(0);
  EXPECT_EQ(zero_bytes.data(), nullptr);
}

}  // namespace
}  // namespace cryptomood
