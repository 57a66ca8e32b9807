// Compressed inputs: gzip and zstd files are read as their text, recognised by content (not
// by name), from files and standard input, concatenated members and frames as one text; a
// truncated or corrupt archive ends the text with the lines before it delivered and one
// damage message naming the compressed offset; line numbers are those of the text.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "compress_for_test.h"
#include "io/chunk_reader.h"
#include "io/market_data_loader.h"
#include "io/reject_sink.h"
#include "scratch_dir.h"

namespace cryptomood {
namespace {

using testing_support::GzipMember;
using testing_support::ScratchDir;
using testing_support::ZstdFrame;

// Lines of varied lengths, `count` of them, each unique (so compressed data is not trivial).
std::string VariedLines(int count) {
  std::string text;
  for (std::int64_t i = 0; i < count; ++i) {
    text +=
        "line " + std::to_string(i) + " " +
        std::string(static_cast<std::size_t>((i * 7919) % 53), static_cast<char>('a' + i % 26)) +
        std::to_string(i * 104729 % 1000003) + "\n";
  }
  return text;
}

struct TextRead {
  std::string text;
  std::vector<std::string> chunks;
  std::optional<std::string> damage;
  std::uint64_t bytes_read = 0;
};

TextRead ReadText(const std::string& path, std::size_t chunk_bytes = 1 << 20) {
  TextRead read;
  auto reader = ChunkReader::Open(path, chunk_bytes);
  EXPECT_TRUE(reader.ok()) << reader.error().message;
  if (!reader.ok()) return read;
  Chunk chunk;
  while (true) {
    auto more = (*reader)->Next(chunk);
    EXPECT_TRUE(more.ok()) << more.error().message;
    if (!more.ok() || !*more) break;
    read.chunks.emplace_back(chunk.data());
    read.text += chunk.data();
  }
  read.damage = (*reader)->damage();
  read.bytes_read = (*reader)->bytes_read();
  return read;
}

TEST(CompressedInput, GzipAndZstdReadAsTheirTextInWholeLines) {
  ScratchDir dir;
  const std::string text = VariedLines(3000);
  const std::string gzip = dir.Write("lines.gz", GzipMember(text));
  const std::string zstd = dir.Write("lines.zst", ZstdFrame(text));
  // Small chunks split lines across the decompressed buffers many times.
  for (std::size_t chunk_bytes : {1, 13, 100, 4096, 1 << 20}) {
    for (const std::string& path : {gzip, zstd}) {
      const TextRead read = ReadText(path, chunk_bytes);
      EXPECT_EQ(read.text, text) << path << " " << chunk_bytes;
      EXPECT_FALSE(read.damage.has_value()) << *read.damage;
      for (std::size_t i = 0; i < read.chunks.size(); ++i) {
        EXPECT_EQ(read.chunks[i].back(), '\n') << path << " " << chunk_bytes << " chunk " << i;
      }
    }
  }
}

TEST(CompressedInput, ConcatenatedMembersAndFramesAreOneText) {
  ScratchDir dir;
  const std::string first = VariedLines(500);
  const std::string second = "the second part\n" + VariedLines(200);
  const std::string third = "no newline at the end";
  EXPECT_EQ(ReadText(dir.Write("cat.gz", GzipMember(first) + GzipMember(second) + GzipMember("") +
                                             GzipMember(third)),
                     97)
                .text,
            first + second + third);
  EXPECT_EQ(ReadText(dir.Write("cat.zst", ZstdFrame(first) + ZstdFrame(second) + ZstdFrame("") +
                                              ZstdFrame(third)),
                     97)
                .text,
            first + second + third);
}

TEST(CompressedInput, RecognisedByContentWhateverTheName) {
  ScratchDir dir;
  const std::string text = VariedLines(100);
  EXPECT_EQ(ReadText(dir.Write("trades.txt", GzipMember(text))).text, text);
  EXPECT_EQ(ReadText(dir.Write("trades.json.gz", ZstdFrame(text))).text, text);
  EXPECT_EQ(ReadText(dir.Write("plain.zst", text)).text, text);
  // Text that starts like no archive but is shorter than a magic number.
  EXPECT_EQ(ReadText(dir.Write("short.gz", "\x1f")).text, "\x1f");
}

TEST(CompressedInput, StandardInputIsDecompressedToo) {
  ScratchDir dir;
  const std::string text = VariedLines(2000);
  for (const std::string& archive : {GzipMember(text), ZstdFrame(text)}) {
    int pipe_ends[2];
    ASSERT_EQ(::pipe(pipe_ends), 0);
    // A pipe, written in small pieces: the magic number arrives in parts (the pause lets
    // the reader find only the first byte, to be read again; it is no timing assertion).
    std::thread writer([&archive, fd = pipe_ends[1]] {
      if (::write(fd, archive.data(), 1) != 1) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      for (std::size_t at = 1; at < archive.size(); at += 3) {
        const std::size_t piece = std::min<std::size_t>(3, archive.size() - at);
        if (::write(fd, archive.data() + at, piece) != static_cast<ssize_t>(piece)) break;
      }
      ::close(fd);
    });
    const int saved_stdin = ::dup(STDIN_FILENO);
    ASSERT_EQ(::dup2(pipe_ends[0], STDIN_FILENO), STDIN_FILENO);
    ::close(pipe_ends[0]);
    const TextRead read = ReadText("-", 1000);
    ::dup2(saved_stdin, STDIN_FILENO);
    ::close(saved_stdin);
    writer.join();
    EXPECT_EQ(read.text, text);
  }
}

TEST(CompressedInput, AnEmptyArchiveHasNoText) {
  ScratchDir dir;
  for (const std::string& archive : {GzipMember(""), ZstdFrame("")}) {
    const TextRead read = ReadText(dir.Write("empty", archive));
    EXPECT_TRUE(read.chunks.empty());
    EXPECT_EQ(read.bytes_read, 0u);
    EXPECT_FALSE(read.damage.has_value());
  }
}

TEST(CompressedInput, AByteOrderMarkInsideTheArchiveIsSkipped) {
  ScratchDir dir;
  EXPECT_EQ(ReadText(dir.Write("bom.gz", GzipMember("\xEF\xBB\xBFone\ntwo\n")), 2).text,
            "one\ntwo\n");
  EXPECT_EQ(ReadText(dir.Write("bom.zst", ZstdFrame("\xEF\xBB\xBFone\ntwo\n"))).text, "one\ntwo\n");
}

// A truncated archive delivers a prefix of its text and names where the data ends.
void ExpectTruncationReported(const std::string& archive, const std::string& text,
                              const std::string& format, std::size_t magic_bytes) {
  ScratchDir dir;
  bool some_text_before_the_damage = false;
  for (std::size_t keep : {magic_bytes, archive.size() / 3, archive.size() / 2,
                           archive.size() - 100, archive.size() - 1}) {
    const TextRead read = ReadText(dir.Write("cut", archive.substr(0, keep)), 4096);
    EXPECT_EQ(text.substr(0, read.text.size()), read.text) << keep;
    some_text_before_the_damage |= !read.text.empty();
    ASSERT_TRUE(read.damage.has_value()) << keep;
    EXPECT_EQ(*read.damage, "truncated " + format + " data at byte " + std::to_string(keep) +
                                " (of the compressed file)");
  }
  EXPECT_TRUE(some_text_before_the_damage);
}

TEST(CompressedInput, TruncatedGzipEndsTheTextWithOneMessage) {
  const std::string text = VariedLines(20000);
  ExpectTruncationReported(GzipMember(text), text, "gzip", 2);
}

TEST(CompressedInput, TruncatedZstdEndsTheTextWithOneMessage) {
  // Several blocks of 128 KiB: zstd delivers whole blocks, so a cut leaves the ones before.
  const std::string text = VariedLines(40000);
  ExpectTruncationReported(ZstdFrame(text), text, "zstd", 4);
}

TEST(CompressedInput, CorruptDataEndsTheTextWithOneMessage) {
  ScratchDir dir;
  const std::string text = VariedLines(3000);
  // A wrong checksum in the gzip trailer: all the text decodes, then the check fails.
  std::string gzip = GzipMember(text);
  gzip[gzip.size() - 6] = static_cast<char>(gzip[gzip.size() - 6] ^ 0x55);
  TextRead read = ReadText(dir.Write("bad_crc.gz", gzip));
  EXPECT_EQ(read.text, text);
  ASSERT_TRUE(read.damage.has_value());
  EXPECT_EQ(*read.damage, "corrupt gzip data at byte " + std::to_string(gzip.size() - 4) +
                              ": incorrect data check");
  // Reserved flag bits in the gzip header: nothing decodes.
  std::string flags = GzipMember(text);
  flags[3] = static_cast<char>(0xE0);
  read = ReadText(dir.Write("bad_flags.gz", flags));
  EXPECT_EQ(read.text, "");
  ASSERT_TRUE(read.damage.has_value());
  EXPECT_EQ(*read.damage, "corrupt gzip data at byte 4: unknown header flags set");
  // A reserved bit in the zstd frame header.
  std::string zstd = ZstdFrame(text);
  zstd[4] = static_cast<char>(zstd[4] | 0x08);
  read = ReadText(dir.Write("bad_header.zst", zstd));
  EXPECT_EQ(read.text, "");
  ASSERT_TRUE(read.damage.has_value());
  EXPECT_EQ(read.damage->rfind("corrupt zstd data at byte ", 0), 0u) << *read.damage;
  // Garbage after a complete member is not a member.
  read = ReadText(dir.Write("trailing.gz", GzipMember(text) + "not gzip"));
  EXPECT_EQ(read.text, text);
  ASSERT_TRUE(read.damage.has_value());
  EXPECT_EQ(read.damage->rfind("corrupt gzip data at byte ", 0), 0u) << *read.damage;
}

TEST(CompressedInput, ProgressCountsStoredBytes) {
  ScratchDir dir;
  const std::string archive = GzipMember(VariedLines(20000));
  auto reader = ChunkReader::Open(dir.Write("progress.gz", archive), 4096);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(*(*reader)->size_bytes(), archive.size());
  Chunk chunk;
  std::uint64_t last = 0;
  while (*(*reader)->Next(chunk)) {
    EXPECT_GE(chunk.stored_end_offset(), last);
    EXPECT_LE(chunk.stored_end_offset(), archive.size());
    last = chunk.stored_end_offset();
  }
  EXPECT_EQ(last, archive.size());
  EXPECT_EQ((*reader)->stored_bytes_read(), archive.size());
}

// ---- through the loader: line numbers and the damage entry ----

struct Entry {
  std::string file;
  std::int64_t line;
  std::string reason;
  bool damaged;
};

class EntrySink : public RejectSink {
 public:
  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view /*raw_line*/) override {
    entries.push_back({std::string(file), line_number, std::string(reason), false});
  }
  void Damaged(std::string_view file, std::int64_t line_number, std::string_view reason) override {
    entries.push_back({std::string(file), line_number, std::string(reason), true});
  }
  std::vector<Entry> entries;
};

std::string TradeLine(int n) {
  char text[300];
  std::snprintf(text, sizeof(text),
                R"({"price": %d.5, "size": 1.5, "symbol_id": "COINBASE_SPOT_BTC_USD", )"
                R"("timestamp": "2018-07-16T20:%02d:%02dZ", "uuid": "%08x-0000-4000-8000-%012x"})",
                100 + n % 50, (n / 60) % 60, n % 60, n, n);
  return text;
}

// A sentiment file of one valid tweet, for loads about the trades.
std::string OneTweetFile(ScratchDir& dir) {
  return dir.Write(
      "tweets.txt",
      R"({"coins": ["BTC"], "sentiment_polarity": 0.5, "text": "T", "timestamp": "2018-07-16T20:11:00Z"})"
      "\n");
}

// Loads the trade file `trades` with `tweets` in 4 KiB chunks, rejects to `sink`.
Result<LoadedInput> LoadInSmallChunks(const std::string& trades, const std::string& tweets,
                                      RejectSink& sink, int threads, bool strict = false) {
  LoadOptions options;
  options.strict = strict;
  options.trade_files = {trades};
  options.sentiment_files = {tweets};
  options.rejects = &sink;
  options.threads = threads;
  options.chunk_bytes = 4096;
  return LoadMarketData(options);
}

std::string TradeLines(int count, int bad_line) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += (i == bad_line ? "not json" : TradeLine(i)) + "\n";
  return text;
}

