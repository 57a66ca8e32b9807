#include "io/market_data_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "io/reject_sink.h"
#include "scratch_dir.h"

namespace cryptomood {
namespace {

using testing_support::ScratchDir;

std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof(text), "%08x-0000-4000-8000-%012x", n, n * 7);
  return text;
}

// A valid trade line; `second` is the second after 2018-07-16T20:11:00Z.
std::string Trade(int uuid, int second, double price = 100.0,
                  const std::string& symbol = "COINBASE_SPOT_BTC_USD") {
  char text[400];
  std::snprintf(text, sizeof(text),
                R"({"price": %.17g, "size": 1.5, "symbol_id": "%s", )"
                R"("timestamp": "2018-07-16T20:11:%02dZ", "uuid": "%s"})",
                price, symbol.c_str(), second, Uuid(uuid).c_str());
  return text;
}

std::string Tweet(int second, double polarity, const std::string& coins = R"(["BTC"])",
                  const std::string& text = "TEST") {
  char line[400];
  std::snprintf(line, sizeof(line),
                R"({"coins": %s, "sentiment_polarity": %.17g, "text": "%s", )"
                R"("timestamp": "2018-07-16T20:11:%02dZ"})",
                coins.c_str(), polarity, text.c_str(), second);
  return line;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

struct RecordedReject {
  std::string file;
  std::int64_t line;
  std::string reason;
  std::string raw;
  friend bool operator==(const RecordedReject&, const RecordedReject&) = default;
};

class RecordingSink : public RejectSink {
 public:
  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view raw_line) override {
    rejects.push_back({std::string(file), line_number, std::string(reason), std::string(raw_line)});
  }
  std::vector<RecordedReject> rejects;
};

class LoaderTest : public ::testing::Test {
 protected:
  // A tweet file that always loads, for tests about trades (and the reverse).
  std::string SomeTweets() { return dir_.Write("some_tweets.txt", Lines({Tweet(1, 0.5)})); }
  std::string SomeTrades() { return dir_.Write("some_trades.txt", Lines({Trade(999, 1)})); }

  LoadOptions Options(std::vector<std::string> trades, std::vector<std::string> tweets) {
    LoadOptions options;
    options.trade_files = std::move(trades);
    options.sentiment_files = std::move(tweets);
    options.rejects = &sink_;
    return options;
  }

  ScratchDir dir_;
  RecordingSink sink_;
};

TEST_F(LoaderTest, SeedFilesLoadCompletely) {
  for (int threads : {1, 2}) {
    LoadOptions options =
        Options({std::string(CRYPTOMOOD_SEED_DIR) + "/historical_coin_data.txt"},
                {std::string(CRYPTOMOOD_SEED_DIR) + "/historical_sentiment_data.txt"});
    options.threads = threads;
    auto loaded = LoadMarketData(options);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->trades.lines, 308);
    EXPECT_EQ(loaded->trades.accepted, 308);
    EXPECT_EQ(loaded->trades.rejected, 0);
    EXPECT_EQ(loaded->trades.duplicates, 0);
    EXPECT_EQ(loaded->sentiment.lines, 94);
    EXPECT_EQ(loaded->sentiment.accepted, 94);
    EXPECT_EQ(loaded->sentiment.rejected, 0);
    EXPECT_EQ(loaded->sentiment.duplicates, 0);
    EXPECT_TRUE(sink_.rejects.empty());
    // Per-symbol counts from `grep -c` on the seed file: BTC 89, ETH 98, LTC 121.
    const MarketData& data = loaded->data;
    ASSERT_EQ(data.symbols().size(), 3u);
    std::size_t total = 0;
    for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
      const std::string& id = data.symbols()[symbol].symbol_id;
      const std::size_t count = data.trades(symbol).size();
      total += count;
      const std::size_t expected_count = id == "COINBASE_SPOT_BTC_USD"   ? 89
                                         : id == "COINBASE_SPOT_ETH_USD" ? 98
                                         : id == "COINBASE_SPOT_LTC_USD" ? 121
                                                                         : 0;
      EXPECT_EQ(count, expected_count) << id;
      EXPECT_EQ(data.coins()[data.symbols()[symbol].coin], id.substr(14, 3));
    }
    EXPECT_EQ(total, 308u);
    EXPECT_EQ(data.all_sentiment().size(), 94u);
  }
}

