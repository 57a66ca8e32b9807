#include "io/chunk_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "scratch_dir.h"

namespace cryptomood {
namespace {

using testing_support::ScratchDir;

struct ReadBack {
  std::vector<std::string> chunks;
  std::vector<bool> truncated;
};

ReadBack ReadAll(const std::string& path, std::size_t chunk_bytes, std::size_t max_line_bytes) {
  auto reader = ChunkReader::Open(path, chunk_bytes, max_line_bytes);
  EXPECT_TRUE(reader.ok());
  ReadBack back;
  Chunk chunk;
  std::uint64_t expected_index = 0;
  while (true) {
    auto more = (*reader)->Next(chunk);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    EXPECT_EQ(chunk.index(), expected_index++);
    back.chunks.emplace_back(chunk.data());
    back.truncated.push_back(chunk.truncated_line());
    // The padding promise: SIMDJSON_PADDING bytes readable past the data.
    const auto view = chunk.PaddedView(chunk.data().data(), chunk.data().size());
    EXPECT_GE(view.padding(), simdjson::SIMDJSON_PADDING);
  }
  return back;
}

TEST(ChunkReader, ChunksEndAtNewlinesAndReassembleTheInput) {
  ScratchDir dir;
  std::string text;
  for (int i = 0; i < 300; ++i) text += std::string(static_cast<std::size_t>(i % 37), 'x') + "\n";
  text += "last line without newline";
  const std::string path = dir.Write("lines.txt", text);
  for (std::size_t chunk_bytes : {1, 5, 36, 37, 38, 100, 4096, 1 << 20}) {
    ReadBack back = ReadAll(path, chunk_bytes, 1 << 20);
    std::string joined;
    for (std::size_t i = 0; i < back.chunks.size(); ++i) {
      if (i + 1 < back.chunks.size()) {
        EXPECT_EQ(back.chunks[i].back(), '\n') << chunk_bytes;
      }
      EXPECT_FALSE(back.truncated[i]);
      joined += back.chunks[i];
    }
    EXPECT_EQ(joined, text) << chunk_bytes;
  }
}

TEST(ChunkReader, EmptyFileHasNoChunk) {
  ScratchDir dir;
  EXPECT_TRUE(ReadAll(dir.Write("empty.txt", ""), 16, 64).chunks.empty());
}

TEST(ChunkReader, OverlongLineArrivesTruncatedAndTheRestIsSkipped) {
  ScratchDir dir;
  const std::string text = "short\n" + std::string(1000, 'y') + "\nafter\n";
  ReadBack back = ReadAll(dir.Write("long.txt", text), 8, 64);
  ASSERT_EQ(back.chunks.size(), 3u);
  EXPECT_EQ(back.chunks[0], "short\n");
  EXPECT_TRUE(back.truncated[1]);
  EXPECT_EQ(back.chunks[1], std::string(64, 'y'));
  EXPECT_EQ(back.chunks[2], "after\n");
  EXPECT_FALSE(back.truncated[2]);
}

TEST(ChunkReader, OverlongLastLineWithoutNewline) {
  ScratchDir dir;
  ReadBack back = ReadAll(dir.Write("long.txt", "a\n" + std::string(500, 'z')), 8, 64);
  ASSERT_EQ(back.chunks.size(), 2u);
  EXPECT_TRUE(back.truncated[1]);
}

TEST(ChunkReader, LineLongerThanTheChunkButUnderTheLimitIsWhole) {
  ScratchDir dir;
  const std::string text = "a\n" + std::string(300, 'q') + "\nb\n";
  ReadBack back = ReadAll(dir.Write("grow.txt", text), 8, 1024);
  std::string joined;
  for (const auto& chunk : back.chunks) joined += chunk;
  EXPECT_EQ(joined, text);
  for (bool truncated : back.truncated) EXPECT_FALSE(truncated);
}

TEST(ChunkReader, OpenFailures) {
  ScratchDir dir;
  auto missing = ChunkReader::Open(dir.Path("missing.txt"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot open " + dir.Path("missing.txt") + ": No such file or directory");
  auto directory = ChunkReader::Open(dir.Path("."));
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos);
}

TEST(ChunkReader, DashReadsStandardInput) {
  ScratchDir dir;
  const std::string path = dir.Write("stdin.txt", "one\ntwo\n");
  const int saved_stdin = ::dup(STDIN_FILENO);
  const int file = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(file, 0);
  ASSERT_EQ(::dup2(file, STDIN_FILENO), STDIN_FILENO);
  ::close(file);
  {
    auto reader = ChunkReader::Open("-", 4);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->display_name(), "<stdin>");
    Chunk chunk;
    std::string joined;
    while (true) {
      auto more = (*reader)->Next(chunk);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      joined += chunk.data();
    }
    EXPECT_EQ(joined, "one\ntwo\n");
  }
  ::dup2(saved_stdin, STDIN_FILENO);
  ::close(saved_stdin);
}

TEST(ChunkReader, KnowsTheSizeOfRegularFiles) {
  ScratchDir dir;
  auto reader = ChunkReader::Open(dir.Write("sized.txt", "12345\n"));
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->size_bytes().has_value());
  EXPECT_EQ(*(*reader)->size_bytes(), 6u);
  EXPECT_EQ((*reader)->display_name(), dir.Path("sized.txt"));
}

}  // namespace
}  // namespace cryptomood
