#include "io/progress_meter.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace cryptomood {
namespace {

TEST(FormatProgress, WithKnownTotal) {
  EXPECT_EQ(FormatProgress("trades.txt", 350'000'000, 700'000'000, 0.5),
            "trades.txt: 350.0 MB of 700.0 MB, 700.0 MB/s, ETA 0:00:01");
  EXPECT_EQ(FormatProgress("big", 1'000'000, 7'201'000'000, 1.0),
            "big: 1.0 MB of 7201.0 MB, 1.0 MB/s, ETA 2:00:00");
}

TEST(FormatProgress, WithoutTotalOrTime) {
  EXPECT_EQ(FormatProgress("<stdin>", 2'500'000, std::nullopt, 2.0), "<stdin>: 2.5 MB, 1.2 MB/s");
  EXPECT_EQ(FormatProgress("x", 0, 10, 0.0), "x: 0.0 MB of 0.0 MB");
}

TEST(ProgressMeter, SilentWhenTheStreamIsNotATerminal) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  {
    ProgressMeter meter(true, file);
    EXPECT_FALSE(meter.enabled());
    meter.Start("x", 100);
    meter.Update(50);
    meter.Clear();
  }
  EXPECT_EQ(std::ftell(file), 0);
  std::fclose(file);
}

}  // namespace
}  // namespace cryptomood
