// PgCopyEncoder: builds a PostgreSQL binary COPY stream (the "PGCOPY" format: a header, then
// per row a 16-bit field count and each field as a 32-bit length and its binary value, then
// a trailer) in one growing buffer. Binary COPY skips the server's text parsing of every
// number, which is most of the cost of a bulk load, and needs no escaping of arbitrary bytes.
// Field values must match the target columns' types (int4, int8, float8, bool, uuid, bytea,
// text, bytea[]) in order; the encoder does not know the table.
// Thread-safety: a value type; one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "store/key_bytes.h"

namespace cryptomood {

class PgCopyEncoder {
 public:
  PgCopyEncoder() { Clear(); }

  // Starts over with an empty stream (keeps the buffer's capacity).
  void Clear();
  void BeginRow(int fields);
  void Int32(std::int32_t value);
  void Int64(std::int64_t value);
  void OptionalInt64(const std::optional<std::int64_t>& value);
  void Double(double value);
  void Bool(bool value);
  void Bytes(std::string_view bytes);                           // bytea or text
  void OptionalText(std::string_view text);                     // NULL when empty
  void Key(const KeyBytes& key);                                // uuid or a 16-byte bytea
  void ByteaArray(std::span<const std::string_view> elements);  // a one-dimensional bytea[]
  void Null();

  std::int64_t rows() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  // The complete stream, trailer included.
  std::string_view Finish();

 private:
  void PutInt16(std::int16_t value);
  void PutInt32(std::int32_t value);
  void PutInt64(std::uint64_t value);

  std::string buffer_;
  std::int64_t rows_ = 0;
};

}  // namespace cryptomood
