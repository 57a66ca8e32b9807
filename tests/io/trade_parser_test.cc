#include "io/trade_parser.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "parse_path_name.h"

namespace cryptomood {
namespace {

// The reason a line whose symbol_id is `text` (printable) is rejected with.
std::string NotASymbolId(const std::string& text) {
  return "symbol_id '" + text + "' is not " + std::string(kSymbolIdShape);
}

// Fields of a valid trade line as raw JSON values, in the seed's order. Tests replace or drop
// one field and check the reason.
std::vector<std::pair<std::string, std::string>> ValidFields() {
  return {
      {"coins", R"(["ETH"])"},
      {"price", "427.92187479239936"},
      {"sequence", "4068"},
      {"size", "66.59917596430333"},
      {"symbol_id", R"("COINBASE_SPOT_ETH_USD")"},
      {"taker_side", R"("SELL_ESTIMATED")"},
      {"timestamp", R"("2018-07-16T20:11:51.747745Z")"},
      {"time_exchange", R"("2018-07-16T20:11:51.747745Z")"},
      {"type", R"("trade")"},
      {"uuid", R"("77ba9eed-c909-4903-8315-1bfb96c49b6e")"},
  };
}

std::string MakeLine(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line = "{";
  for (const auto& [key, value] : fields) {
    if (line.size() > 1) line += ", ";
    line += "\"" + key + "\": " + value;
  }
  return line + "}";
}

// The valid line with `key` set to `value` (added at the end if absent).
std::string WithField(const std::string& key, const std::string& value) {
  auto fields = ValidFields();
  bool replaced = false;
  for (auto& field : fields) {
    if (field.first == key) {
      field.second = value;
      replaced = true;
    }
  }
  if (!replaced) fields.emplace_back(key, value);
  return MakeLine(fields);
}

std::string WithoutField(const std::string& key) {
  auto fields = ValidFields();
  std::erase_if(fields, [&](const auto& field) { return field.first == key; });
  return MakeLine(fields);
}

// Every case runs on all three paths: fixed layout first, flat subset first, simdjson alone.
class TradeParserTest : public ::testing::TestWithParam<json_line::ParsePath> {
 protected:
  Status Parse(std::string_view line) { return parser_.ParseUnpadded(line, record_); }

  void ExpectReason(std::string_view line, std::string_view reason) {
    Status status = Parse(line);
    ASSERT_FALSE(status.ok()) << "accepted: " << line;
    EXPECT_EQ(status.error().message, reason) << line;
  }

