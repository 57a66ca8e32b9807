// Fuzzes TradeParser on arbitrary bytes: it must never crash or read out of bounds, the
// padded and unpadded entry points must agree, and an accepted record must satisfy every
// documented invariant.
#include <cmath>
#include <cstdlib>

#include "fuzz_input.h"
#include "io/trade_parser.h"
#include "io/uuid.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cryptomood::TradeParser parser;
  static cryptomood::TradeParser other_parser;
  cryptomood::TradeRecord record;
  cryptomood::TradeRecord other_record;
  const cryptomood::fuzzing::FuzzInput input(data, size);

  const cryptomood::Status status = parser.Parse(input.padded(), record);
  const cryptomood::Status other = other_parser.ParseUnpadded(input.text(), other_record);
  Check(status.ok() == other.ok());
  if (!status.ok()) {
    Check(!status.error().message.empty());
    Check(status.error().message == other.error().message);
    return 0;
  }
  Check(std::isfinite(record.price) && record.price > 0);
  Check(std::isfinite(record.size) && record.size >= 0);
  Check(!record.base.empty() && !record.quote.empty());
  Check(record.symbol_id.size() >= record.base.size() + record.quote.size() + 3);
  Check(record.symbol_id.ends_with(record.quote));
  Check(cryptomood::ParseCanonicalUuid(record.uuid).has_value());
  Check(record.coins.empty() || (record.coins.size() == 1 && record.coins[0] == record.base));
  Check(record.type.empty() || record.type == "trade");
  Check(record.timestamp == other_record.timestamp && record.price == other_record.price);
  return 0;
}
