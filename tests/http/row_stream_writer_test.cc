// RowStreamWriter: the three reply formats written row by row. JSON replies are parsed back
// with RapidJSON and checked field by field (envelope, next_cursor only when paged, Absent()
// omitting the key, Null() writing null); CSV is compared with hand-written RFC 4180 text;
// NDJSON line by line. Large replies must leave in blocks that concatenate to one valid
// document, and a failed flush (the client went away) must stop the flushing for good.
#include "http/row_stream_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cryptomood::http {
namespace {

// 2018-07-16T20:11:51Z plus 123456789 ns; written with microseconds, truncated.
constexpr TimestampNs kSeedInstant = 1'531'771'911'123'456'789;
constexpr std::string_view kSeedText = "2018-07-16T20:11:51.123456Z";
constexpr std::size_t kBlockBytes = 64 * 1024;

// Collects what the writer flushes; `accept` says how many flushes succeed.
struct Sink {
  std::vector<std::string> blocks;
  std::size_t accept = SIZE_MAX;

  RowStreamWriter::Flush Flush() {
    return [this](std::string_view bytes) {
      blocks.emplace_back(bytes);
      return blocks.size() <= accept;
    };
  }
  std::string Joined() const {
    std::string all;
    for (const std::string& block : blocks) all += block;
    return all;
  }
};

// Every field kind once, in a fixed order.
void WriteSampleRow(RowStreamWriter& writer, std::int64_t n) {
  const std::vector<std::string> coins = {"btc", "eth"};
  writer.BeginRow();
  writer.Int("n", n);
  writer.String("symbol", "COINBASE_SPOT_BTC_USD");
  writer.Double("price", 101.5);
  writer.OptionalDouble("vwap", std::nullopt);
  writer.OptionalDouble("close", 2.0);
  writer.Bool("incomplete", n % 2 == 1);
  writer.Timestamp("time", kSeedInstant);
  writer.StringList("coins", coins);
  writer.Null("sentiment");
  writer.Absent("text");
  writer.EndRow();
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  EXPECT_FALSE(document.HasParseError()) << "offset " << document.GetErrorOffset() << " of\n"
                                         << text.substr(0, 500);
  return document;
}

void ExpectSampleRow(const rapidjson::Value& row, std::int64_t n) {
  ASSERT_TRUE(row.IsObject());
  EXPECT_EQ(row.MemberCount(), 9u);  // 10 fields, "text" absent
  ASSERT_TRUE(row.HasMember("n") && row["n"].IsInt64());
  EXPECT_EQ(row["n"].GetInt64(), n);
  EXPECT_STREQ(row["symbol"].GetString(), "COINBASE_SPOT_BTC_USD");
  ASSERT_TRUE(row["price"].IsDouble());
  EXPECT_EQ(row["price"].GetDouble(), 101.5);
  EXPECT_TRUE(row["vwap"].IsNull());
  ASSERT_TRUE(row["close"].IsDouble());  // 2.0, not the integer 2
  EXPECT_EQ(row["close"].GetDouble(), 2.0);
  EXPECT_EQ(row["incomplete"].GetBool(), n % 2 == 1);
  EXPECT_EQ(std::string_view(row["time"].GetString()), kSeedText);
  ASSERT_TRUE(row["coins"].IsArray());
  ASSERT_EQ(row["coins"].Size(), 2u);
  EXPECT_STREQ(row["coins"][0].GetString(), "btc");
  EXPECT_STREQ(row["coins"][1].GetString(), "eth");
  EXPECT_TRUE(row.HasMember("sentiment") && row["sentiment"].IsNull());
  EXPECT_FALSE(row.HasMember("text"));
}

// Writes `rows` sample rows and finishes; returns what Finish returned.
bool WriteReply(RowStreamWriter& writer, std::int64_t rows,
                const std::optional<std::string>& next_cursor = std::nullopt) {
  for (std::int64_t n = 0; n < rows; ++n) WriteSampleRow(writer, n);
  return writer.Finish(next_cursor);
}

TEST(RowStreamWriterTest, JsonEnvelopeWithoutCursorWhenNotPaged) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kJson, /*paged=*/false, sink.Flush());
  EXPECT_TRUE(WriteReply(writer, 2, std::string("ignored")));
  const rapidjson::Document document = ParseJson(sink.Joined());
  ASSERT_TRUE(document.IsObject());
  EXPECT_EQ(document.MemberCount(), 1u);
  EXPECT_FALSE(document.HasMember("next_cursor"));
  ASSERT_TRUE(document["data"].IsArray());
  ASSERT_EQ(document["data"].Size(), 2u);
  ExpectSampleRow(document["data"][0], 0);
  ExpectSampleRow(document["data"][1], 1);
}

