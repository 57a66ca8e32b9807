// Differential test of the two parse paths: on valid lines and on many mutations of them,
// the flat fast path and simdjson alone must accept the same lines with the same records
// and reject the same lines with the same reasons.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
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
void ExpectPathsAgree(const std::vector<std::string>& lines, SameRecord same_record) {
  Parser fast(json_line::ParsePath::kFastWhenPossible);
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

}  // namespace
}  // namespace cryptomood
