// Building blocks shared by the JSON-lines record parsers (trade_parser, sentiment_parser):
// opening the one object of a line with simdjson On Demand, detecting duplicate keys, reading
// typed field values with human-readable reasons, and rendering offending values safely in
// those reasons. Every failure is a Status whose message is the reason a line is rejected.
// String views handed out point into the line itself (strings without escapes, read in
// place) or into the simdjson parser's buffers (unescaped copies): valid until the parser
// parses the next document and while the line's bytes live.
// Thread-safety: free functions are pure; the classes are not shared between threads.
#pragma once

#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/status_macros.h"
#include "core/timestamp.h"
#include "io/fixed_layout_scanner.h"
#include "io/flat_json_object.h"

namespace cryptomood::json_line {

// A printable, bounded rendering of arbitrary bytes for messages: control and non-ASCII
// bytes become '?', and long text is cut with "...".
std::string DisplayText(std::string_view text);

// ["BTC", "ETH"] with each ticker rendered by DisplayText.
std::string DisplayTickers(std::span<const std::string_view> tickers);

Status InvalidJson(simdjson::error_code error);

// Checks the line holds something that starts like an object and positions `object` on it.
// Blank lines get the reason "empty line"; anything not starting with '{' "not a JSON object".
Status OpenObject(simdjson::ondemand::parser& parser, simdjson::padded_string_view line,
                  simdjson::ondemand::document& document, simdjson::ondemand::object& object);

// After the object has been iterated to its end: fails if anything but whitespace follows.
Status CheckNothingAfterObject(simdjson::ondemand::document& document);

// Remembers the keys of one object to reject duplicates. Known keys (those a parser reads)
// are tracked by a small integer id; unknown keys are compared when the object ends, so a
// line with many unknown keys costs n log n, not n squared.
class KeyTracker {
 public:
  void Reset() {
    known_seen_ = 0;
    unknown_keys_.clear();
  }
  // False if the known key `id` (< 64) was already seen.
  bool MarkKnown(int id) {
    const std::uint64_t bit = std::uint64_t{1} << id;
    const bool first = (known_seen_ & bit) == 0;
    known_seen_ |= bit;
    return first;
  }
  bool Seen(int id) const { return (known_seen_ & (std::uint64_t{1} << id)) != 0; }
  void NoteUnknown(std::string_view key) { unknown_keys_.push_back(key); }
  // Fails with "duplicate field 'KEY'" if an unknown key appeared twice.
  Status CheckUnknownKeysDistinct();