TEST(RowStreamWriterTest, PagedJsonCarriesNextCursorOrNull) {
  Sink with_cursor;
  RowStreamWriter paged(ResponseFormat::kJson, /*paged=*/true, with_cursor.Flush());
  EXPECT_TRUE(WriteReply(paged, 1, std::string("v1abc")));
  const rapidjson::Document document = ParseJson(with_cursor.Joined());
  ASSERT_TRUE(document.HasMember("next_cursor") && document["next_cursor"].IsString());
  EXPECT_STREQ(document["next_cursor"].GetString(), "v1abc");
  ASSERT_EQ(document["data"].Size(), 1u);
  ExpectSampleRow(document["data"][0], 0);

  Sink last_page;
  RowStreamWriter last(ResponseFormat::kJson, /*paged=*/true, last_page.Flush());
  EXPECT_TRUE(WriteReply(last, 0));
  EXPECT_EQ(last_page.Joined(), "{\"data\":[],\"next_cursor\":null}\n");
}

TEST(RowStreamWriterTest, EmptyJsonReplyIsAnEmptyArray) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kJson, /*paged=*/false, sink.Flush());
  EXPECT_TRUE(WriteReply(writer, 0));
  EXPECT_EQ(sink.Joined(), "{\"data\":[]}\n");
}

TEST(RowStreamWriterTest, CsvHeaderFromFirstRowAndEmptyCellsForAbsentAndNull) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kCsv, /*paged=*/true, sink.Flush());
  EXPECT_TRUE(WriteReply(writer, 2, std::string("v1abc")));
  // Absent and Null both leave the cell empty; a paged CSV reply has no cursor in the body.
  EXPECT_EQ(sink.Joined(),
            "n,symbol,price,vwap,close,incomplete,time,coins,sentiment,text\n"
            "0,COINBASE_SPOT_BTC_USD,101.5,,2.0,false,2018-07-16T20:11:51.123456Z,\"btc,eth\",,\n"
            "1,COINBASE_SPOT_BTC_USD,101.5,,2.0,true,2018-07-16T20:11:51.123456Z,\"btc,eth\",,\n");
}

TEST(RowStreamWriterTest, CsvQuotesCommasQuotesAndLineBreaks) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kCsv, /*paged=*/false, sink.Flush());
  writer.BeginRow();
  writer.String("plain", "moon soon");
  writer.String("comma", "a,b");
  writer.String("quote", "say \"hi\"");
  writer.String("newline", "line1\nline2");
  writer.String("return", "x\ry");
  writer.String("with,comma", "");
  writer.EndRow();
  EXPECT_TRUE(writer.Finish(std::nullopt));
  EXPECT_EQ(sink.Joined(),
            "plain,comma,quote,newline,return,\"with,comma\"\n"
            "moon soon,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"x\ry\",\n");
}

TEST(RowStreamWriterTest, EmptyCsvReplyIsEmpty) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kCsv, /*paged=*/false, sink.Flush());
  EXPECT_TRUE(writer.Finish(std::nullopt));
  EXPECT_EQ(sink.Joined(), "");
}

// Splits on '\n'; the text must end with one.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  EXPECT_EQ(start, text.size()) << "text does not end with a newline";
  return lines;
}

TEST(RowStreamWriterTest, NdjsonIsOneObjectPerLineWithoutEnvelope) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kNdjson, /*paged=*/true, sink.Flush());
  EXPECT_TRUE(WriteReply(writer, 3, std::string("v1abc")));
  const std::vector<std::string> lines = Lines(sink.Joined());
  ASSERT_EQ(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ExpectSampleRow(ParseJson(lines[i]), static_cast<std::int64_t>(i));
  }
}

