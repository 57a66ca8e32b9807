#include "io/sentiment_parser.h"

#include <array>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

enum SentimentField : int {
  kCoins,
  kPolarity,
  kText,
  kTimestamp,
  kFieldCount,
};

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"coins", "sentiment_polarity",
                                                                   "text", "timestamp"};

// The value kinds of the producers' own layout, field by field (the seed files' layout).
constexpr std::array<FlatValue::Kind, kFieldCount> kLayoutKinds = {
    FlatValue::Kind::kStringArray, FlatValue::Kind::kNumber, FlatValue::Kind::kString,
    FlatValue::Kind::kString};

constexpr std::array<int, 3> kRequiredFields = {kCoins, kPolarity, kTimestamp};

}  // namespace

SentimentParser::SentimentParser(json_line::ParsePath path)
    : path_(path), scanners_(kFieldNames, kLayoutKinds) {}

Status SentimentParser::ParseUnpadded(std::string_view line, SentimentRecord& sentiment) {
  return Parse(padded_copy_.Copy(line), sentiment);
}

const CsvSchema& SentimentParser::CsvColumnSchema() {
  static const CsvSchema kSchema{kFieldNames, kRequiredFields, {}};
  return kSchema;
}

Status SentimentParser::Parse(simdjson::padded_string_view line, SentimentRecord& sentiment) {
  sentiment.coins.clear();
  sentiment.text = {};
  CRYPTOMOOD_RETURN_IF_ERROR(json_line::ForEachKnownField(
      scanners_, path_, line, keys_, kFieldNames,
      [&](int field, auto& value) { return ReadField(field, value, sentiment); }));
  return CheckRequired();
}

Status SentimentParser::ParseCsvRow(std::span<const std::string_view> cells,
                                    const CsvColumns& columns, SentimentRecord& sentiment) {
  sentiment.coins.clear();
  sentiment.text = {};
  CRYPTOMOOD_RETURN_IF_ERROR(ForEachCsvField(cells, columns, keys_, [&](int field, auto& value) {
    return ReadField(field, value, sentiment);
  }));
  return CheckRequired();
}

Status SentimentParser::CheckRequired() const {
  for (int required : kRequiredFields) {
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