 private:
  std::uint64_t known_seen_ = 0;
  std::vector<std::string_view> unknown_keys_;
};

// The key of `field`, unescaped; a view of the line's bytes when it has no escapes.
simdjson::error_code ReadKey(simdjson::ondemand::field& field, std::string_view& key);

inline constexpr std::string_view kTimestampField = "timestamp";

// Equality of short texts (field names, enumerated values, timestamps, symbol ids) without
// a library call: on the per-line path a call to memcmp costs more than comparing a few
// words. The last word overlaps the one before instead of ending in a byte loop, whose exit
// branch mispredicts when texts of one length but different contents alternate.
inline bool SameText(std::string_view left, std::string_view right) {
  const std::size_t size = left.size();
  if (size != right.size()) return false;
  const auto same = [&]<typename Word>(std::size_t offset) {
    Word left_word = 0;
    Word right_word = 0;
    std::memcpy(&left_word, left.data() + offset, sizeof(Word));
    std::memcpy(&right_word, right.data() + offset, sizeof(Word));
    return left_word == right_word;
  };
  if (size >= sizeof(std::uint64_t)) {
    for (std::size_t i = 0; i + sizeof(std::uint64_t) < size; i += sizeof(std::uint64_t)) {
      if (!same.template operator()<std::uint64_t>(i)) return false;
    }
    return same.template operator()<std::uint64_t>(size - sizeof(std::uint64_t));
  }
  if (size >= sizeof(std::uint32_t)) {
    return same.template operator()<std::uint32_t>(0) &&
           same.template operator()<std::uint32_t>(size - sizeof(std::uint32_t));
  }
  for (std::size_t i = 0; i < size; ++i) {
    if (left[i] != right[i]) return false;
  }
  return true;
}

Status DuplicateField(std::string_view key);
Status MissingField(std::string_view key);

// Typed access to one value, from either source: a simdjson On Demand value (the general
// path) or a FlatValue (the fast path). Both overloads of each give the same result and
// error code for the same JSON, which keeps the readers below path-independent.
simdjson::error_code GetString(simdjson::ondemand::value& value, std::string_view& out);
simdjson::error_code GetString(const FlatValue& value, std::string_view& out);
simdjson::error_code GetDouble(simdjson::ondemand::value& value, double& out);
simdjson::error_code GetDouble(const FlatValue& value, double& out);
simdjson::error_code GetInt64(simdjson::ondemand::value& value, std::int64_t& out);
simdjson::error_code GetInt64(const FlatValue& value, std::int64_t& out);

// Readers of one field; each names the field in its failure reason.
template <typename Value>
Status ReadString(Value& value, std::string_view field, std::string_view& out);
template <typename Value>
Status ReadTimestamp(Value& value, std::string_view field, TimestampNs& out);
template <typename Value>
Status ReadInteger(Value& value, std::string_view field, std::int64_t& out);
// A JSON number that is finite; `requirement` completes "FIELD is not a finite number ..."
// and is also the reason when `accept` says no, e.g. "> 0".
template <typename Value, typename Predicate>
Status ReadFiniteNumber(Value& value, std::string_view field, std::string_view requirement,
                        Predicate accept, double& out);
// One element of "coins": a ticker of the shape core/identifier.h defines.
Status CheckTicker(std::string_view ticker);
// "coins": a non-empty array of tickers (core/identifier.h).
Status ReadTickers(simdjson::ondemand::value& value, std::vector<std::string_view>& tickers);
Status ReadTickers(const FlatValue& value, std::vector<std::string_view>& tickers);

// Which way a parser reads lines: kFastWhenPossible tries the fixed layout, then the flat
// subset, then simdjson. The other two skip the faster paths; they exist for differential
// tests of those paths, and production code keeps the default.
enum class ParsePath { kFastWhenPossible, kWithoutLayout, kSimdjsonOnly };

// Calls `handle(key, value) -> Status` for each member of the line's object in order, with
// value a FlatValue when the fast path applies and a simdjson value otherwise; stops at the
// first failure. Then checks that nothing follows the object and that no unknown key
// repeats (known keys are the handler's business, through `keys`).
template <typename Handle>
Status ForEachMember(simdjson::ondemand::parser& parser, FlatJsonObject& flat, ParsePath path,
                     simdjson::padded_string_view line, KeyTracker& keys, Handle&& handle);

// The scanners and buffers of one parser's three paths, tried in this order on each line.
// `layout` lists all the parser's fields in the order of its names table.
struct LineScanners {
  LineScanners(std::span<const std::string_view> names, std::span<const FlatValue::Kind> kinds)
      : layout(names, kinds) {}

  FixedLayoutScanner layout;
  FlatJsonObject flat;
  simdjson::ondemand::parser parser;
};

// ForEachMember for a parser with a fixed table of field names: an unknown key is noted in
// `keys`, a known key seen twice rejects the line, and every other known key goes to
// `read(field_index, value) -> Status`, its index being its position in `names`. A line in
// the parser's own layout is read through `scanners.layout` first.
template <std::size_t FieldCount, typename Read>
Status ForEachKnownField(LineScanners& scanners, ParsePath path, simdjson::padded_string_view line,
                         KeyTracker& keys, const std::array<std::string_view, FieldCount>& names,
                         Read&& read);

// Owns a padded copy of the last line handed to it, for callers whose bytes are not padded.
class PaddedCopy {
 public:
  simdjson::padded_string_view Copy(std::string_view line);