// Each tweet is filed under each coin it names (once, even if named twice), across chunks
// and threads; each trade under its own symbol. Expected counts worked out by hand below.
TEST_F(LoaderTest, RecordsAreFiledUnderTheirOwnCoinsAndSymbols) {
  const std::string tweets = dir_.Write("tweets.txt", Lines({
                                                          Tweet(1, 0.1, R"(["ETH"])"),
                                                          Tweet(2, 0.2, R"(["BTC", "LTC"])"),
                                                          Tweet(3, 0.3, R"(["LTC", "ETH", "LTC"])"),
                                                          Tweet(4, 0.4, R"(["XRP"])"),
                                                          Tweet(5, 0.5, R"(["BTC"])"),
                                                          Tweet(6, 0.6, R"(["ETH", "BTC"])"),
                                                      }));
  const std::string trades = dir_.Write(
      "trades.txt", Lines({Trade(1, 1, 10.0, "X_SPOT_ETH_USD"), Trade(2, 2, 20.0, "X_SPOT_BTC_USD"),
                           Trade(3, 3, 30.0, "Y_SPOT_ETH_EUR"), Trade(4, 4, 40.0, "X_SPOT_ETH_USD"),
                           Trade(5, 5, 50.0, "X_SPOT_BTC_USD")}));
  // ETH: tweets 1, 3, 6; BTC: 2, 5, 6; LTC: 2, 3; XRP: 4.
  const std::vector<std::pair<std::string, std::vector<double>>> expected_tweets = {
      {"ETH", {0.1, 0.3, 0.6}}, {"BTC", {0.2, 0.5, 0.6}}, {"LTC", {0.2, 0.3}}, {"XRP", {0.4}}};
  const std::vector<std::pair<std::string, std::vector<double>>> expected_trades = {
      {"X_SPOT_ETH_USD", {10.0, 40.0}},
      {"X_SPOT_BTC_USD", {20.0, 50.0}},
      {"Y_SPOT_ETH_EUR", {30.0}}};
  for (const std::size_t chunk_bytes : {std::size_t{1}, std::size_t{150}, std::size_t{1} << 20}) {
    for (const int threads : {1, 2}) {
      LoadOptions options = Options({trades}, {tweets});
      options.chunk_bytes = chunk_bytes;
      options.threads = threads;
      auto loaded = LoadMarketData(options);
      ASSERT_TRUE(loaded.ok()) << loaded.error().message;
      const MarketData& data = loaded->data;
      for (const auto& [coin, polarities] : expected_tweets) {
        const auto index = data.FindCoin(coin);
        ASSERT_TRUE(index.has_value()) << coin;
        std::vector<double> actual;
        for (const SentimentPoint& point : data.sentiment(*index)) actual.push_back(point.polarity);
        EXPECT_EQ(actual, polarities) << coin << " chunk " << chunk_bytes;
      }
      ASSERT_EQ(data.symbols().size(), expected_trades.size());
      for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
        const std::string& id = data.symbols()[symbol].symbol_id;
        std::vector<double> prices;
        for (const TradePoint& point : data.trades(symbol)) prices.push_back(point.price);
        bool found = false;
        for (const auto& [expected_id, expected_prices] : expected_trades) {
          if (expected_id != id) continue;
          found = true;
          EXPECT_EQ(prices, expected_prices) << id << " chunk " << chunk_bytes;
        }
        EXPECT_TRUE(found) << id;
        EXPECT_EQ(data.coins()[data.symbols()[symbol].coin], id.substr(7, 3));
      }
    }
  }
}

