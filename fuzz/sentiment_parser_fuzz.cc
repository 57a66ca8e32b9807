// Fuzzes SentimentParser on arbitrary bytes: no crash, no out-of-bounds read, padded and
// unpadded entry points agree, accepted records satisfy the documented invariants.
#include <cmath>
#include <cstdlib>

#include "fuzz_input.h"
#include "io/sentiment_parser.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cryptomood::SentimentParser parser;
  static cryptomood::SentimentParser other_parser;
  cryptomood::SentimentRecord record;
  cryptomood::SentimentRecord other_record;
  const cryptomood::fuzzing::FuzzInput input(data, size);

  const cryptomood::Status status = parser.Parse(input.padded(), record);
  const cryptomood::Status other = other_parser.ParseUnpadded(input.text(), other_record);
  Check(status.ok() == other.ok());
  if (!status.ok()) {
    Check(!status.error().message.empty());
    Check(status.error().message == other.error().message);
    return 0;
  }
  Check(std::isfinite(record.polarity) && record.polarity >= -1 && record.polarity <= 1);
  Check(!record.coins.empty());
  for (std::string_view coin : record.coins) Check(!coin.empty());
  Check(record.coins.size() == other_record.coins.size());
  Check(record.text == other_record.text && record.timestamp == other_record.timestamp);
  return 0;
}
