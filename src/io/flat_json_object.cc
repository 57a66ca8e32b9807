#include "io/flat_json_object.h"

#include "io/flat_lexing.h"

namespace cryptomood {
namespace {

// A line with more members than this is unusual enough to leave to simdjson.
constexpr std::size_t kMaxFields = 64;

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Cursor {
 public:
  Cursor(const char* begin, const char* end) : position_(begin), end_(end) {}

  bool AtEnd() const { return position_ >= end_; }
  bool At(char c) const { return position_ < end_ && *position_ == c; }
  bool Take(char c) {
    if (!At(c)) return false;
    ++position_;
    return true;
  }
  void SkipWhitespace() {
    while (position_ < end_ && IsWhitespace(*position_)) ++position_;
  }
  bool saw_non_ascii() const { return saw_non_ascii_; }

  // A string with no escapes and no control characters; false otherwise (or if unclosed).
  bool String(std::string_view& out) {
    return Take('"') && flat_lexing::ScanPlainString(position_, end_, out, saw_non_ascii_);
  }

  // A number in JSON's grammar whose value converts exactly (no overflow to infinity).
  bool Number(FlatValue& value) { return flat_lexing::ScanNumber(position_, end_, value); }

  const char* position() const { return position_; }

 private:
  const char* position_;
  const char* end_;
  bool saw_non_ascii_ = false;
};

}  // namespace

bool FlatJsonObject::Scan(simdjson::padded_string_view line) {
  fields_.clear();
  items_.clear();
  item_starts_.clear();
  Cursor cursor(line.data(), line.data() + line.size());

  auto scan_value = [&](FlatValue& value) {
    if (cursor.At('"')) {
      value.kind = FlatValue::Kind::kString;
      return cursor.String(value.text);
    }
    if (cursor.Take('[')) {
      value.kind = FlatValue::Kind::kStringArray;
      cursor.SkipWhitespace();
      if (cursor.Take(']')) return true;
      while (true) {
        std::string_view item;
        if (!cursor.String(item)) return false;
        items_.push_back(item);
        cursor.SkipWhitespace();
        if (cursor.Take(']')) return true;
        if (!cursor.Take(',')) return false;
        cursor.SkipWhitespace();
      }
    }
    return cursor.Number(value);
  };

  cursor.SkipWhitespace();
  if (!cursor.Take('{')) return false;
  cursor.SkipWhitespace();
  if (!cursor.Take('}')) {
    while (true) {
      if (fields_.size() == kMaxFields) return false;
      FlatField& field = fields_.emplace_back();
      item_starts_.push_back(static_cast<std::uint32_t>(items_.size()));
      if (!cursor.String(field.key)) return false;
      cursor.SkipWhitespace();
      if (!cursor.Take(':')) return false;
      cursor.SkipWhitespace();
      if (!scan_value(field.value)) return false;
      cursor.SkipWhitespace();
      if (cursor.Take('}')) break;
      if (!cursor.Take(',')) return false;
      cursor.SkipWhitespace();
    }
  }
  cursor.SkipWhitespace();
  if (!cursor.AtEnd()) return false;
  if (cursor.saw_non_ascii() && !simdjson::validate_utf8(line.data(), line.size())) return false;

  // Item views are taken only now: items_ may have moved while it grew.
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    FlatValue& value = fields_[i].value;
    if (value.kind != FlatValue::Kind::kStringArray) continue;
    const std::size_t end = i + 1 < fields_.size() ? item_starts_[i + 1] : items_.size();
    value.items =
        std::span<const std::string_view>(items_).subspan(item_starts_[i], end - item_starts_[i]);
  }
  return true;
}

}  // namespace cryptomood
