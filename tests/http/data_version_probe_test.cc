// DataVersionProbe: concurrent callers share reads, yet none is ever answered by a read that
// began before its call (which could miss an ingest committed just before the request).
#include "http/data_version_probe.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace cryptomood::http {
namespace {

TEST(DataVersionProbeTest, AloneEveryCallReadsAndSeesTheCurrentVersion) {
  std::int64_t version = 7;
  DataVersionProbe probe([&]() -> Result<std::int64_t> { return version; });
  EXPECT_EQ(*probe.Get(), 7);
  version = 9;
  EXPECT_EQ(*probe.Get(), 9);
  EXPECT_EQ(probe.reads(), 2u);
}

TEST(DataVersionProbeTest, ErrorsReachTheCaller) {
  bool failing = true;
  DataVersionProbe probe([&]() -> Result<std::int64_t> {
    if (failing) return Error{"database is gone"};
    return std::int64_t{3};
  });
  const auto failed = probe.Get();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "database is gone");
  failing = false;
  EXPECT_EQ(*probe.Get(), 3);
}

// Eight threads ask continuously while a writer keeps committing. Each caller notes the
// version committed before it asked; the answer must never be older. Reads are slow (a
// millisecond), so callers must have shared some.
TEST(DataVersionProbeTest, ConcurrentCallersShareReadsButNeverGetAnOlderVersion) {
  std::atomic<std::int64_t> committed{0};
  DataVersionProbe probe([&]() -> Result<std::int64_t> {
    const std::int64_t seen = committed.load();  // the read's snapshot is taken at its start
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return seen;
  });
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      committed.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 100;
  std::atomic<int> stale{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&] {
      for (int call = 0; call < kCallsEach; ++call) {
        const std::int64_t before = committed.load();
        const auto version = probe.Get();
        if (!version.ok() || *version < before) stale.fetch_add(1);
      }
    });
  }
  for (auto& caller : callers) caller.join();
  stop = true;
  writer.join();
  EXPECT_EQ(stale.load(), 0);
  EXPECT_LT(probe.reads(), static_cast<std::uint64_t>(kThreads * kCallsEach));
}

}  // namespace
}  // namespace cryptomood::http
