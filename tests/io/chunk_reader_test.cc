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
  std::vector<bool> continues;
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
    back.continues.push_back(chunk.continues_line());
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

TEST(ChunkReader, OverlongLineArrivesInBoundedParts) {
  ScratchDir dir;
  const std::string text = "short\n" + std::string(1000, 'y') + "\nafter\n";
  ReadBack back = ReadAll(dir.Write("long.txt", text), 8, 64);
  // "short", the line's first 64 bytes, then the rest of it in parts of at most 8 bytes
  // (its newline excluded), then the next line.
  ASSERT_GE(back.chunks.size(), 4u);
  EXPECT_EQ(back.chunks[0], "short\n");
  EXPECT_TRUE(back.truncated[1]);
  EXPECT_EQ(back.chunks[1], std::string(64, 'y'));
  std::string rest;
  for (std::size_t i = 2; i + 1 < back.chunks.size(); ++i) {
    EXPECT_TRUE(back.continues[i]) << i;
    EXPECT_FALSE(back.truncated[i]) << i;
    EXPECT_LE(back.chunks[i].size(), 8u) << i;
    rest += back.chunks[i];
  }
  EXPECT_EQ(rest, std::string(1000 - 64, 'y'));
  EXPECT_EQ(back.chunks.back(), "after\n");
  EXPECT_FALSE(back.truncated.back());
  EXPECT_FALSE(back.continues.back());
}

TEST(ChunkReader, OverlongLastLineWithoutNewline) {
  ScratchDir dir;
  ReadBack back = ReadAll(dir.Write("long.txt", "a\n" + std::string(500, 'z')), 8, 64);
  ASSERT_GE(back.chunks.size(), 3u);
  EXPECT_TRUE(back.truncated[1]);
  std::string line = back.chunks[1];
  for (std::size_t i = 2; i < back.chunks.size(); ++i) line += back.chunks[i];
  EXPECT_EQ(line, std::string(500, 'z'));
}

TEST(ChunkReader, ALineWithoutEndFailsTheRead) {
  // A line still open after kEndlessLineFactor times the line limit: the read fails rather
  // than wait for an end (what /dev/zero or an endless pipe without newlines would do).
  ScratchDir dir;
  const std::size_t limit = 64;
  const std::string path =
      dir.Write("endless.txt", std::string(ChunkReader::kEndlessLineFactor * limit + 1, 'e'));
  auto reader = ChunkReader::Open(path, 16, limit);
  ASSERT_TRUE(reader.ok());
  Chunk chunk;
  Status failure;
  for (int parts = 0; parts < 1000 && failure.ok(); ++parts) {
    auto more = (*reader)->Next(chunk);
    if (!more.ok()) failure = more.error();
    if (more.ok() && !*more) break;
  }
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.error().message,
            path + " holds a line longer than 1024 bytes: it does not look like JSON lines");
  // Exactly the factor is still a line (its end is the end of the input).
  const std::string whole =
      dir.Write("whole.txt", std::string(ChunkReader::kEndlessLineFactor * limit, 'w'));
  std::string joined;
  for (const std::string& part : ReadAll(whole, 16, limit).chunks) joined += part;
  EXPECT_EQ(joined.size(), ChunkReader::kEndlessLineFactor * limit);
}

TEST(ChunkReader, SkipsAByteOrderMarkAtTheStartOnly) {
  ScratchDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  std::string text = bom;
  text += "{}\n" + bom;
  text += "{}\n";
  const std::string path = dir.Write("bom.txt", text);
  for (std::size_t chunk_bytes : {2, 4, 1 << 20}) {
    std::string joined;
    for (const std::string& chunk : ReadAll(path, chunk_bytes, 1024).chunks) {
      joined += chunk;
    }
    EXPECT_EQ(joined, "{}\n" + bom + "{}\n") << chunk_bytes;
  }
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
