// Differential fuzzing of the parse paths: for any bytes, the fast paths (fixed layout first,
// or flat subset first) and simdjson alone must give both parsers the same verdict, reason
// and record.
#include <bit>
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool SameBits(double left, double right) {
  return std::bit_cast<std::uint64_t>(left) == std::bit_cast<std::uint64_t>(right);
}

void CheckSameStatus(const cryptomood::Status& fast, const cryptomood::Status& reference) {
  Check(fast.ok() == reference.ok());
  if (!fast.ok()) Check(fast.error().message == reference.error().message);
}

template <typename Parser, typename Record, typename CheckSameRecord>
void CheckPathsAgree(Parser& fast, Parser& reference, simdjson::padded_string_view line,
                     CheckSameRecord check_same_record) {
  Record fast_record;
  Record reference_record;
  const auto fast_status = fast.Parse(line, fast_record);
  const auto reference_status = reference.Parse(line, reference_record);
  CheckSameStatus(fast_status, reference_status);
  if (fast_status.ok()) check_same_record(fast_record, reference_record);
}

void CheckSameTrade(const cryptomood::TradeRecord& fast, const cryptomood::TradeRecord& reference) {
  Check(fast.timestamp == reference.timestamp);
  Check(fast.time_exchange == reference.time_exchange);
  Check(SameBits(fast.price, reference.price) && SameBits(fast.size, reference.size));
  Check(fast.sequence == reference.sequence);
  Check(fast.symbol_id == reference.symbol_id);
  Check(fast.base == reference.base && fast.quote == reference.quote);
  Check(fast.uuid == reference.uuid && fast.coins == reference.coins);
  Check(fast.taker_side == reference.taker_side && fast.type == reference.type);
}

void CheckSameSentiment(const cryptomood::SentimentRecord& fast,
                        const cryptomood::SentimentRecord& reference) {
  Check(fast.timestamp == reference.timestamp);
  Check(SameBits(fast.polarity, reference.polarity));
  Check(fast.coins == reference.coins && fast.text == reference.text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using cryptomood::json_line::ParsePath;
  static cryptomood::TradeParser layout_trades(ParsePath::kFastWhenPossible);
  static cryptomood::TradeParser flat_trades(ParsePath::kWithoutLayout);
  static cryptomood::TradeParser reference_trades(ParsePath::kSimdjsonOnly);
  static cryptomood::SentimentParser layout_sentiment(ParsePath::kFastWhenPossible);
  static cryptomood::SentimentParser flat_sentiment(ParsePath::kWithoutLayout);
  static cryptomood::SentimentParser reference_sentiment(ParsePath::kSimdjsonOnly);
  const cryptomood::fuzzing::FuzzInput input(data, size);
  using cryptomood::SentimentRecord;
  using cryptomood::TradeRecord;
  CheckPathsAgree<cryptomood::TradeParser, TradeRecord>(layout_trades, reference_trades,
                                                        input.padded(), CheckSameTrade);
  CheckPathsAgree<cryptomood::TradeParser, TradeRecord>(flat_trades, reference_trades,
                                                        input.padded(), CheckSameTrade);
  CheckPathsAgree<cryptomood::SentimentParser, SentimentRecord>(
      layout_sentiment, reference_sentiment, input.padded(), CheckSameSentiment);
  CheckPathsAgree<cryptomood::SentimentParser, SentimentRecord>(flat_sentiment, reference_sentiment,
                                                                input.padded(), CheckSameSentiment);
  return 0;
}