TEST_F(LoaderTest, KeepsPricesAndTimestamps) {
  const std::string trades = dir_.Write("t.txt", Lines({Trade(1, 5, 101.25), Trade(2, 3, 99.5)}));
  auto loaded = LoadMarketData(Options({trades}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->data.symbols().size(), 1u);
  auto series = loaded->data.trades(0);
  ASSERT_EQ(series.size(), 2u);
  // 2018-07-16T20:11:00Z = 1531771911 - 51 s; sorted by time.
  EXPECT_EQ(series[0].timestamp, (1'531'771'860LL + 3) * kNanosPerSecond);
  EXPECT_EQ(series[0].price, 99.5);
  EXPECT_EQ(series[1].price, 101.25);
  EXPECT_EQ(series[1].size, 1.5);
}

// Bad lines at known places; every combination of thread count and chunk size (down to
// chunks smaller than one line) must number them the same.
TEST_F(LoaderTest, LineNumbersAreGlobalAcrossChunks) {
  std::vector<std::string> lines;
  std::vector<RecordedReject> expected;
  const std::string path = dir_.Path("numbered.txt");
  for (int i = 1; i <= 200; ++i) {
    if (i % 17 == 0) {
      lines.push_back(R"({"price": -1})");
      expected.push_back({path, i, "price is not a finite number > 0", lines.back()});
    } else {
      lines.push_back(Trade(i, i % 60));
    }
  }
  dir_.Write("numbered.txt", Lines(lines));
  for (int threads : {1, 2, 3}) {
    for (std::size_t chunk_bytes : {std::size_t{1}, std::size_t{64}, std::size_t{700},
                                    std::size_t{4096}, std::size_t{1} << 20}) {
      sink_.rejects.clear();
      LoadOptions options = Options({path}, {SomeTweets()});
      options.threads = threads;
      options.chunk_bytes = chunk_bytes;
      auto loaded = LoadMarketData(options);
      ASSERT_TRUE(loaded.ok()) << loaded.error().message;
      EXPECT_EQ(loaded->trades.lines, 200);
      EXPECT_EQ(loaded->trades.rejected, 11);
      EXPECT_EQ(loaded->trades.accepted, 189);
      EXPECT_EQ(sink_.rejects, expected) << threads << " threads, chunk " << chunk_bytes;
    }
  }
}

TEST_F(LoaderTest, EmptyLinesAreRejectedButNotTheFinalNewline) {
  const std::string path =
      dir_.Write("blank.txt", Trade(1, 1) + "\n\n" + Trade(2, 2) + "\n  \t\n" + Trade(3, 3));
  auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.lines, 5);  // no newline after the last line: still a line
  EXPECT_EQ(loaded->trades.accepted, 3);
  EXPECT_EQ(loaded->trades.rejected, 2);
  const std::vector<RecordedReject> expected = {{path, 2, "empty line", ""},
                                                {path, 4, "empty line", "  \t"}};
  EXPECT_EQ(sink_.rejects, expected);

  sink_.rejects.clear();
  const std::string trailing = dir_.Write("trailing.txt", Lines({Trade(1, 1), Trade(2, 2)}));
  auto again = LoadMarketData(Options({trailing}, {SomeTweets()}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->trades.lines, 2);
  EXPECT_EQ(again->trades.rejected, 0);
}

TEST_F(LoaderTest, CrLfLineEndingsAreAccepted) {
  const std::string path = dir_.Write("crlf.txt", Trade(1, 1) + "\r\n" + Trade(2, 2) + "\r\n");
  auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.accepted, 2);
}

TEST_F(LoaderTest, DuplicateTradesAcrossFilesInInputOrder) {
  const std::string first =
      dir_.Write("a.txt", Lines({Trade(1, 1, 10), Trade(2, 2, 20), Trade(1, 3, 30)}));
  const std::string second = dir_.Write("b.txt", Lines({Trade(2, 4, 40), Trade(3, 5, 50)}));
  auto loaded = LoadMarketData(Options({first, second}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.lines, 5);
  EXPECT_EQ(loaded->trades.accepted, 3);
  EXPECT_EQ(loaded->trades.duplicates, 2);
  EXPECT_EQ(loaded->trades.rejected, 0);
  // The first occurrence wins: prices 10, 20, 50 remain.
  auto series = loaded->data.trades(0);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].price, 10);
  EXPECT_EQ(series[1].price, 20);
  EXPECT_EQ(series[2].price, 50);
}

TEST_F(LoaderTest, UuidCaseDoesNotMakeADifferentTrade) {
  std::string upper = Trade(0xabc, 2);
  const std::string lower_uuid = Uuid(0xabc);
  std::string upper_uuid = lower_uuid;
  for (char& c : upper_uuid) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  ASSERT_NE(upper_uuid, lower_uuid);
  upper.replace(upper.find(lower_uuid), lower_uuid.size(), upper_uuid);
  const std::string path = dir_.Write("case.txt", Lines({Trade(0xabc, 1), upper}));
  auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.duplicates, 1);
}

