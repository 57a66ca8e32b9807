// Differential fuzzing of the two parse paths: for any bytes, the flat fast path and
// simdjson alone must give both parsers the same verdict, reason and record.
#include <cstdlib>

#include "fuzz_input.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckSameStatus(const cryptomood::Status& fast, const cryptomood::Status& reference) {
  Check(fast.ok() == reference.ok());
  if (!fast.ok()) Check(fast.error().message == reference.error().message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using cryptomood::json_line::ParsePath;
  static cryptomood::TradeParser fast_trades(ParsePath::kFastWhenPossible);
  static cryptomood::TradeParser reference_trades(ParsePath::kSimdjsonOnly);
  static cryptomood::SentimentParser fast_sentiment(ParsePath::kFastWhenPossible);
  static cryptomood::SentimentParser reference_sentiment(ParsePath::kSimdjsonOnly);
  const cryptomood::fuzzing::FuzzInput input(data, size);

  cryptomood::TradeRecord fast_trade;
  cryptomood::TradeRecord reference_trade;
  const auto fast_trade_status = fast_trades.Parse(input.padded(), fast_trade);
  const auto reference_trade_status = reference_trades.Parse(input.padded(), reference_trade);
  CheckSameStatus(fast_trade_status, reference_trade_status);
  if (fast_trade_status.ok()) {
    Check(fast_trade.timestamp == reference_trade.timestamp);
    Check(fast_trade.time_exchange == reference_trade.time_exchange);
    Check(fast_trade.price == reference_trade.price && fast_trade.size == reference_trade.size);
    Check(fast_trade.sequence == reference_trade.sequence);
    Check(fast_trade.symbol_id == reference_trade.symbol_id);
    Check(fast_trade.uuid == reference_trade.uuid && fast_trade.coins == reference_trade.coins);
    Check(fast_trade.taker_side == reference_trade.taker_side);
  }

  cryptomood::SentimentRecord fast_record;
  cryptomood::SentimentRecord reference_record;
  const auto fast_status = fast_sentiment.Parse(input.padded(), fast_record);
  const auto reference_status = reference_sentiment.Parse(input.padded(), reference_record);
  CheckSameStatus(fast_status, reference_status);
  if (fast_status.ok()) {
    Check(fast_record.timestamp == reference_record.timestamp);
    Check(fast_record.polarity == reference_record.polarity);
    Check(fast_record.coins == reference_record.coins && fast_record.text == reference_record.text);
  }
  return 0;
}