  TradeParser parser_{GetParam()};
  TradeRecord record_;
};

TEST_P(TradeParserTest, ParsesTheSeedShape) {
  ASSERT_TRUE(Parse(MakeLine(ValidFields())).ok());
  // 2018-07-16T20:11:51Z is 1531771911 s after the epoch (17728 days + 72711 s).
  EXPECT_EQ(record_.timestamp, 1'531'771'911'747'745'000);
  ASSERT_TRUE(record_.time_exchange.has_value());
  EXPECT_EQ(*record_.time_exchange, 1'531'771'911'747'745'000);
  EXPECT_DOUBLE_EQ(record_.price, 427.92187479239936);
  EXPECT_DOUBLE_EQ(record_.size, 66.59917596430333);
  ASSERT_TRUE(record_.sequence.has_value());
  EXPECT_EQ(*record_.sequence, 4068);
  EXPECT_EQ(record_.symbol_id, "COINBASE_SPOT_ETH_USD");
  EXPECT_EQ(record_.base, "ETH");
  EXPECT_EQ(record_.quote, "USD");
  EXPECT_EQ(record_.taker_side, "SELL_ESTIMATED");
  EXPECT_EQ(record_.type, "trade");
  EXPECT_EQ(record_.uuid, "77ba9eed-c909-4903-8315-1bfb96c49b6e");
  ASSERT_EQ(record_.coins.size(), 1u);
  EXPECT_EQ(record_.coins[0], "ETH");
}

TEST_P(TradeParserTest, OnlyRequiredFieldsIsEnough) {
  const std::string line = MakeLine({{"price", "1"},
                                     {"size", "0"},
                                     {"symbol_id", R"("KRAKEN_SPOT_XBT_EUR")"},
                                     {"timestamp", R"("2018-07-16T20:11:51Z")"},
                                     {"uuid", R"("00000000-0000-0000-0000-000000000000")"}});
  ASSERT_TRUE(Parse(line).ok()) << line;
  EXPECT_EQ(record_.base, "XBT");
  EXPECT_EQ(record_.quote, "EUR");
  EXPECT_FALSE(record_.time_exchange.has_value());
  EXPECT_FALSE(record_.sequence.has_value());
  EXPECT_TRUE(record_.coins.empty());
  EXPECT_TRUE(record_.taker_side.empty());
  EXPECT_TRUE(record_.type.empty());
}

TEST_P(TradeParserTest, OptionalFieldsAreResetBetweenLines) {
  ASSERT_TRUE(Parse(MakeLine(ValidFields())).ok());
  ASSERT_TRUE(Parse(WithoutField("sequence")).ok());
  EXPECT_FALSE(record_.sequence.has_value());
  ASSERT_TRUE(Parse(WithoutField("coins")).ok());
  EXPECT_TRUE(record_.coins.empty());
}

TEST_P(TradeParserTest, RequiredFields) {
  for (const char* field : {"price", "size", "symbol_id", "timestamp", "uuid"}) {
    ExpectReason(WithoutField(field), std::string("missing field '") + field + "'");
  }
}

TEST_P(TradeParserTest, Price) {
  for (const char* bad : {"0", "-1", "-0.0", R"("427.9")", "null", "true", "[1]", "1e999"}) {
    ExpectReason(WithField("price", bad), "price is not a finite number > 0");
  }
  ASSERT_TRUE(Parse(WithField("price", "5e-324")).ok());
  ASSERT_TRUE(Parse(WithField("price", "6101")).ok());
  EXPECT_EQ(record_.price, 6101.0);
  ASSERT_TRUE(Parse(WithField("price", "123456789012345678901234567890")).ok());
  EXPECT_DOUBLE_EQ(record_.price, 1.2345678901234568e29);
}

TEST_P(TradeParserTest, Size) {
  for (const char* bad : {"-1", "-1e-300", R"("1")", "null", "-1e999"}) {
    ExpectReason(WithField("size", bad), "size is not a finite number >= 0");
  }
  ASSERT_TRUE(Parse(WithField("size", "0")).ok());
  EXPECT_EQ(record_.size, 0.0);
}

TEST_P(TradeParserTest, SymbolIdNeedsFourParts) {
  ExpectReason(WithField("symbol_id", R"("SPOT_ETH_USD")"), NotASymbolId("SPOT_ETH_USD"));
  ExpectReason(WithField("symbol_id", R"("COINBASE__ETH_USD")"), NotASymbolId("COINBASE__ETH_USD"));
  ExpectReason(WithField("symbol_id", R"("COINBASE_SPOT_ETH_")"),
               NotASymbolId("COINBASE_SPOT_ETH_"));
  ExpectReason(WithField("symbol_id", R"("")"), NotASymbolId(""));
  ExpectReason(WithField("symbol_id", "42"), "symbol_id is not a string");
  // More parts: base is the second to last.
  ASSERT_TRUE(Parse(WithField("symbol_id", R"("BINANCE_FTS_PERP_ETH_USDT")")).ok());
  EXPECT_EQ(record_.base, "ETH");
  EXPECT_EQ(record_.quote, "USDT");
}

TEST_P(TradeParserTest, SymbolIdEscapesAreDecoded) {
  ASSERT_TRUE(Parse(WithField("symbol_id", R"("COINBASE\u005fSPOT_ETH_USD")")).ok());
  EXPECT_EQ(record_.symbol_id, "COINBASE_SPOT_ETH_USD");
  EXPECT_EQ(record_.base, "ETH");
}

TEST_P(TradeParserTest, CoinsMustBeExactlyTheBase) {
  ExpectReason(WithField("symbol_id", R"("COINBASE_SPOT_BTC_USD")"),
               R"(coins ["ETH"] disagree with symbol_id COINBASE_SPOT_BTC_USD)");
  ExpectReason(WithField("coins", R"(["ETH", "BTC"])"),
               R"(coins ["ETH", "BTC"] disagree with symbol_id COINBASE_SPOT_ETH_USD)");
  ExpectReason(WithField("coins", R"(["ETH", "ETH"])"),
               R"(coins ["ETH", "ETH"] disagree with symbol_id COINBASE_SPOT_ETH_USD)");
  ExpectReason(WithField("coins", R"(["eth"])"),
               "coins holds 'eth', not a ticker (" + std::string(kTickerShape) + ")");
  ExpectReason(WithField("coins", "[]"), "coins is empty");
  ExpectReason(WithField("coins", R"([""])"), "coins holds an empty string");
  ExpectReason(WithField("coins", R"(["ETH", 1])"), "coins holds a non-string");
  ExpectReason(WithField("coins", R"("ETH")"), "coins is not an array");
}

TEST_P(TradeParserTest, Timestamps) {
  ExpectReason(WithField("timestamp", R"("2018-07-16T24:11:51Z")"),
               "timestamp '2018-07-16T24:11:51Z' is not RFC 3339: hour out of range");
  ExpectReason(WithField("timestamp", "1531771911"), "timestamp is not a string");
  ExpectReason(WithField("time_exchange", R"("2018-07-16T20:11:51")"),
               "time_exchange: timestamp '2018-07-16T20:11:51' is not RFC 3339: missing time "
               "zone (Z or +hh:mm)");
  ASSERT_TRUE(Parse(WithField("timestamp", R"("2018-07-16T22:11:51+02:00")")).ok());
  EXPECT_EQ(record_.timestamp, 1'531'771'911'000'000'000);
}

TEST_P(TradeParserTest, Uuid) {
  for (const char* bad :
       {R"("77ba9eed-c909-4903-8315-1bfb96c49b6")", R"("77ba9eedc9094903831501bfb96c49b6e")",
        R"("77ba9eed-c909-4903-8315_1bfb96c49b6e")", R"("77ba9eed-c909-4903-8315-1bfb96c49b6g")",
        R"("{77ba9eed-c909-4903-8315-1bfb96c49b6e}")"}) {
    Status status = Parse(WithField("uuid", bad));
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_NE(status.error().message.find("is not 8-4-4-4-12 hex digits"), std::string::npos);
  }
  ExpectReason(WithField("uuid", "7"), "uuid is not a string");
  EXPECT_TRUE(Parse(WithField("uuid", R"("77BA9EED-C909-4903-8315-1BFB96C49B6E")")).ok());
}

TEST_P(TradeParserTest, OptionalFieldsAreValidated) {
  ExpectReason(WithField("sequence", "4068.5"), "sequence is not a 64-bit integer");
  ExpectReason(WithField("sequence", R"("4068")"), "sequence is not a 64-bit integer");
  ExpectReason(WithField("sequence", "99999999999999999999"), "sequence is not a 64-bit integer");
  ExpectReason(WithField("taker_side", R"("buy")"),
               "taker_side 'buy' is not BUY, SELL, BUY_ESTIMATED or SELL_ESTIMATED");
  ExpectReason(WithField("type", R"("quote")"), R"(type 'quote' is not "trade")");
  for (const char* side : {"BUY", "SELL", "BUY_ESTIMATED", "SELL_ESTIMATED"}) {
    EXPECT_TRUE(Parse(WithField("taker_side", std::string("\"") + side + "\"")).ok()) << side;
  }
}

TEST_P(TradeParserTest, UnknownFieldsAreIgnored) {
  EXPECT_TRUE(Parse(WithField("exchange_note", R"({"nested": [1, 2, {"x": null}]})")).ok());
}

TEST_P(TradeParserTest, DuplicateKeysAreRejected) {
  ExpectReason(MakeLine(ValidFields()).insert(1, R"("price": 1, )"), "duplicate field 'price'");
  std::string twice_unknown = WithField("extra", "1");
  twice_unknown.insert(1, R"("extra": 2, )");
  ExpectReason(twice_unknown, "duplicate field 'extra'");
  // An escaped spelling is the same key.
  ExpectReason(MakeLine(ValidFields()).insert(1, R"("pric\u0065": 1, )"),
               "duplicate field 'price'");
}

TEST_P(TradeParserTest, ShapeOfTheLine) {
  ExpectReason("", "empty line");
  ExpectReason(" \t\r", "empty line");
  ExpectReason("[1, 2]", "not a JSON object");
  ExpectReason("\"text\"", "not a JSON object");
  ExpectReason("42", "not a JSON object");
  ExpectReason(MakeLine(ValidFields()) + " x",
               "invalid JSON (unclosed object or array, or text after the object)");
  ExpectReason(MakeLine(ValidFields()) + MakeLine(ValidFields()),
               "unexpected content after the JSON object");
  EXPECT_TRUE(Parse(" " + MakeLine(ValidFields()) + " \r").ok());
  const std::string valid = MakeLine(ValidFields());
  Status truncated = Parse(valid.substr(0, valid.size() - 1));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().message.rfind("invalid JSON", 0), 0u) << truncated.error().message;
}

TEST_P(TradeParserTest, HostileBytesAreRejectedNotCrashed) {
  const std::string valid = MakeLine(ValidFields());
  std::string nul = valid;
  nul[5] = '\0';
  EXPECT_FALSE(Parse(nul).ok());
  EXPECT_FALSE(Parse(WithField("note", "\"\xff\xfe\"")).ok());  // invalid UTF-8
  // Deep nesting: harmless inside an ignored field (skipped without recursion), rejected
  // when unbalanced.
  EXPECT_TRUE(Parse(WithField("note", std::string(5000, '[') + std::string(5000, ']'))).ok());
  EXPECT_FALSE(Parse(WithField("note", std::string(5000, '['))).ok());
  EXPECT_FALSE(Parse(WithField("coins", std::string(5000, '[') + std::string(5000, ']'))).ok());
  EXPECT_FALSE(Parse("{\"price\": 1, \"size\": ").ok());
  EXPECT_FALSE(Parse("{").ok());
  EXPECT_FALSE(Parse("{\"coins\": [\"ETH\"").ok());
}

TEST_P(TradeParserTest, ParsesInPlaceInsideALargerPaddedBuffer) {
  // Two lines in one buffer; the first is parsed in place, padding being the second line.
  const std::string first = MakeLine(ValidFields());
  std::string buffer = first + "\n" + WithField("price", "1") + "\n";
  buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::padded_string_view view(buffer.data(), first.size(), buffer.size());
  ASSERT_TRUE(parser_.Parse(view, record_).ok());
  EXPECT_DOUBLE_EQ(record_.price, 427.92187479239936);
}

// Each line's base and quote come from its own symbol id, whatever the lines before held.
TEST_P(TradeParserTest, EachLineSplitsItsOwnSymbolId) {
  const auto with_symbol = [](const std::string& symbol_id, const std::string& base) {
    std::string line = WithField("symbol_id", "\"" + symbol_id + "\"");
    const std::string coins = R"("coins": ["ETH"])";
    return line.replace(line.find(coins), coins.size(), R"("coins": [")" + base + "\"]");
  };
  ASSERT_TRUE(Parse(with_symbol("COINBASE_SPOT_ETH_USD", "ETH")).ok());
  ASSERT_TRUE(Parse(with_symbol("BINANCE_FTS_PERP_ETH_USDT", "ETH")).ok());
  EXPECT_EQ(record_.base, "ETH");
  EXPECT_EQ(record_.quote, "USDT");
  ASSERT_TRUE(Parse(with_symbol("KRAKEN_SPOT_XBT_EUR", "XBT")).ok());
  EXPECT_EQ(record_.base, "XBT");
  EXPECT_EQ(record_.quote, "EUR");
  ExpectReason(with_symbol("", "XBT"), NotASymbolId(""));
  ExpectReason(with_symbol("KRAKEN_XBT_EUR", "XBT"), NotASymbolId("KRAKEN_XBT_EUR"));
  ASSERT_TRUE(Parse(with_symbol("KRAKEN_SPOT_XBT_EURO", "XBT")).ok());
  EXPECT_EQ(record_.quote, "EURO");
  ASSERT_TRUE(Parse(with_symbol("KRAKEN_SPOT_XBT_EUR", "XBT")).ok());
  EXPECT_EQ(record_.quote, "EUR");
  // More distinct symbols than a parser may remember, interleaved, three rounds.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 13; ++i) {
      const std::string base = "C" + std::string(static_cast<std::size_t>(i % 4 + 1), 'X');
      const std::string quote = "Q" + std::to_string(i);
      const std::string symbol = "EX" + std::to_string(i * 7) + "_SPOT_" + base + "_" + quote;
      ASSERT_TRUE(Parse(with_symbol(symbol, base)).ok()) << symbol;
      EXPECT_EQ(record_.base, base) << symbol;
      EXPECT_EQ(record_.quote, quote) << symbol;
    }
  }
}