TEST_F(LoaderTest, DuplicateTweetsByContent) {
  const std::string path = dir_.Write(
      "tweets.txt", Lines({Tweet(1, 0.5, R"(["BTC", "ETH"])"),
                           Tweet(1, 0.5, R"(["ETH", "BTC"])"),  // same set, other order: duplicate
                           Tweet(1, 0.5, R"(["ETH", "BTC", "BTC"])"),  // same set again: duplicate
                           Tweet(1, 0.5, R"(["BTC"])"),                // other set
                           Tweet(1, 0.25, R"(["BTC", "ETH"])"),        // other polarity
                           Tweet(2, 0.5, R"(["BTC", "ETH"])"),         // other time
                           Tweet(1, 0.5, R"(["BTC", "ETH"])", "other text")}));
  const std::string more = dir_.Write("more.txt", Lines({Tweet(1, 0.5, R"(["BTC", "ETH"])")}));
  auto loaded = LoadMarketData(Options({SomeTrades()}, {path, more}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->sentiment.lines, 8);
  EXPECT_EQ(loaded->sentiment.accepted, 5);
  EXPECT_EQ(loaded->sentiment.duplicates, 3);
  EXPECT_EQ(loaded->data.all_sentiment().size(), 5u);
}

TEST_F(LoaderTest, TimeRangeKeepsOutsideLinesOutOfTheData) {
  const std::string path =
      dir_.Write("range.txt", Lines({Trade(1, 1), Trade(2, 10), Trade(3, 20), Trade(4, 30)}));
  LoadOptions options = Options({path}, {SomeTweets()});
  options.range.from = (1'531'771'860LL + 10) * kNanosPerSecond;
  options.range.to = (1'531'771'860LL + 30) * kNanosPerSecond;
  auto loaded = LoadMarketData(options);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.accepted, 4);
  ASSERT_EQ(loaded->data.symbols().size(), 1u);
  ASSERT_EQ(loaded->data.trades(0).size(), 2u);  // seconds 10 and 20: [from, to)
  EXPECT_EQ(loaded->data.trades(0)[0].timestamp, *options.range.from);
}

TEST_F(LoaderTest, StrictFailsOnTheFirstBadLine) {
  std::vector<std::string> lines;
  for (int i = 1; i <= 50; ++i) lines.push_back(Trade(i, 1));
  lines[29] = R"({"price": 1, "price": 2})";
  lines[39] = "garbage";
  const std::string path = dir_.Write("strict.txt", Lines(lines));
  for (int threads : {1, 2}) {
    LoadOptions options = Options({path}, {SomeTweets()});
    options.strict = true;
    options.threads = threads;
    options.chunk_bytes = 256;
    auto loaded = LoadMarketData(options);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().kind, ErrorKind::kRejected);
    EXPECT_EQ(loaded.error().message, path + ":30: duplicate field 'price'");
  }
  // Duplicates are not bad lines.
  const std::string dups = dir_.Write("dups.txt", Lines({Trade(1, 1), Trade(1, 1)}));
  LoadOptions options = Options({dups}, {SomeTweets()});
  options.strict = true;
  EXPECT_TRUE(LoadMarketData(options).ok());
}

TEST(ReportingRejectSink, EscapesMessagesAndStreamsLongLinesWhole) {
  ScratchDir dir;
  std::ostringstream messages;
  const std::string reject_path = dir.Path("rejects.txt");
  auto sink = ReportingRejectSink::Open(reject_path, messages);
  ASSERT_TRUE(sink.ok());
  sink->Reject("in\x1b[2J.txt", 3, "symbol_id '\a' is bad", "first part,");
  sink->ContinueRawLine(" second part,");
  sink->ContinueRawLine(" third part");
  sink->Reject("in.txt", 4, "short", std::string("a\0b", 3));
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_EQ(messages.str(), "in\\x1b[2J.txt:3: symbol_id '\\x07' is bad\nin.txt:4: short\n");
  EXPECT_EQ(ScratchDir::Read(reject_path),
            "first part, second part, third part\n" + std::string("a\0b\n", 4));
}

TEST_F(LoaderTest, ReportingSinkPrintsFirstRejectsAndWritesRawLinesVerbatim) {
  std::vector<std::string> lines = {
      Trade(1, 1), "not json \xff bytes", Trade(2, 2), R"({"price": 0})", "", R"([1,2])",
      Trade(3, 3)};
  const std::string path = dir_.Write("mixed.txt", Lines(lines));
  std::ostringstream messages;
  auto sink = ReportingRejectSink::Open(dir_.Path("rejects.txt"), messages, 2);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  LoadOptions options = Options({path}, {SomeTweets()});
  options.rejects = &*sink;
  auto loaded = LoadMarketData(options);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_EQ(loaded->trades.rejected, 4);
  EXPECT_EQ(sink->rejected(), 4);
  EXPECT_EQ(messages.str(), path + ":2: not a JSON object\n" + path +
                                ":4: price is not a finite number > 0\n"
                                "... and 2 more rejected lines\n");
  EXPECT_EQ(ScratchDir::Read(dir_.Path("rejects.txt")),
            Lines({lines[1], lines[3], lines[4], lines[5]}));
}

TEST_F(LoaderTest, WholeFileProblemsGiveOneClearError) {
  struct Case {
    std::string name;
    std::string bytes;
    bool as_trades;
    std::string message_suffix;
  };
  const std::vector<Case> cases = {
      {"empty.txt", "", true, " is empty"},
      {"nul.txt", std::string("\x7f\x45\x4c\x46\x02\x01\x01\0\0\0", 10) + Trade(1, 1), true,
       " does not look like JSON lines (binary data)"},
      // The gzip magic number, then no deflate data: an archive damaged from its start.
      {"fake.gz", std::string("\x1f\x8b\x08\0\0\0", 6) + Trade(1, 1), true,
       " has no valid line (first: FILE:1: corrupt gzip data at byte 15: invalid stored block "
       "lengths)"},
      {"latin1.txt", "{\"text\": \"caf\xe9\"}\n{\"text\": \"th\xe9\"}\n" + Trade(1, 1) + "\n", true,
       " does not look like JSON lines (binary data)"},
      {"nul_lines.txt", Lines({std::string(4, '\0'), Trade(1, 1), std::string(3, '\0')}), true,
       " does not look like JSON lines (binary data)"},
      {"tweets_as_trades.txt", Lines({Tweet(1, 0.1), Tweet(2, 0.2)}), true,
       " looks like sentiment data, not trades"},
      {"trades_as_tweets.txt", Lines({Trade(1, 1), Trade(2, 2)}), false,
       " looks like trades, not sentiment data"},
      {"csv.txt", "time,price\n2018-07-16,100\n", true, ": CSV header has no column 'size'"},
      {"csv_twice.txt", "price,size,symbol_id,timestamp,uuid,amount\n", true,
       ": CSV header names the field 'size' twice ('size' and 'amount')"},
      {"csv_header_only.txt", "price,size,symbol_id,timestamp,uuid\r\n", true,
       " has no valid line (no line after its header)"},
      {"csv_tweets_as_trades.txt", "timestamp,coins,sentiment_polarity,text\n", true,
       " looks like sentiment data, not trades"},
      {"csv_trades_as_tweets.txt", "timestamp,amount,price,symbol,uuid\n", false,
       " looks like trades, not sentiment data"},
      {"not_csv.txt", "time,cost\n2018-07-16,100\n", true,
       " has no valid line (first: FILE:1: not a JSON object)"},
      {"blank.txt", "\n\n", true, " has no valid line (first: FILE:1: empty line)"},
  };
  for (const Case& c : cases) {
    const std::string path = dir_.Write(c.name, c.bytes);
    auto loaded = c.as_trades ? LoadMarketData(Options({path}, {SomeTweets()}))
                              : LoadMarketData(Options({SomeTrades()}, {path}));
    ASSERT_FALSE(loaded.ok()) << c.name;
    EXPECT_EQ(loaded.error().kind, ErrorKind::kFailure) << c.name;
    std::string expected = path + c.message_suffix;
    if (const auto at = expected.find("FILE"); at != std::string::npos) {
      expected.replace(at, 4, path);
    }
    EXPECT_EQ(loaded.error().message, expected) << c.name;
  }
}

TEST_F(LoaderTest, ANulLineIsOneRejectedLineWhereverItStands) {
  // Binary means most of the first lines are not text; one NUL line is one bad line.
  const std::string nul_line = std::string("{\"price\": \0\0}", 13);
  for (std::size_t at : {0, 1, 5}) {
    std::vector<std::string> lines = {Trade(1, 1), Trade(2, 2), Trade(3, 3),
                                      Trade(4, 4), Trade(5, 5), Trade(6, 6)};
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), nul_line);
    const std::string path = dir_.Write("nul_" + std::to_string(at) + ".txt", Lines(lines));
    sink_.rejects.clear();
    auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
    ASSERT_TRUE(loaded.ok()) << at << ": " << loaded.error().message;
    EXPECT_EQ(loaded->trades.accepted, 6) << at;
    ASSERT_EQ(sink_.rejects.size(), 1u) << at;
    EXPECT_EQ(sink_.rejects[0].line, static_cast<std::int64_t>(at) + 1);
    EXPECT_EQ(sink_.rejects[0].reason, "NUL byte in the line: not text");
    EXPECT_EQ(sink_.rejects[0].raw, nul_line);
  }
}

