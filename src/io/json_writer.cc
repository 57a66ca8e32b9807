#include "io/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace cryptomood {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence starting at text[at], or 0 if there is none.
// The allowed second bytes follow RFC 3629's table: they exclude overlong encodings
// (E0 80..9F, F0 80..8F), UTF-16 surrogates (ED A0..BF) and code points past U+10FFFF.
std::size_t WellFormedLength(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() - at < length) return 0;
  const auto second = static_cast<unsigned char>(text[at + 1]);
  if (second < second_low || second > second_high) return 0;
  for (std::size_t offset = 2; offset < length; ++offset) {
    if (!IsContinuation(static_cast<unsigned char>(text[at + offset]))) return 0;
  }
  return length;
}

// Bytes JSON takes as they are in a string: printable ASCII other than '"' and '\\'.
constexpr std::array<bool, 256> kNeedsNoEscape = [] {
  std::array<bool, 256> plain{};
  for (int byte = 0x20; byte <= 0x7E; ++byte) plain[byte] = byte != '"' && byte != '\\';
  return plain;
}();

// One table lookup a byte and no early exit: the strings are short.
bool NeedsNoEscaping(std::string_view text) {
  bool plain = true;
  for (const char c : text) plain &= kNeedsNoEscape[static_cast<unsigned char>(c)];
  return plain;
}

bool IsWellFormedUtf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = WellFormedLength(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

}  // namespace

char* AppendDoubleText(char* out, double value) {
  char* const end =
      std::to_chars(out, out + kMaxDoubleTextLength - 2, value).ptr;  // 2: room for ".0"
  for (const char* at = out; at != end; ++at) {
    if (*at == '.' || *at == 'e') return end;
  }
  end[0] = '.';
  end[1] = '0';
  return end + 2;
}

std::string JsonQuoted(std::string_view text) {
  JsonWriter writer;
  writer.String(text);
  return std::string(writer.view());
}

std::string_view RepairUtf8(std::string_view text, std::string& storage) {
  if (IsWellFormedUtf8(text)) return text;
  storage.clear();
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = WellFormedLength(text, at);
    if (length == 0) {
      storage += kReplacementCharacter;
      ++at;
    } else {
      storage.append(text, at, length);
      at += length;
    }
  }
  return storage;
}

JsonWriter::JsonWriter() : writer_(buffer_) {}

void JsonWriter::StartObject() { writer_.StartObject(); }
void JsonWriter::EndObject() { writer_.EndObject(); }
void JsonWriter::StartArray() { writer_.StartArray(); }
void JsonWriter::EndArray() { writer_.EndArray(); }

namespace json_writer_detail {

void Writer::UnescapedString(const char* text, std::size_t length) {
  Prefix(rapidjson::kStringType);
  char* const out = os_->Push(length + 2);
  out[0] = '"';
  std::memcpy(out + 1, text, length);
  out[length + 1] = '"';
  EndValue(true);
}

}  // namespace json_writer_detail

// RapidJSON writes a key as it writes a string; its writer knows which one it is expecting.
void JsonWriter::Key(std::string_view key) { String(key); }

void JsonWriter::String(std::string_view value) {
  if (NeedsNoEscaping(value)) return writer_.UnescapedString(value.data(), value.size());
  const std::string_view repaired = RepairUtf8(value, scratch_);
  writer_.String(repaired.empty() ? "" : repaired.data(),
                 static_cast<rapidjson::SizeType>(repaired.size()));
}

void JsonWriter::Int(std::int64_t value) { writer_.Int64(value); }
void JsonWriter::Bool(bool value) { writer_.Bool(value); }
void JsonWriter::Null() { writer_.Null(); }

void JsonWriter::RawJson(std::string_view json) {
  writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void JsonWriter::Double(double value) {
  if (!std::isfinite(value)) {
    writer_.Null();
    return;
  }
  char text[kMaxDoubleTextLength];
  const char* const end = AppendDoubleText(text, value);
  writer_.RawValue(text, static_cast<std::size_t>(end - text), rapidjson::kNumberType);
}

void JsonWriter::OptionalDouble(const std::optional<double>& value) {
  if (value) {
    Double(*value);
  } else {
    writer_.Null();
  }
}

void JsonWriter::OptionalTimestamp(const std::optional<TimestampNs>& timestamp) {
  if (timestamp) {
    Timestamp(*timestamp);
  } else {
    writer_.Null();
  }
}

void JsonWriter::Timestamp(TimestampNs timestamp) {
  // Digits and punctuation only: nothing to repair or escape, and no string to allocate.
  char text[kTimestampMicrosLength];
  const char* end = WriteTimestampMicros(text, timestamp);
  writer_.UnescapedString(text, static_cast<std::size_t>(end - text));
}

std::string_view JsonWriter::view() const {
  return std::string_view(buffer_.GetString(), buffer_.GetSize());
}

void JsonWriter::Clear() {
  buffer_.Clear();
  writer_.Reset(buffer_);
}

void JsonWriter::DiscardText() { buffer_.Clear(); }

void JsonWriter::EndLine() {
  buffer_.Put('\n');
  writer_.Reset(buffer_);  // keeps the text, forgets the finished root
}

}  // namespace cryptomood
