#include "io/trade_parser.h"

#include <algorithm>
#include <array>

#include "core/status_macros.h"
#include "core/taker_side.h"
#include "io/uuid.h"

namespace cryptomood {
namespace {

enum TradeField : int {
  kCoins,
  kPrice,
  kSequence,
  kSize,
  kSymbolId,
  kTakerSide,
  kTimestamp,
  kTimeExchange,
  kType,
  kUuid,
  kFieldCount,
};

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "coins",      "price",     "sequence",      "size", "symbol_id",
    "taker_side", "timestamp", "time_exchange", "type", "uuid"};

// The value kinds of the producers' own layout, field by field (the seed files' layout).
constexpr std::array<FlatValue::Kind, kFieldCount> kLayoutKinds = {
    FlatValue::Kind::kStringArray, FlatValue::Kind::kNumber, FlatValue::Kind::kNumber,
    FlatValue::Kind::kNumber,      FlatValue::Kind::kString, FlatValue::Kind::kString,
    FlatValue::Kind::kString,      FlatValue::Kind::kString, FlatValue::Kind::kString,
    FlatValue::Kind::kString};

constexpr std::array<int, 5> kRequiredFields = {kPrice, kSize, kSymbolId, kTimestamp, kUuid};

constexpr std::array<CsvAlias, 2> kCsvAliases = {
    {{.alias = "amount", .field = "size"}, {.alias = "symbol", .field = "symbol_id"}}};

Status Reject(std::string message) { return Error{std::move(message)}; }

bool IsOneOf(std::string_view value, std::span<const std::string_view> allowed) {
  for (std::string_view candidate : allowed) {
    if (json_line::SameText(candidate, value)) return true;
  }
  return false;
}

}  // namespace

TradeParser::TradeParser(json_line::ParsePath path)
    : path_(path), scanners_(kFieldNames, kLayoutKinds) {}

Status TradeParser::ParseUnpadded(std::string_view line, TradeRecord& trade) {
  return Parse(padded_copy_.Copy(line), trade);
}

const CsvSchema& TradeParser::CsvColumnSchema() {
  static const CsvSchema kSchema{kFieldNames, kRequiredFields, kCsvAliases};
  return kSchema;
}

// Clears what a line may leave out, before a line is read.
void TradeParser::Start(TradeRecord& trade) {
  trade.time_exchange.reset();
  trade.sequence.reset();
  trade.taker_side = {};
  trade.type = {};
  trade.coins.clear();
  timestamp_text_ = {};
}

Status TradeParser::ParseCsvRow(std::span<const std::string_view> cells, const CsvColumns& columns,
                                TradeRecord& trade) {
  Start(trade);
  CRYPTOMOOD_RETURN_IF_ERROR(ForEachCsvField(cells, columns, keys_, [&](int field, auto& value) {
    return ReadField(field, value, trade);
  }));
  return Finish(trade);
}

Status TradeParser::Parse(simdjson::padded_string_view line, TradeRecord& trade) {
  Start(trade);
  CRYPTOMOOD_RETURN_IF_ERROR(json_line::ForEachKnownField(
      scanners_, path_, line, keys_, kFieldNames,
      [&](int field, auto& value) { return ReadField(field, value, trade); }));
  return Finish(trade);
}