// time_exchange is its own instant, whether its text repeats the timestamp or not, and in
// either order.
TEST_P(TradeParserTest, TimeExchangeIsReadOnItsOwn) {
  // 2018-07-16T20:11:51Z is 1531771911 s after the epoch (17728 days + 72711 s).
  ASSERT_TRUE(Parse(WithField("time_exchange", R"("2018-07-16T20:11:51.5Z")")).ok());
  EXPECT_EQ(record_.timestamp, 1'531'771'911'747'745'000);
  EXPECT_EQ(record_.time_exchange, 1'531'771'911'500'000'000);
  ASSERT_TRUE(Parse(WithField("timestamp", R"("2018-07-16T20:11:51.747744Z")")).ok());
  EXPECT_EQ(record_.timestamp, 1'531'771'911'747'744'000);
  EXPECT_EQ(record_.time_exchange, 1'531'771'911'747'745'000);
  auto fields = ValidFields();
  std::swap(fields[6], fields[7]);  // time_exchange before timestamp
  fields[6].second = R"("2018-07-16T20:11:52Z")";
  ASSERT_TRUE(Parse(MakeLine(fields)).ok());
  EXPECT_EQ(record_.time_exchange, 1'531'771'912'000'000'000);
  EXPECT_EQ(record_.timestamp, 1'531'771'911'747'745'000);
  fields[6].second = fields[7].second;
  ASSERT_TRUE(Parse(MakeLine(fields)).ok());
  EXPECT_EQ(record_.time_exchange, 1'531'771'911'747'745'000);
  // A line whose time_exchange (read before its timestamp) repeats the previous line's
  // timestamp, parsed into a new record while the previous line's bytes still exist:
  // nothing may come from the line before.
  auto padded = [](std::string line) {
    return line + std::string(simdjson::SIMDJSON_PADDING, ' ');
  };
  const std::string first = padded(MakeLine(ValidFields()));
  ASSERT_TRUE(parser_
                  .Parse(simdjson::padded_string_view(
                             first.data(), first.size() - simdjson::SIMDJSON_PADDING, first.size()),
                         record_)
                  .ok());
  fields[7].second = R"("2018-07-16T20:11:53Z")";
  const std::string second = padded(MakeLine(fields));
  TradeRecord fresh;
  ASSERT_TRUE(
      parser_
          .Parse(simdjson::padded_string_view(
                     second.data(), second.size() - simdjson::SIMDJSON_PADDING, second.size()),
                 fresh)
          .ok());
  EXPECT_EQ(fresh.time_exchange, 1'531'771'911'747'745'000);
  EXPECT_EQ(fresh.timestamp, 1'531'771'913'000'000'000);
  ExpectReason(WithField("time_exchange", R"("2018-07-16T20:11:51.747745")"),
               "time_exchange: timestamp '2018-07-16T20:11:51.747745' is not RFC 3339: missing "
               "time zone (Z or +hh:mm)");
}

