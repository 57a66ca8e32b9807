#include "io/ordered_chunk_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "scratch_dir.h"

namespace cryptomood {
namespace {

using testing_support::ScratchDir;

struct LineNumbers {
  std::vector<long> values;
};

std::string NumberedLines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += std::to_string(i) + "\n";
  return text;
}

// Parses each line as a number; consumption must see 1, 2, 3, ... whatever the threads do.
Status RunNumbers(const std::string& path, int threads, std::vector<long>& consumed,
                  std::atomic<int>& max_worker, int stop_after_chunks = -1) {
  auto reader = ChunkReader::Open(path, 64);
  if (!reader.ok()) return reader.error();
  ChunkPipelineStages<LineNumbers> stages;
  stages.parse = [&](int worker, const Chunk& chunk, LineNumbers& out) {
    int seen = max_worker.load();
    while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {
    }
    out.values.clear();
    std::string_view data = chunk.data();
    while (!data.empty()) {
      const auto end = data.find('\n');
      out.values.push_back(std::stol(std::string(data.substr(0, end))));
      data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
    }
    // Uneven work so that chunks finish out of order.
    if (chunk.index() % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  };
  int consumed_chunks = 0;
  stages.consume = [&](const Chunk&, LineNumbers& out) -> Status {
    if (consumed_chunks++ == stop_after_chunks) return Error{"stop", ErrorKind::kRejected};
    consumed.insert(consumed.end(), out.values.begin(), out.values.end());
    return {};
  };
  return RunOrderedChunkPipeline(**reader, PipelineOptions{threads, 0}, stages);
}

TEST(OrderedChunkPipeline, ConsumesInInputOrder) {
  ScratchDir dir;
  const std::string path = dir.Write("numbers.txt", NumberedLines(20000));
  for (int threads : {1, 2, 4}) {
    std::vector<long> consumed;
    std::atomic<int> max_worker{0};
    ASSERT_TRUE(RunNumbers(path, threads, consumed, max_worker).ok());
    ASSERT_EQ(consumed.size(), 20000u);
    for (std::size_t i = 0; i < consumed.size(); ++i) {
      ASSERT_EQ(consumed[i], static_cast<long>(i + 1)) << threads << " threads";
    }
    EXPECT_LT(max_worker.load(), std::max(threads, 1));
  }
}

TEST(OrderedChunkPipeline, ConsumerErrorStopsAndIsReturned) {
  ScratchDir dir;
  const std::string path = dir.Write("numbers.txt", NumberedLines(20000));
  std::vector<long> consumed;
  std::atomic<int> max_worker{0};
  Status status = RunNumbers(path, 2, consumed, max_worker, 5);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "stop");
  EXPECT_EQ(status.error().kind, ErrorKind::kRejected);
  ASSERT_FALSE(consumed.empty());
  EXPECT_EQ(consumed.front(), 1);
  EXPECT_EQ(static_cast<std::size_t>(consumed.back()), consumed.size());
}

}  // namespace
}  // namespace cryptomood
