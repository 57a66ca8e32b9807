#include "io/flat_json_object.h"

#include <bit>

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
  // Reads 8 bytes at a time: the padding after the line keeps that in bounds.
  bool String(std::string_view& out) {
    if (!Take('"')) return false;
    const char* start = position_;
    while (position_ < end_) {
      const std::uint64_t special =
          flat_lexing::SpecialStringBytes(flat_lexing::LoadWord(position_));
      if (special == 0) {
        position_ += sizeof(std::uint64_t);
        continue;
      }
      position_ += std::countr_zero(special) / 8;
      if (position_ >= end_) return false;
      const auto byte = static_cast<unsigned char>(*position_);
      if (byte == '"') {
        out = std::string_view(start, static_cast<std::size_t>(position_ - start));
        ++position_;
        return true;
      }
      if (byte < 0x80) return false;  // an escape or a control character
      saw_non_ascii_ = true;          // validated as UTF-8 once the line is scanned
      ++position_;
    }
    return false;
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