template <typename Value>
Status TradeParser::ReadField(int field, Value& value, TradeRecord& trade) {
  const std::string_view name = kFieldNames[field];
  switch (field) {
    case kCoins:
      return json_line::ReadTickers(value, trade.coins);
    case kPrice:
      return json_line::ReadFiniteNumber(
          value, name, "> 0", [](double price) { return price > 0; }, trade.price);
    case kSize:
      return json_line::ReadFiniteNumber(
          value, name, ">= 0", [](double size) { return size >= 0; }, trade.size);
    case kSequence: {
      std::int64_t sequence = 0;
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadInteger(value, name, sequence));
      trade.sequence = sequence;
      return {};
    }
    case kSymbolId:
      return json_line::ReadString(value, name, trade.symbol_id);
    case kTakerSide: {
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadString(value, name, trade.taker_side));
      if (IsOneOf(trade.taker_side, kTakerSideNames)) return {};
      return Reject("taker_side '" + json_line::DisplayText(trade.taker_side) +
                    "' is not BUY, SELL, BUY_ESTIMATED or SELL_ESTIMATED");
    }
    case kTimestamp:
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadString(value, name, timestamp_text_));
      return json_line::CheckTimestamp(name, timestamp_text_, trade.timestamp);
    case kTimeExchange: {
      std::string_view text;
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadString(value, name, text));
      // Exchanges usually stamp the same instant as the aggregator: the same text need not
      // be parsed twice. (A timestamp read later in the line is parsed on its own anyway.)
      if (!timestamp_text_.empty() && json_line::SameText(text, timestamp_text_)) {
        trade.time_exchange = trade.timestamp;
        return {};
      }
      TimestampNs time_exchange = 0;
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::CheckTimestamp(name, text, time_exchange));
      trade.time_exchange = time_exchange;
      return {};
    }
    case kType: {
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadString(value, name, trade.type));
      if (json_line::SameText(trade.type, "trade")) return {};
      return Reject("type '" + json_line::DisplayText(trade.type) + "' is not \"trade\"");
    }
    case kUuid: {
      CRYPTOMOOD_RETURN_IF_ERROR(json_line::ReadString(value, name, trade.uuid));
      if (auto uuid = ParseCanonicalUuid(trade.uuid)) {
        uuid_ = *uuid;
        return {};
      }
      return Reject("uuid '" + json_line::DisplayText(trade.uuid) +
                    "' is not 8-4-4-4-12 hex digits");
    }
    default:
      return {};
  }
}

const TradeParser::KnownSymbol* TradeParser::FindKnownSymbol(std::string_view symbol_id) const {
  for (std::size_t i = 0; i < known_symbol_count_; ++i) {
    if (json_line::SameText(symbol_id, known_symbols_[i].symbol_id)) return &known_symbols_[i];
  }
  return nullptr;
}

const TradeParser::KnownSymbol& TradeParser::RememberSymbol(std::string_view symbol_id,
                                                            const SymbolParts& parts) {
  // Once full, the oldest entry makes room.
  KnownSymbol& entry = known_symbols_[next_known_symbol_];
  next_known_symbol_ = (next_known_symbol_ + 1) % known_symbols_.size();
  known_symbol_count_ = std::min(known_symbol_count_ + 1, known_symbols_.size());
  entry.symbol_id.assign(symbol_id);
  entry.base_offset = static_cast<std::size_t>(parts.base.data() - symbol_id.data());
  entry.base_size = parts.base.size();
  entry.quote_offset = static_cast<std::size_t>(parts.quote.data() - symbol_id.data());
  return entry;
}

// Checks that need the whole object: required fields, and coins against symbol_id.
Status TradeParser::Finish(TradeRecord& trade) {
  for (int required : kRequiredFields) {
    if (!keys_.Seen(required)) return json_line::MissingField(kFieldNames[required]);
  }
  const KnownSymbol* known = FindKnownSymbol(trade.symbol_id);
  if (known == nullptr) {
    const std::optional<SymbolParts> parts = SplitSymbolId(trade.symbol_id);
    if (!parts) {
      return Reject("symbol_id '" + json_line::DisplayText(trade.symbol_id) + "' is not " +
                    std::string(kSymbolIdShape));
    }
    known = &RememberSymbol(trade.symbol_id, *parts);
  }
  trade.base = trade.symbol_id.substr(known->base_offset, known->base_size);
  trade.quote = trade.symbol_id.substr(known->quote_offset);
  if (keys_.Seen(kCoins) &&
      (trade.coins.size() != 1 || !json_line::SameText(trade.coins.front(), trade.base))) {
    return Reject("coins " + json_line::DisplayTickers(trade.coins) + " disagree with symbol_id " +
                  json_line::DisplayText(trade.symbol_id));
  }
  return {};
}

}  // namespace cryptomood
