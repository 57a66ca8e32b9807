#include "store/postgres_copy_encoder.h"

#include <bit>

#include "store/postgres_connection.h"

namespace cryptomood {
namespace {

// "PGCOPY\n\377\r\n\0", then 32-bit flags and 32-bit header extension length, both zero.
constexpr char kSignature[] = "PGCOPY\n\377\r\n";
constexpr std::size_t kSignatureLength = 11;  // the string above plus its terminating NUL

}  // namespace

void PgCopyEncoder::Clear() {
  buffer_.clear();
  buffer_.append(kSignature, kSignatureLength);
  PutInt32(0);
  PutInt32(0);
  rows_ = 0;
}

void PgCopyEncoder::BeginRow(int fields) {
  PutInt16(static_cast<std::int16_t>(fields));
  ++rows_;
}

void PgCopyEncoder::Int32(std::int32_t value) {
  PutInt32(4);
  PutInt32(value);
}

void PgCopyEncoder::Int64(std::int64_t value) {
  PutInt32(8);
  PutInt64(static_cast<std::uint64_t>(value));
}

void PgCopyEncoder::OptionalInt64(const std::optional<std::int64_t>& value) {
  if (value) {
    Int64(*value);
  } else {
    Null();
  }
}

void PgCopyEncoder::Double(double value) {
  PutInt32(8);
  PutInt64(std::bit_cast<std::uint64_t>(value));
}

void PgCopyEncoder::Bool(bool value) {
  PutInt32(1);
  buffer_ += value ? '\1' : '\0';
}

void PgCopyEncoder::Bytes(std::string_view bytes) {
  PutInt32(static_cast<std::int32_t>(bytes.size()));
  buffer_.append(bytes);
}

void PgCopyEncoder::OptionalText(std::string_view text) {
  if (text.empty()) {
    Null();
  } else {
    Bytes(text);
  }
}

void PgCopyEncoder::Key(const KeyBytes& key) {
  PutInt32(16);
  buffer_.append(reinterpret_cast<const char*>(key.data()), key.size());
}

void PgCopyEncoder::ByteaArray(std::span<const std::string_view> elements) {
  // Array header: dimensions, has-nulls flag, element type; per dimension: size, lower bound.
  std::size_t length = 12;
  if (!elements.empty()) length += 8;
  for (std::string_view element : elements) length += 4 + element.size();
  PutInt32(static_cast<std::int32_t>(length));
  PutInt32(elements.empty() ? 0 : 1);
  PutInt32(0);
  PutInt32(static_cast<std::int32_t>(kPgBytea));
  if (!elements.empty()) {
    PutInt32(static_cast<std::int32_t>(elements.size()));
    PutInt32(1);
  }
  for (std::string_view element : elements) Bytes(element);
}

void PgCopyEncoder::Null() { PutInt32(-1); }

std::string_view PgCopyEncoder::Finish() {
  PutInt16(-1);
  return buffer_;
}

void PgCopyEncoder::PutInt16(std::int16_t value) {
  const auto bits = static_cast<std::uint16_t>(value);
  buffer_ += static_cast<char>(bits >> 8);
  buffer_ += static_cast<char>(bits & 0xff);
}

// Network byte order through one byte swap and one append: this runs for every field.
void PgCopyEncoder::PutInt32(std::int32_t value) {
  std::uint32_t bits = static_cast<std::uint32_t>(value);
  if constexpr (std::endian::native == std::endian::little) bits = __builtin_bswap32(bits);
  buffer_.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
}

void PgCopyEncoder::PutInt64(std::uint64_t value) {
  if constexpr (std::endian::native == std::endian::little) value = __builtin_bswap64(value);
  buffer_.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

}  // namespace cryptomood
