#include "io/sentiment_parser.h"

#include <array>

namespace cryptomood {
namespace {

enum SentimentField : int {
  kCoins,
  kPolarity,
  kText,
  kTimestamp,
  kFieldCount,
  kUnknownField = kFieldCount,
};

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"coins", "sentiment_polarity",
                                                                   "text", "timestamp"};

constexpr std::array<SentimentField, 3> kRequiredFields = {kCoins, kPolarity, kTimestamp};

// `expected` is tried first: lines usually list their fields in the same order, so that
// most keys cost one comparison.
int ClassifyKey(std::string_view key, int expected) {
  if (expected < kFieldCount && json_line::SameText(kFieldNames[expected], key)) return expected;
  for (int field = 0; field < kFieldCount; ++field) {
    if (json_line::SameText(kFieldNames[field], key)) return field;
  }
  return kUnknownField;
}

}  // namespace

Status SentimentParser::ParseUnpadded(std::string_view line, SentimentRecord& sentiment) {
  return Parse(padded_copy_.Copy(line), sentiment);
}

Status SentimentParser::Parse(simdjson::padded_string_view line, SentimentRecord& sentiment) {
  sentiment.coins.clear();
  sentiment.text = {};
  int expected_field = 0;
  Status status = json_line::ForEachMember(parser_, flat_, path_, line, keys_,
                                           [&](std::string_view key, auto& value) -> Status {
                                             const int id = ClassifyKey(key, expected_field);
                                             if (id == kUnknownField) {
                                               keys_.NoteUnknown(key);
                                               return {};
                                             }
                                             expected_field = id + 1;
                                             if (!keys_.MarkKnown(id))
                                               return json_line::DuplicateField(key);
                                             return ReadField(id, value, sentiment);
                                           });
  if (!status.ok()) return status;
  for (SentimentField required : kRequiredFields) {
    if (!keys_.Seen(required)) return json_line::MissingField(kFieldNames[required]);
  }
  return {};
}

template <typename Value>
Status SentimentParser::ReadField(int field, Value& value, SentimentRecord& sentiment) {
  const std::string_view name = kFieldNames[field];
  switch (field) {
    case kCoins:
      return json_line::ReadTickers(value, sentiment.coins);
    case kPolarity:
      return json_line::ReadFiniteNumber(
          value, name, "in [-1, 1]",
          [](double polarity) { return polarity >= -1 && polarity <= 1; }, sentiment.polarity);
    case kText:
      return json_line::ReadString(value, name, sentiment.text);
    case kTimestamp:
      return json_line::ReadTimestamp(value, name, sentiment.timestamp);
    default:
      return {};
  }
}

}  // namespace cryptomood
