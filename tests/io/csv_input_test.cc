// The CSV form of the inputs: splitting a line (RFC 4180 quoting, CRLF), reading a header
// against a record kind's columns (aliases, missing and repeated columns), telling a CSV
// file from JSON lines, and validating rows through the same per-field checks as JSON lines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/csv_columns.h"
#include "io/csv_line.h"
#include "io/line_format.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace cryptomood {
namespace {

std::vector<std::string> SplitOrDie(std::string_view line) {
  CsvLineSplitter splitter;
  const Status status = splitter.Split(line);
  EXPECT_TRUE(status.ok()) << status.error().message;
  return {splitter.fields().begin(), splitter.fields().end()};
}

std::string SplitError(std::string_view line) {
  CsvLineSplitter splitter;
  const Status status = splitter.Split(line);
  return status.ok() ? "accepted" : status.error().message;
}

TEST(CsvLineSplitterTest, SplitsPlainAndQuotedFields) {
  EXPECT_EQ(SplitOrDie("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitOrDie("a,,c,"), (std::vector<std::string>{"a", "", "c", ""}));
  EXPECT_EQ(SplitOrDie(""), (std::vector<std::string>{""}));
  EXPECT_EQ(SplitOrDie(R"("x, y",z)"), (std::vector<std::string>{"x, y", "z"}));
  EXPECT_EQ(SplitOrDie(R"("say ""hi""",""""," ""a"" ")"),
            (std::vector<std::string>{R"(say "hi")", R"(")", R"( "a" )"}));
  EXPECT_EQ(SplitOrDie(R"("",b)"), (std::vector<std::string>{"", "b"}));
}

TEST(CsvLineSplitterTest, ACarriageReturnBeforeTheNewlineIsNoData) {
  EXPECT_EQ(SplitOrDie("a,b\r"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(SplitOrDie("a,\"b\"\r"), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvLineSplitterTest, RejectsBrokenQuoting) {
  EXPECT_EQ(SplitError(R"(a,"b)"),
            "unclosed quote in CSV field 2 (a line break inside a quoted field is not supported)");
  EXPECT_EQ(SplitError(R"(a,"b""c)"),
            "unclosed quote in CSV field 2 (a line break inside a quoted field is not supported)");
  EXPECT_EQ(SplitError(R"("a"b,c)"), "text after the closing quote of CSV field 1");
  EXPECT_EQ(SplitError(R"(a,b"c)"), "quote inside the unquoted CSV field 2");
}

std::string HeaderError(std::string_view header, const CsvSchema& schema) {
  CsvLineSplitter splitter;
  EXPECT_TRUE(splitter.Split(header).ok());
  auto columns = CsvColumns::FromHeader(splitter.fields(), schema);
  return columns.ok() ? "accepted" : columns.error().message;
}

TEST(CsvColumnsTest, NamesFieldsByNameOrAliasAndIgnoresOthers) {
  CsvLineSplitter splitter;
  ASSERT_TRUE(splitter.Split("extra, amount ,price,symbol,timestamp,uuid").ok());
  auto columns = CsvColumns::FromHeader(splitter.fields(), TradeParser::CsvColumnSchema());
  ASSERT_TRUE(columns.ok()) << columns.error().message;
  const auto& fields = TradeParser::CsvColumnSchema().fields;
  const std::vector<int> ids(columns->fields().begin(), columns->fields().end());
  ASSERT_EQ(ids.size(), 6U);
  EXPECT_EQ(ids[0], CsvColumns::kIgnored);
  EXPECT_EQ(fields[static_cast<std::size_t>(ids[1])], "size");
  EXPECT_EQ(fields[static_cast<std::size_t>(ids[2])], "price");
  EXPECT_EQ(fields[static_cast<std::size_t>(ids[3])], "symbol_id");
}

TEST(CsvColumnsTest, AHeaderWithoutARequiredFieldOrWithARepeatedOneFails) {
  const CsvSchema& trades = TradeParser::CsvColumnSchema();
  EXPECT_EQ(HeaderError("price,size,symbol_id,timestamp", trades),
            "CSV header has no column 'uuid'");
  EXPECT_EQ(HeaderError("price,size,symbol_id,timestamp,uuid,price", trades),
            "CSV header names the column 'price' twice");
  EXPECT_EQ(HeaderError("price,size,symbol_id,timestamp,uuid,amount", trades),
            "CSV header names the field 'size' twice ('size' and 'amount')");
  EXPECT_EQ(HeaderError("price,size,symbol_id,timestamp,uuid,x,x", trades),
            "CSV header names the column 'x' twice");
  EXPECT_EQ(HeaderError("coins,timestamp,text", SentimentParser::CsvColumnSchema()),
            "CSV header has no column 'sentiment_polarity'");
  // An alias belongs to trades only.
  EXPECT_EQ(HeaderError("coins,timestamp,amount", SentimentParser::CsvColumnSchema()),
            "CSV header has no column 'sentiment_polarity'");
}

TEST(LineFormatTest, ACsvFileStartsWithAHeaderNamingAKnownColumn) {
  EXPECT_TRUE(StartsWithCsvHeader("timestamp,price,amount,symbol,uuid"));
  EXPECT_TRUE(StartsWithCsvHeader("\xEF\xBB\xBF  coins,sentiment_polarity,timestamp\r"));
  EXPECT_TRUE(StartsWithCsvHeader("whatever,\"text\""));
  EXPECT_FALSE(StartsWithCsvHeader(R"({"price": 1, "size": 2})"));
  EXPECT_FALSE(StartsWithCsvHeader(R"(  {"timestamp,price)"));
  EXPECT_FALSE(StartsWithCsvHeader("a,b,c"));
  EXPECT_FALSE(StartsWithCsvHeader(""));
  EXPECT_FALSE(StartsWithCsvHeader("price,\"size"));
  // JSON lines after one stray line stay JSON lines.
  EXPECT_FALSE(StartsWithCsvHeader("price,size\n  {\"price\": 1}\n"));
  EXPECT_TRUE(StartsWithCsvHeader("price,size\n1,2\n{\"price\": 1}\n"));
  EXPECT_TRUE(StartsWithCsvHeader("price,size\n"));

  const FileFormat json = DecideFileFormat(RecordKind::kTrade, R"({"price": 1})");
  EXPECT_FALSE(json.csv);
  const FileFormat bad = DecideFileFormat(RecordKind::kTrade, "price,size");
  EXPECT_TRUE(bad.csv);
  EXPECT_EQ(bad.HeaderStatus("t.csv").error().message,
            "t.csv: CSV header has no column 'symbol_id'");
}

constexpr std::string_view kTradeHeader =
    "coins,price,sequence,size,symbol_id,taker_side,timestamp,time_exchange,type,uuid";
constexpr std::string_view kValidTradeRow =
    "ETH,427.92187479239936,4068,66.59917596430333,COINBASE_SPOT_ETH_USD,SELL_ESTIMATED,"
    "2018-07-16T20:11:51.747745Z,2018-07-16T20:11:51.747745Z,trade,"
    "77ba9eed-c909-4903-8315-1bfb96c49b6e";

// Parses CSV rows under one header through FormattedLineParser, as the loaders do.
template <typename Parser, typename Record>
class CsvRows {
 public:
  CsvRows(RecordKind kind, std::string_view header) : format_(DecideFileFormat(kind, header)) {
    EXPECT_TRUE(format_.header.ok()) << format_.header.error().message;
  }
  // "accepted" or the reason. The record views the row, kept until the next call.
  std::string Verdict(std::string_view row) {
    row_ = std::string(row) + std::string(simdjson::SIMDJSON_PADDING, ' ');
    const Status status = parser_.Parse(
        format_, simdjson::padded_string_view(row_.data(), row.size(), row_.size()), record_);
    return status.ok() ? "accepted" : status.error().message;
  }
  const Record& record() const { return record_; }

 private:
  FileFormat format_;
  std::string row_;
  FormattedLineParser<Parser> parser_;
  Record record_;
};

using TradeRows = CsvRows<TradeParser, TradeRecord>;
using SentimentRows = CsvRows<SentimentParser, SentimentRecord>;

// The seed's valid trade row with the cell of column `column` replaced.
std::string TradeRowWith(std::size_t column, std::string_view cell) {
  std::vector<std::string> cells = SplitOrDie(kValidTradeRow);
  cells.at(column) = cell;
  std::string row;
  for (std::size_t i = 0; i < cells.size(); ++i) row += (i == 0 ? "" : ",") + cells[i];
  return row;
}

TEST(CsvRowTest, AValidTradeRowFillsTheRecordAsItsJsonLineDoes) {
  TradeRows rows(RecordKind::kTrade, kTradeHeader);
  ASSERT_EQ(rows.Verdict(std::string(kValidTradeRow) + "\r"), "accepted");
  TradeRecord json;
  TradeParser json_parser;
  ASSERT_TRUE(
      json_parser
          .ParseUnpadded(
              R"({"coins": ["ETH"], "price": 427.92187479239936, "sequence": 4068, )"
              R"("size": 66.59917596430333, "symbol_id": "COINBASE_SPOT_ETH_USD", )"
              R"("taker_side": "SELL_ESTIMATED", "timestamp": "2018-07-16T20:11:51.747745Z", )"
              R"("time_exchange": "2018-07-16T20:11:51.747745Z", "type": "trade", )"
              R"("uuid": "77ba9eed-c909-4903-8315-1bfb96c49b6e"})",
              json)
          .ok());
  const TradeRecord& csv = rows.record();
  EXPECT_EQ(csv.timestamp, json.timestamp);
  EXPECT_EQ(csv.time_exchange, json.time_exchange);
  EXPECT_EQ(csv.price, json.price);
  EXPECT_EQ(csv.size, json.size);
  EXPECT_EQ(csv.sequence, json.sequence);
  EXPECT_EQ(csv.symbol_id, json.symbol_id);
  EXPECT_EQ(csv.base, json.base);
  EXPECT_EQ(csv.quote, json.quote);
  EXPECT_EQ(csv.taker_side, json.taker_side);
  EXPECT_EQ(csv.type, json.type);
  EXPECT_EQ(csv.uuid, json.uuid);
  EXPECT_EQ(csv.coins, json.coins);
}

TEST(CsvRowTest, AliasesAndEmptyOptionalCellsAreAccepted) {
  TradeRows rows(RecordKind::kTrade, "uuid,symbol,amount,price,timestamp,sequence,coins");
  ASSERT_EQ(rows.Verdict("77ba9eed-c909-4903-8315-1bfb96c49b6e,COINBASE_SPOT_ETH_USD,1.5,"
                         "427.5,2018-07-16T20:11:51Z,,"),
            "accepted");
  EXPECT_EQ(rows.record().size, 1.5);
  EXPECT_EQ(rows.record().base, "ETH");
  EXPECT_FALSE(rows.record().sequence.has_value());
  EXPECT_TRUE(rows.record().coins.empty());
}

TEST(CsvRowTest, BadTradeRowsGetTheJsonPathsReasons) {
  TradeRows rows(RecordKind::kTrade, kTradeHeader);
  EXPECT_EQ(rows.Verdict(TradeRowWith(1, "-1")), "price is not a finite number > 0");
  EXPECT_EQ(rows.Verdict(TradeRowWith(1, "1.5x")), "price is not a finite number > 0");
  EXPECT_EQ(rows.Verdict(TradeRowWith(1, "inf")), "price is not a finite number > 0");
  EXPECT_EQ(rows.Verdict(TradeRowWith(1, "")), "missing field 'price'");
  EXPECT_EQ(rows.Verdict(TradeRowWith(2, "12.5")), "sequence is not a 64-bit integer");
  EXPECT_EQ(rows.Verdict(TradeRowWith(5, "HOLD")),
            "taker_side 'HOLD' is not BUY, SELL, BUY_ESTIMATED or SELL_ESTIMATED");
  EXPECT_EQ(rows.Verdict(TradeRowWith(0, "BTC")),
            R"(coins ["BTC"] disagree with symbol_id COINBASE_SPOT_ETH_USD)");
  EXPECT_EQ(rows.Verdict(TradeRowWith(0, "ETH|")), "coins holds an empty string");
  EXPECT_EQ(rows.Verdict(TradeRowWith(9, "nope")), "uuid 'nope' is not 8-4-4-4-12 hex digits");
  EXPECT_EQ(rows.Verdict(std::string(kValidTradeRow) + ",extra"),
            "CSV row has 11 fields, the header 10");
  EXPECT_EQ(rows.Verdict("ETH,1"), "CSV row has 2 fields, the header 10");
  EXPECT_EQ(rows.Verdict(" \r"), "empty line");
  EXPECT_EQ(rows.Verdict(TradeRowWith(4, "\"COINBASE")),
            "unclosed quote in CSV field 5 (a line break inside a quoted field is not supported)");
}

TEST(CsvRowTest, SentimentRowsSplitCoinsAndKeepQuotedText) {
  SentimentRows rows(RecordKind::kSentiment, "timestamp,coins,sentiment_polarity,text");
  ASSERT_EQ(rows.Verdict(R"(2018-07-16T20:11:50Z,BTC|ETH,-0.25,"to the moon, ""soon""")"),
            "accepted");
  EXPECT_EQ(rows.record().coins, (std::vector<std::string_view>{"BTC", "ETH"}));
  EXPECT_EQ(rows.record().polarity, -0.25);
  EXPECT_EQ(rows.record().text, R"(to the moon, "soon")");
  EXPECT_EQ(rows.Verdict("2018-07-16T20:11:50Z,BTC,1.5,x"),
            "sentiment_polarity is not a finite number in [-1, 1]");
  EXPECT_EQ(rows.Verdict("2018-07-16T20:11:50Z,btc,0.5,x"),
            "coins holds 'btc', not a ticker (" + std::string(kTickerShape) + ")");
  EXPECT_EQ(rows.Verdict("2018-07-16T20:11:50Z,,0.5,x"), "missing field 'coins'");
  EXPECT_EQ(rows.Verdict("2018-07-16 20:11,BTC,0.5,x").substr(0, 11), "timestamp '");
}

}  // namespace
}  // namespace cryptomood