TEST_P(TradeParserTest, SymbolIdAndCoinsAreIdentifiersOfTheSeedShape) {
  // A look-alike of a real symbol (a trailing NUL), terminal control sequences, lowercase,
  // other punctuation and over-long ids are rejected, the reason naming the field.
  ExpectReason(WithField("symbol_id", R"("COINBASE_SPOT_ETH_USD\u0000")"),
               NotASymbolId("COINBASE_SPOT_ETH_USD?"));
  ExpectReason(WithField("symbol_id", R"("\u001b[31mX\u0007_SPOT_ETH_USD")"),
               NotASymbolId("?[31mX?_SPOT_ETH_USD"));
  ExpectReason(WithField("symbol_id", R"("coinbase_spot_ETH_USD")"),
               NotASymbolId("coinbase_spot_ETH_USD"));
  ExpectReason(WithField("symbol_id", R"("COINBASE-PRO_SPOT_ETH_USD")"),
               NotASymbolId("COINBASE-PRO_SPOT_ETH_USD"));
  ExpectReason(WithField("symbol_id", R"("COINBASE_SPOT_ETH_USD ")"),
               NotASymbolId("COINBASE_SPOT_ETH_USD "));
  const std::string long_exchange(52, 'X');  // 65 characters in all
  ExpectReason(WithField("symbol_id", "\"" + long_exchange + "_SPOT_ETH_USD\""),
               NotASymbolId(std::string(40, 'X') + "..."));
  ExpectReason(WithField("coins", R"(["ETH\u0000"])"),
               "coins holds 'ETH?', not a ticker (" + std::string(kTickerShape) + ")");
}

INSTANTIATE_TEST_SUITE_P(AllPaths, TradeParserTest,
                         ::testing::Values(json_line::ParsePath::kFastWhenPossible,
                                           json_line::ParsePath::kWithoutLayout,
                                           json_line::ParsePath::kSimdjsonOnly),
                         [](const auto& test_param) {
                           return testing_support::ParsePathName(test_param.param);
                         });

}  // namespace
}  // namespace cryptomood