// Enough rows for several 64 KiB blocks (each JSON row is about 250 bytes).
constexpr std::int64_t kManyRows = 2000;

// Every block but the last holds at least a block's worth and at most one row more.
void ExpectBlocks(const Sink& sink) {
  ASSERT_GT(sink.blocks.size(), 2u);
  for (std::size_t i = 0; i + 1 < sink.blocks.size(); ++i) {
    EXPECT_GE(sink.blocks[i].size(), kBlockBytes) << "block " << i;
    EXPECT_LT(sink.blocks[i].size(), kBlockBytes + 1024) << "block " << i;
  }
}

TEST(RowStreamWriterTest, LargeJsonReplyFlushesInBlocksThatFormOneDocument) {
  Sink sink;
  RowStreamWriter writer(ResponseFormat::kJson, /*paged=*/true, sink.Flush());
  EXPECT_TRUE(WriteReply(writer, kManyRows, std::string("v1end")));
  ExpectBlocks(sink);
  const rapidjson::Document document = ParseJson(sink.Joined());
  ASSERT_TRUE(document.IsObject());
  ASSERT_EQ(document["data"].Size(), static_cast<rapidjson::SizeType>(kManyRows));
  for (rapidjson::SizeType i = 0; i < document["data"].Size(); ++i) {
    ASSERT_EQ(document["data"][i]["n"].GetInt64(), static_cast<std::int64_t>(i));
  }
  EXPECT_STREQ(document["next_cursor"].GetString(), "v1end");
}

TEST(RowStreamWriterTest, LargeNdjsonAndCsvRepliesFlushInBlocksOfWholeRows) {
  for (ResponseFormat format : {ResponseFormat::kNdjson, ResponseFormat::kCsv}) {
    SCOPED_TRACE(static_cast<int>(format));
    Sink sink;
    RowStreamWriter writer(format, /*paged=*/false, sink.Flush());
    EXPECT_TRUE(WriteReply(writer, kManyRows * 2));
    ExpectBlocks(sink);
    for (const std::string& block : sink.blocks) EXPECT_EQ(block.back(), '\n');
    const std::vector<std::string> lines = Lines(sink.Joined());
    const bool csv = format == ResponseFormat::kCsv;
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kManyRows * 2 + (csv ? 1 : 0)));
    const std::size_t first_row = csv ? 1 : 0;
    for (std::size_t i = first_row; i < lines.size(); ++i) {
      // Rows in order: CSV "n,...", NDJSON {"n":n,...}.
      const std::string n = std::to_string(i - first_row);
      const std::string prefix = csv ? n + "," : "{\"n\":" + n + ",";
      ASSERT_EQ(lines[i].substr(0, prefix.size()), prefix);
    }
  }
}

TEST(RowStreamWriterTest, FailedFlushStopsFlushing) {
  for (std::size_t accept : {0u, 1u}) {
    SCOPED_TRACE(accept);
    Sink sink;
    sink.accept = accept;  // flush number accept + 1 reports the client gone
    RowStreamWriter writer(ResponseFormat::kJson, /*paged=*/true, sink.Flush());
    for (std::int64_t n = 0; n < kManyRows * 2 && sink.blocks.size() <= accept; ++n) {
      WriteSampleRow(writer, n);
    }
    ASSERT_EQ(sink.blocks.size(), accept + 1);
    EXPECT_FALSE(writer.ok());
    // Writing on (as a careless caller might) and finishing flush nothing more.
    for (std::int64_t n = 0; n < kManyRows; ++n) WriteSampleRow(writer, n);
    EXPECT_FALSE(writer.Finish(std::string("v1abc")));
    EXPECT_FALSE(writer.ok());
    EXPECT_EQ(sink.blocks.size(), accept + 1);
  }
}

TEST(RowStreamWriterTest, ContentTypes) {
  EXPECT_EQ(RowStreamWriter::ContentType(ResponseFormat::kJson), "application/json");
  EXPECT_EQ(RowStreamWriter::ContentType(ResponseFormat::kCsv), "text/csv; charset=utf-8");
  EXPECT_EQ(RowStreamWriter::ContentType(ResponseFormat::kNdjson), "application/x-ndjson");
}

}  // namespace
}  // namespace cryptomood::http