TEST_F(LoaderTest, AByteOrderMarkDoesNotMakeTheFirstLineBad) {
  const std::string path =
      dir_.Write("bom.txt", "\xEF\xBB\xBF" + Lines({Trade(1, 1), Trade(2, 2)}));
  auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.accepted, 2);
  EXPECT_EQ(loaded->trades.rejected, 0);
}

// A stray first line naming a column, before JSON lines, is one bad line, not a CSV header.
TEST_F(LoaderTest, AStrayFirstLineBeforeJsonLinesIsNoCsvHeader) {
  const std::string path = dir_.Write("stray.txt", Lines({"price", Trade(1, 1), Trade(2, 2)}));
  auto loaded = LoadMarketData(Options({path}, {SomeTweets()}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->trades.lines, 3);
  EXPECT_EQ(loaded->trades.accepted, 2);
  EXPECT_EQ(loaded->trades.rejected, 1);
}

TEST_F(LoaderTest, MissingFileAndDirectory) {
  auto missing = LoadMarketData(Options({dir_.Path("nope.txt")}, {SomeTweets()}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot open " + dir_.Path("nope.txt") + ": No such file or directory");
  auto directory = LoadMarketData(Options({SomeTrades()}, {dir_.Path("")}));
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos);
}

TEST_F(LoaderTest, ValidUtf8TextIsNotBinary) {
  const std::string path = dir_.Write(
      "utf8.txt", Lines({Tweet(1, 0.5, R"(["BTC"])", "caf\xc3\xa9 \xf0\x9f\x9a\x80 moon")}));
  auto loaded = LoadMarketData(Options({SomeTrades()}, {path}));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->sentiment.accepted, 1);
}

TEST_F(LoaderTest, ManyChunksManyThreadsSameResult) {
  // A larger file whose figures are known by construction: 5000 trades, every 10th a
  // repeat of the previous uuid, every 13th broken.
  std::vector<std::string> lines;
  int expected_accepted = 0;
  int expected_duplicates = 0;
  int expected_rejected = 0;
  for (int i = 0; i < 5000; ++i) {
    if (i % 13 == 12) {
      lines.push_back(R"({"uuid": "x"})");
      ++expected_rejected;
    } else if (i % 10 == 9) {
      lines.push_back(Trade(i - 1, i % 60));
      // The previous line may have been a broken one, then this uuid is new.
      if ((i - 1) % 13 == 12) {
        ++expected_accepted;
      } else {
        ++expected_duplicates;
      }
    } else {
      lines.push_back(Trade(i, i % 60, 100 + i % 7));
      ++expected_accepted;
    }
  }
  const std::string path = dir_.Write("many.txt", Lines(lines));
  for (int threads : {1, 2, 4}) {
    LoadOptions options = Options({path}, {SomeTweets()});
    options.threads = threads;
    options.chunk_bytes = 1000;
    sink_.rejects.clear();
    auto loaded = LoadMarketData(options);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->trades.lines, 5000);
    EXPECT_EQ(loaded->trades.accepted, expected_accepted);
    EXPECT_EQ(loaded->trades.duplicates, expected_duplicates);
    EXPECT_EQ(loaded->trades.rejected, expected_rejected);
    ASSERT_EQ(sink_.rejects.size(), static_cast<std::size_t>(expected_rejected));
    EXPECT_EQ(sink_.rejects.front().line, 13);
    EXPECT_EQ(sink_.rejects.back().line, 4992);  // 0-based 4991 = 13 * 383 + 12
  }
}

}  // namespace
}  // namespace cryptomood
