// DriveFile, the per-file steps the loader and the ingester share: counts, rejects, the sink's
// own failure, damage, empty files, files without a valid line, strict mode and cancellation.
// The parser here keeps a line when it looks like a JSON object (starts with '{', ends with
// '}'), so tests control exactly which lines are rejected.
#include "io/file_driver.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compress_for_test.h"
#include "scratch_dir.h"

namespace cryptomood {
namespace {

using testing_support::ScratchDir;

constexpr std::string_view kTrade =
    R"({"price": 1.5, "size": 2, "symbol_id": "X_SPOT_BTC_USD", "timestamp": )"
    R"("2018-07-16T00:00:00.000000Z", "uuid": "0f9a8e1c-1d2e-4f3a-9b8c-7d6e5f4a3b2c"})";

struct CountedChunk : ChunkLineResults {
  std::int64_t kept = 0;
};

class ObjectLineParser {
 public:
  using Output = CountedChunk;
  static constexpr RecordKind kKind = RecordKind::kTrade;

  void Parse(const Chunk& chunk, FileFormatGate& format, CountedChunk& out) {
    const FileFormat& decided = format.Await(chunk);
    out.kept = 0;
    ParseChunkLines(
        chunk, out,
        [&out](simdjson::padded_string_view line) -> Status {
          const std::string_view text(line.data(), line.size());
          if (text.empty() || text.front() != '{' || text.back() != '}') {
            return Error{"not an object"};
          }
          ++out.kept;
          return {};
        },
        decided.HeaderLinesIn(chunk));
  }
};

class CollectingSink final : public RejectSink {
 public:
  void Reject(std::string_view /*file*/, std::int64_t line_number, std::string_view reason,
              std::string_view /*raw_line*/) override {
    entries.push_back(std::to_string(line_number) + ": " + std::string(reason));
  }
  std::vector<std::string> entries;
};

struct DriveResult {
  Result<FileTally> tally;
  std::int64_t kept = 0;
  int damaged_calls = 0;
};

class FileDriverTest : public ::testing::Test {
 protected:
  DriveResult Drive(const std::string& path, bool strict = false,
                    const CancellationToken& cancel = CancellationToken::Never(),
                    std::function<Status()> rejects_status = nullptr) {
    DriveResult run{Error{"not run"}};
    auto reader = ChunkReader::Open(path, 4096);
    if (!reader.ok()) {
      run.tally = reader.error();
      return run;
    }
    FileSteps<ObjectLineParser> steps;
    steps.parse = [](ObjectLineParser& parser, const Chunk& chunk, FileFormatGate& format,
                     CountedChunk& output) { parser.Parse(chunk, format, output); };
    steps.keep = [&run](const Chunk& /*chunk*/, CountedChunk& output) {
      run.kept += output.kept;
      return Status::Ok();
    };
    steps.rejects_status = std::move(rejects_status);
    steps.damaged = [&run] {
      ++run.damaged_calls;
      return Status::Ok();
    };
    const FileDriverSettings settings{.threads = 2,
                                      .strict = strict,
                                      .rejects = &sink_,
                                      .progress = &progress_,
                                      .cancel = &cancel};
    run.tally = DriveFile(**reader, settings, steps);
    return run;
  }

  static std::string Lines(int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += std::string(kTrade) + "\n";
    return text;
  }

  ScratchDir dir_;
  CollectingSink sink_;
  ProgressMeter progress_{false, stderr};
};

TEST_F(FileDriverTest, CountsLinesAndKeepsEveryValidOneInOrder) {
  const std::string text = Lines(50) + "garbage\n" + Lines(200) + "{\"cut\n";
  const DriveResult run = Drive(dir_.Write("trades.txt", text));
  ASSERT_TRUE(run.tally.ok()) << run.tally.error().message;
  EXPECT_EQ(run.tally->lines, 252);
  EXPECT_EQ(run.tally->rejected, 2);
  EXPECT_EQ(run.kept, 250);
  EXPECT_EQ(sink_.entries, (std::vector<std::string>{"51: not an object", "252: not an object"}));
  EXPECT_EQ(run.damaged_calls, 0);
}

TEST_F(FileDriverTest, TheSinksOwnFailureStopsTheFile) {
  const DriveResult run =
      Drive(dir_.Write("trades.txt", Lines(5) + "garbage\n"), /*strict=*/false,
            CancellationToken::Never(), [] { return Status(Error{"disk full"}); });
  ASSERT_FALSE(run.tally.ok());
  EXPECT_EQ(run.tally.error().message, "disk full");
}

TEST_F(FileDriverTest, StrictTurnsTheFirstRejectIntoTheError) {
  const DriveResult run = Drive(dir_.Write("trades.txt", Lines(3) + "garbage\n" + Lines(3)), true);
  ASSERT_FALSE(run.tally.ok());
  EXPECT_EQ(run.tally.error().kind, ErrorKind::kRejected);
  EXPECT_NE(run.tally.error().message.find("trades.txt:4: not an object"), std::string::npos)
      << run.tally.error().message;
}

TEST_F(FileDriverTest, DamageIsOneMoreRejectedLine) {
  const std::string whole = testing_support::GzipMember(Lines(400));
  const DriveResult run = Drive(dir_.Write("trades.txt.gz", whole.substr(0, whole.size() / 2)));
  ASSERT_TRUE(run.tally.ok()) << run.tally.error().message;
  EXPECT_EQ(run.damaged_calls, 1);
  EXPECT_EQ(run.tally->rejected, static_cast<std::int64_t>(sink_.entries.size()));
  EXPECT_EQ(run.tally->lines, run.kept + run.tally->rejected);
  ASSERT_FALSE(sink_.entries.empty());
  EXPECT_NE(sink_.entries.back().find("truncated"), std::string::npos) << sink_.entries.back();
}

TEST_F(FileDriverTest, RefusesAnEmptyFileAndAFileWithoutAValidLine) {
  const DriveResult empty = Drive(dir_.Write("empty.txt", ""));
  ASSERT_FALSE(empty.tally.ok());
  EXPECT_NE(empty.tally.error().message.find("empty.txt is empty"), std::string::npos);
  const DriveResult bad = Drive(dir_.Write("bad.txt", "{\"price\": 1, \"uuid\": \nnope\n"));
  ASSERT_FALSE(bad.tally.ok());
  EXPECT_NE(bad.tally.error().message.find("no valid line"), std::string::npos)
      << bad.tally.error().message;
}

TEST_F(FileDriverTest, ACancelledTokenStopsBeforeTheFirstChunkIsKept) {
  CancellationToken cancel;
  cancel.Cancel(CancelReason::kShutdown);
  const DriveResult run = Drive(dir_.Write("trades.txt", Lines(10)), false, cancel);
  ASSERT_FALSE(run.tally.ok());
  EXPECT_EQ(run.tally.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(run.kept, 0);
}

}  // namespace
}  // namespace cryptomood
