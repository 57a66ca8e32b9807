#include "io/flat_json_object.h"

#include <bit>
#include <charconv>
#include <cstring>

namespace cryptomood {
namespace {

// A line with more members than this is unusual enough to leave to simdjson.
constexpr std::size_t kMaxFields = 64;

constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The zero-byte test (x - 0x01..) & ~x & 0x80.. flags exactly the lowest matching byte;
// bytes above it may be flagged falsely, so only the lowest set bit is ever used.
std::uint64_t BytesEqualTo(std::uint64_t word, unsigned char byte) {
  const std::uint64_t diff = word ^ (kLowBits * byte);
  return (diff - kLowBits) & ~diff & kHighBits;
}

std::uint64_t BytesBelow(std::uint64_t word, unsigned char bound) {
  return (word - kLowBits * bound) & ~word & kHighBits;
}

// Bytes that end a plain run inside a string: quote, backslash, control, non-ASCII.
std::uint64_t SpecialStringBytes(std::uint64_t word) {
  return BytesEqualTo(word, '"') | BytesEqualTo(word, '\\') | BytesBelow(word, 0x20) |
         (word & kHighBits);
}

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

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
      std::uint64_t word = 0;
      std::memcpy(&word, position_, sizeof(word));
      const std::uint64_t special = SpecialStringBytes(word);
      if (special == 0) {
        position_ += sizeof(word);
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
  bool Number(FlatValue& value) {
    const char* start = position_;
    Take('-');
    if (Take('0')) {
      // a single zero: "01" is not JSON, and the caller rejects the '1' that follows
    } else if (!Digits()) {
      return false;
    }
    bool integer = true;
    if (Take('.')) {
      integer = false;
      if (!Digits()) return false;
    }
    if (At('e') || At('E')) {
      ++position_;
      integer = false;
      if (!Take('+')) Take('-');
      const char* exponent_start = position_;
      if (!Digits()) return false;
      // simdjson rejects some exponents with many digits that std::from_chars accepts (a zero
      // mantissa times 10^huge); such numbers are left to simdjson so both paths agree.
      if (position_ - exponent_start > kMaxFastExponentDigits) return false;
    }
    value.kind = FlatValue::Kind::kNumber;
    value.text = std::string_view(start, static_cast<std::size_t>(position_ - start));
    const auto [double_end, double_error] = std::from_chars(start, position_, value.number);
    if (double_error != std::errc() || double_end != position_) return false;
    if (integer) {
      const auto [integer_end, integer_error] = std::from_chars(start, position_, value.integer);
      value.is_int64 = integer_error == std::errc() && integer_end == position_;
    }
    return true;
  }

  const char* position() const { return position_; }

 private:
  static constexpr std::ptrdiff_t kMaxFastExponentDigits = 4;

  bool Digits() {
    const char* start = position_;
    while (position_ < end_ && IsDigit(*position_)) ++position_;
    return position_ != start;
  }

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