TEST(CompressedInput, LoaderNumbersTheLinesOfTheText) {
  ScratchDir dir;
  const std::string tweets = OneTweetFile(dir);
  const std::string text = TradeLines(3000, 2500);
  for (const std::string& archive : {GzipMember(text), ZstdFrame(text)}) {
    for (int threads : {1, 2}) {
      EntrySink sink;
      auto loaded = LoadInSmallChunks(dir.Write("trades.bin", archive), tweets, sink, threads);
      ASSERT_TRUE(loaded.ok()) << loaded.error().message;
      EXPECT_EQ(loaded->trades.lines, 3000);
      EXPECT_EQ(loaded->trades.accepted, 2999);
      ASSERT_EQ(sink.entries.size(), 1u);
      EXPECT_EQ(sink.entries[0].line, 2500);
      EXPECT_FALSE(sink.entries[0].damaged);
    }
  }
}

TEST(CompressedInput, LoaderCountsTheLinesBeforeTheDamageAndReportsItOnce) {
  ScratchDir dir;
  const std::string tweets = OneTweetFile(dir);
  const std::string text = TradeLines(3000, 0);
  const std::string archive = GzipMember(text);
  const std::size_t keep = archive.size() / 2;
  const std::string cut = dir.Write("cut.gz", archive.substr(0, keep));
  const std::string reason =
      "truncated gzip data at byte " + std::to_string(keep) + " (of the compressed file)";
  for (int threads : {1, 2}) {
    EntrySink sink;
    auto loaded = LoadInSmallChunks(cut, tweets, sink, threads);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    // The lines decoded before the cut count: whole ones accepted, a cut last one rejected.
    EXPECT_GT(loaded->trades.accepted, 1000);
    EXPECT_EQ(loaded->trades.lines,
              loaded->trades.accepted + loaded->trades.rejected + loaded->trades.duplicates);
    ASSERT_FALSE(sink.entries.empty());
    const Entry& damage = sink.entries.back();
    EXPECT_TRUE(damage.damaged);
    EXPECT_EQ(damage.file, cut);
    EXPECT_EQ(damage.reason, reason);
    EXPECT_EQ(damage.line, loaded->trades.lines);
    EXPECT_LE(sink.entries.size(), 2u);  // the damage, and a cut last line if any

    auto strict = LoadInSmallChunks(cut, tweets, sink, threads, /*strict=*/true);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.error().kind, ErrorKind::kRejected);
    EXPECT_NE(strict.error().message.find(cut), std::string::npos) << strict.error().message;
  }
}

TEST(CompressedInput, LoaderCallsAnEmptyArchiveEmpty) {
  ScratchDir dir;
  LoadOptions options;
  options.trade_files = {dir.Write("empty.gz", GzipMember(""))};
  options.sentiment_files = {dir.Write("empty.zst", ZstdFrame(""))};
  auto loaded = LoadMarketData(options);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message, dir.Path("empty.gz") + " is empty");
}

}  // namespace
}  // namespace cryptomood
