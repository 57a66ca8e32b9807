// Differential test of the three parse paths: on valid lines and on many mutations of them,
// the fixed-layout path and the flat subset must accept the same lines as simdjson alone,
// with the same records, and reject the same lines with the same reasons.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace cryptomood {
namespace {

const std::vector<std::string> kTradeLines = {
    R"({"coins": ["ETH"], "price": 431.25, "sequence": 9, "size": 0.5, "symbol_id": "GDAX_SPOT_ETH_USD", "taker_side": "BUY", "timestamp": "2018-07-16T20:11:51.747745Z", "time_exchange": "2018-07-16T20:11:51.5Z", "type": "trade", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})",
    R"({"uuid": "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "price": 1e3, "size": 0, "timestamp": "2018-07-16T22:11:51+02:00", "symbol_id": "X_Y_BTC_EUR", "extra": [], "more": "m"})",
};

const std::vector<std::string> kSentimentLines = {
    R"({"coins": ["LTC", "BTC"], "sentiment_polarity": -0.125, "text": "moon", "timestamp": "2018-07-16T20:11:50.689683Z"})",
    R"({"timestamp": "2018-07-16T20:11:50Z", "sentiment_polarity": 1, "coins": ["ETH"], "lang": "en"})",
};

// Replaces, inserts or deletes a few bytes, drawn mostly from JSON's own alphabet.
std::string Mutate(const std::string& line, std::uint64_t& state) {
  static const std::string kAlphabet = "{}[]\":,.-+eE0123456789 \\tuabcxyz\x01\x7f\xc3\xa9\xff";
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::string mutated = line;
  const int edits = 1 + static_cast<int>(next() % 3);
  for (int i = 0; i < edits && !mutated.empty(); ++i) {
    const std::size_t at = next() % mutated.size();
    const char byte = kAlphabet[next() % kAlphabet.size()];
    switch (next() % 3) {
      case 0:
        mutated[at] = byte;
        break;
      case 1:
        mutated.insert(mutated.begin() + static_cast<std::ptrdiff_t>(at), byte);
        break;
      default:
        mutated.erase(at, 1);
        break;
    }
  }
  return mutated;
}

template <typename Parser, typename Record, typename SameRecord>
void ExpectPathAgrees(json_line::ParsePath path, const std::vector<std::string>& lines,
                      SameRecord same_record) {
  Parser fast(path);
  Parser reference(json_line::ParsePath::kSimdjsonOnly);
  Record fast_record;
  Record reference_record;
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  int accepted = 0;
  int rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string& base = lines[static_cast<std::size_t>(round) % lines.size()];
    const std::string line = round < 10 ? base : Mutate(base, state);
    Status fast_status = fast.ParseUnpadded(line, fast_record);
    Status reference_status = reference.ParseUnpadded(line, reference_record);
    ASSERT_EQ(fast_status.ok(), reference_status.ok()) << line;
    if (fast_status.ok()) {
      ++accepted;
      ASSERT_TRUE(same_record(fast_record, reference_record)) << line;
    } else {
      ++rejected;
      ASSERT_EQ(fast_status.error().message, reference_status.error().message) << line;
    }
  }
  // The mutations must exercise both outcomes for the comparison to mean something.
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(rejected, 1000);
}

// Both faster paths against simdjson alone: with the fixed layout first (production), and
// with the flat subset first, which the layout otherwise hides on lines in the layout.
template <typename Parser, typename Record, typename SameRecord>
void ExpectPathsAgree(const std::vector<std::string>& lines, SameRecord same_record) {
  for (const auto path :
       {json_line::ParsePath::kFastWhenPossible, json_line::ParsePath::kWithoutLayout}) {
    SCOPED_TRACE(path == json_line::ParsePath::kFastWhenPossible ? "fast" : "without layout");
    ExpectPathAgrees<Parser, Record>(path, lines, same_record);
  }
}

TEST(ParsePaths, TradeParserPathsAgree) {
  ExpectPathsAgree<TradeParser, TradeRecord>(kTradeLines, [](const TradeRecord& a,
                                                             const TradeRecord& b) {
    return a.timestamp == b.timestamp && a.time_exchange == b.time_exchange && a.price == b.price &&
           a.size == b.size && a.sequence == b.sequence && a.symbol_id == b.symbol_id &&
           a.base == b.base && a.quote == b.quote && a.taker_side == b.taker_side &&
           a.type == b.type && a.uuid == b.uuid && a.coins == b.coins;
  });
}

TEST(ParsePaths, SentimentParserPathsAgree) {
  ExpectPathsAgree<SentimentParser, SentimentRecord>(
      kSentimentLines, [](const SentimentRecord& a, const SentimentRecord& b) {
        return a.timestamp == b.timestamp && a.polarity == b.polarity && a.coins == b.coins &&
               a.text == b.text;
      });
}

