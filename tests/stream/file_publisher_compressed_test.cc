// PublishFiles (`produce`) on gzip and zstd inputs: the same messages as from the plain
// files, in the same order; a truncated archive publishes the lines before the damage and
// reports the damage once, naming the file and the compressed offset.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "io/compress_for_test.h"
#include "io/scratch_dir.h"
#include "stream/file_publisher.h"

namespace cryptomood {
namespace {

using testing_support::GzipMember;
using testing_support::ScratchDir;
using testing_support::ZstdFrame;

using Message = std::tuple<std::string, std::string, std::string>;

struct DamageSink : RejectSink {
  void Reject(std::string_view /*file*/, std::int64_t /*line_number*/, std::string_view /*reason*/,
              std::string_view /*raw_line*/) override {
    ++rejected_lines;
  }
  void Damaged(std::string_view file, std::int64_t /*line_number*/,
               std::string_view reason) override {
    damage.push_back(std::string(file) + ": " + std::string(reason));
  }
  int rejected_lines = 0;
  std::vector<std::string> damage;
};

struct Published {
  std::vector<Message> messages;
  std::vector<FilePublishSummary> summaries;
};

Published Publish(const std::string& trades, const std::string& tweets, RejectSink* sink) {
  Published published;
  PublishOptions options;
  options.trade_file = trades;
  options.sentiment_file = tweets;
  options.rejects = sink;
  options.chunk_bytes = 4096;
  auto summaries = PublishFiles(
      options, [&](std::string_view topic, std::string_view key, std::string_view payload) {
        published.messages.emplace_back(topic, key, payload);
        return Status();
      });
  EXPECT_TRUE(summaries.ok()) << summaries.error().message;
  if (summaries.ok()) published.summaries = *summaries;
  return published;
}

const std::string kSeed = CRYPTOMOOD_SEED_DIR;

TEST(FilePublisherCompressed, ArchivesPublishThePlainFilesMessages) {
  ScratchDir dir;
  const std::string trades = kSeed + "/historical_coin_data.txt";
  const std::string tweets = kSeed + "/historical_sentiment_data.txt";
  const std::string trade_text = ScratchDir::Read(trades);
  const std::string tweet_text = ScratchDir::Read(tweets);
  const Published plain = Publish(trades, tweets, nullptr);
  ASSERT_FALSE(plain.messages.empty());
  const Published archived =
      Publish(dir.Write("trades.txt", GzipMember(trade_text.substr(0, 5000)) +
                                          GzipMember(trade_text.substr(5000))),
              dir.Write("tweets.gz", ZstdFrame(tweet_text)), nullptr);
  // Interleaving follows each file's share read, so the order within a topic is compared.
  for (const char* topic : {"cryptomood.trades", "cryptomood.sentiment"}) {
    std::vector<Message> expected;
    std::vector<Message> actual;
    for (const Message& message : plain.messages) {
      if (std::get<0>(message) == topic) expected.push_back(message);
    }
    for (const Message& message : archived.messages) {
      if (std::get<0>(message) == topic) actual.push_back(message);
    }
    EXPECT_EQ(actual, expected) << topic;
  }
}

TEST(FilePublisherCompressed, ATruncatedArchiveIsReportedOnceAfterItsLines) {
  ScratchDir dir;
  const std::string trade_text = ScratchDir::Read(kSeed + "/historical_coin_data.txt");
  const std::string archive = GzipMember(trade_text);
  const std::size_t keep = archive.size() - 10;  // the trailer cut: all the text decodes
  const std::string cut = dir.Write("trades.json.gz", archive.substr(0, keep));
  DamageSink sink;
  const Published published = Publish(cut, "", &sink);
  ASSERT_EQ(published.summaries.size(), 1u);
  EXPECT_EQ(published.summaries[0].lines, 308 + 1);
  EXPECT_EQ(published.summaries[0].rejected, 1);
  EXPECT_EQ(published.summaries[0].messages, 308);
  EXPECT_EQ(sink.rejected_lines, 0);
  EXPECT_EQ(sink.damage,
            std::vector<std::string>{cut + ": truncated gzip data at byte " + std::to_string(keep) +
                                     " (of the compressed file)"});
}

}  // namespace
}  // namespace cryptomood