 private:
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
};

// ---- implementation of the templates ----

Status NotAString(std::string_view field);
Status NotAnInteger(std::string_view field);
Status NotAFiniteNumber(std::string_view field, std::string_view requirement);
Status CheckTimestamp(std::string_view field, std::string_view text, TimestampNs& out);

template <typename Value>
Status ReadString(Value& value, std::string_view field, std::string_view& out) {
  const auto error = GetString(value, out);
  if (error == simdjson::INCORRECT_TYPE) return NotAString(field);
  if (error) return InvalidJson(error);
  return {};
}

template <typename Value>
Status ReadTimestamp(Value& value, std::string_view field, TimestampNs& out) {
  std::string_view text;
  CRYPTOMOOD_RETURN_IF_ERROR(ReadString(value, field, text));
  return CheckTimestamp(field, text, out);
}

template <typename Value>
Status ReadInteger(Value& value, std::string_view field, std::int64_t& out) {
  if (GetInt64(value, out)) return NotAnInteger(field);
  return {};
}

template <typename Value, typename Predicate>
Status ReadFiniteNumber(Value& value, std::string_view field, std::string_view requirement,
                        Predicate accept, double& out) {
  double number = 0;
  if (GetDouble(value, number) || !std::isfinite(number) || !accept(number)) {
    return NotAFiniteNumber(field, requirement);
  }
  out = number;
  return {};
}

template <typename Handle>
Status ForEachMember(simdjson::ondemand::parser& parser, FlatJsonObject& flat, ParsePath path,
                     simdjson::padded_string_view line, KeyTracker& keys, Handle&& handle) {
  keys.Reset();
  if (path != ParsePath::kSimdjsonOnly && flat.Scan(line)) {
    for (FlatField& field : flat.fields()) {
      CRYPTOMOOD_RETURN_IF_ERROR(handle(field.key, field.value));
    }
    return keys.CheckUnknownKeysDistinct();
  }
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  CRYPTOMOOD_RETURN_IF_ERROR(OpenObject(parser, line, document, object));
  for (auto field_or_error : object) {
    simdjson::ondemand::field field;
    if (auto error = std::move(field_or_error).get(field)) return InvalidJson(error);
    std::string_view key;
    if (auto error = ReadKey(field, key)) return InvalidJson(error);
    CRYPTOMOOD_RETURN_IF_ERROR(handle(key, field.value()));
  }
  CRYPTOMOOD_RETURN_IF_ERROR(CheckNothingAfterObject(document));
  return keys.CheckUnknownKeysDistinct();
}

// `expected` is tried first: lines usually list their fields in the same order, so that most
// keys cost one comparison. Returns FieldCount for an unknown key.
template <std::size_t FieldCount>
int ClassifyKey(const std::array<std::string_view, FieldCount>& names, std::string_view key,
                int expected) {
  constexpr int kCount = static_cast<int>(FieldCount);
  if (expected < kCount && SameText(names[static_cast<std::size_t>(expected)], key)) {
    return expected;
  }
  for (int field = 0; field < kCount; ++field) {
    if (SameText(names[static_cast<std::size_t>(field)], key)) return field;
  }
  return kCount;
}

template <std::size_t FieldCount, typename Read>
Status ForEachKnownField(LineScanners& scanners, ParsePath path, simdjson::padded_string_view line,
                         KeyTracker& keys, const std::array<std::string_view, FieldCount>& names,
                         Read&& read) {
  if (path == ParsePath::kFastWhenPossible && scanners.layout.Scan(line)) {
    keys.Reset();
    const std::span<FlatValue> values = scanners.layout.values();
    for (int field = 0; field < static_cast<int>(FieldCount); ++field) {
      keys.MarkKnown(field);
      CRYPTOMOOD_RETURN_IF_ERROR(read(field, values[static_cast<std::size_t>(field)]));
    }
    return {};
  }
  int expected_field = 0;
  return ForEachMember(scanners.parser, scanners.flat, path, line, keys,
                       [&](std::string_view key, auto& value) -> Status {
                         const int id = ClassifyKey(names, key, expected_field);
                         if (id == static_cast<int>(FieldCount)) {
                           keys.NoteUnknown(key);
                           return {};
                         }
                         expected_field = id + 1;
                         if (!keys.MarkKnown(id)) return DuplicateField(key);
                         return read(id, value);
                       });
}

}  // namespace cryptomood::json_line