// Parses line_for(number) for each number with each faster path and with simdjson alone,
// and hands both outcomes to check(number, fast status, reference status, fast record,
// reference record).
template <typename Parser, typename Record, typename LineFor, typename Check>
void ParseEachWithEveryPath(const std::vector<std::string>& numbers, LineFor line_for,
                            Check check) {
  Parser reference(json_line::ParsePath::kSimdjsonOnly);
  Record fast_record;
  Record reference_record;
  for (const auto path :
       {json_line::ParsePath::kFastWhenPossible, json_line::ParsePath::kWithoutLayout}) {
    Parser fast(path);
    for (const std::string& number : numbers) {
      const std::string line = line_for(number);
      const Status fast_status = fast.ParseUnpadded(line, fast_record);
      const Status reference_status = reference.ParseUnpadded(line, reference_record);
      check(number, fast_status, reference_status, fast_record, reference_record);
    }
  }
}

// Numbers at the edges of what the two number parsers accept: huge or long exponents on a
// zero mantissa (std::from_chars takes them, simdjson refuses some), underflow, overflow and
// long mantissas. Both paths must give the same verdict and value for each.
TEST(ParsePaths, EdgeNumbersAgree) {
  const std::vector<std::string> numbers = {"-0.000e119204308149616095639800",
                                            "0e99999",
                                            "0e400",
                                            "1e400",
                                            "1e-400",
                                            "0.0e-99999999999999",
                                            "-0.0",
                                            "-0",
                                            "0",
                                            "-1",
                                            "9007199254740991",
                                            "9007199254740993",
                                            "-9007199254740993",
                                            "1.0000000000000000000000001",
                                            "5e-324",
                                            "1e0001",
                                            "0.5e+00000",
                                            "-1e-0",
                                            "1E2",
                                            "123456789012345678901234567890e-30"};
  ParseEachWithEveryPath<SentimentParser, SentimentRecord>(
      numbers,
      [](const std::string& number) {
        // In the producers' layout, so that the fast path is the fixed-layout one.
        return R"({"coins": ["BTC"], "sentiment_polarity": )" + number +
               R"(, "text": "t", "timestamp": "2018-07-16T20:11:50Z"})";
      },
      [](const std::string& number, const Status& fast_status, const Status& reference_status,
         const SentimentRecord& fast_record, const SentimentRecord& reference_record) {
        ASSERT_EQ(fast_status.ok(), reference_status.ok()) << number;
        if (fast_status.ok()) {
          // Bits, not ==: -0.0 must stay -0.0.
          EXPECT_EQ(std::bit_cast<std::uint64_t>(fast_record.polarity),
                    std::bit_cast<std::uint64_t>(reference_record.polarity))
              << number;
        } else {
          EXPECT_EQ(fast_status.error().message, reference_status.error().message) << number;
        }
      });
}

// Integer-looking prices and sizes: below 2^53 the fast paths convert the integer directly,
// above it they round like the double parser. Compared by bits with simdjson alone and with
// strtod, an independent correctly rounding parser.
TEST(ParsePaths, IntegerNumbersConvertExactly) {
  const std::vector<std::string> numbers = {"1",
                                            "0",
                                            "-0",
                                            "4068",
                                            "9007199254740991",
                                            "9007199254740992",
                                            "9007199254740993",
                                            "9007199254740995",
                                            "18014398509481985",
                                            "9223372036854775807",
                                            "9223372036854775808",
                                            "123456789012345678901234567890"};
  ParseEachWithEveryPath<TradeParser, TradeRecord>(
      numbers,
      [](const std::string& number) {
        // The first trade line is in the producers' layout; only size changes.
        std::string line = kTradeLines[0];
        const std::string size_field = R"("size": 0.5)";
        return line.replace(line.find(size_field), size_field.size(), R"("size": )" + number);
      },
      [](const std::string& number, const Status& fast_status, const Status& reference_status,
         const TradeRecord& fast_record, const TradeRecord& reference_record) {
        ASSERT_TRUE(fast_status.ok()) << number;
        ASSERT_TRUE(reference_status.ok()) << number;
        const double expected = std::strtod(number.c_str(), nullptr);
        EXPECT_EQ(std::bit_cast<std::uint64_t>(fast_record.size),
                  std::bit_cast<std::uint64_t>(expected))
            << number;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(reference_record.size),
                  std::bit_cast<std::uint64_t>(expected))
            << number;
      });
}

// Long fractions are read correctly on both paths; Debian's simdjson 3.0.1 alone reads
// 0.95000000000000000000 as 0.0277 (its issue 2093). The expected values are the literals.
TEST(ParsePaths, LongFractionsReadExactly) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"0.95000000000000000000", 0.95},
      {"0.2544444444444444444444", 0.2544444444444444444444},
      {"-0.12500000000000000000000000", -0.125}};
  for (const auto path :
       {json_line::ParsePath::kFastWhenPossible, json_line::ParsePath::kWithoutLayout,
        json_line::ParsePath::kSimdjsonOnly}) {
    SentimentParser parser(path);
    SentimentRecord record;
    for (const auto& [text, expected] : cases) {
      const std::string line = R"({"coins": ["BTC"], "sentiment_polarity": )" + text +
                               R"(, "text": "t", "timestamp": "2018-07-16T20:11:50Z"})";
      ASSERT_TRUE(parser.ParseUnpadded(line, record).ok()) << text;
      EXPECT_EQ(record.polarity, expected) << text;
    }
  }
}

}  // namespace
}  // namespace cryptomood
