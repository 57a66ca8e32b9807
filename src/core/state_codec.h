// State codec: the binary encoding in which the streaming operators checkpoint their state, so
// that a restarted stream continues from a saved state to the same bits as an uninterrupted run.
//
// - StateWriter appends fixed-width little-endian values to a string; doubles go by their bit
//   pattern, so every value (-0.0, infinities, NaN payloads, denormals) round-trips exactly.
// - StateReader reads them back. Every read checks the bytes left first and returns an error
//   instead of reading past the end; a length or count is checked against the bytes left before
//   anything is allocated, so corrupt or hostile input can neither crash it nor make it
//   allocate more than a small multiple of the input's size.
// - EncodeValue / DecodeValue compose those reads and writes for arithmetic values, strings,
//   std::optional, std::vector, std::deque, std::map and every StateEncodable class (one with
//   `void EncodeState(StateWriter&) const` and `Status DecodeState(StateReader&)`).
//   DecodeValue leaves its target unchanged on error.
// - SealState / OpenState wrap a payload in a versioned, checksummed envelope:
//     "CMST" | kind tag u32 | version u32 | payload length u64 | payload | CRC-32C u32
//   The checksum covers every byte before it. OpenState rejects a wrong magic, kind or version,
//   truncation, trailing bytes and a checksum mismatch.
// - SaveState / RestoreState seal and open one operator (kStateKind, kStateVersion).
//
// The encoding is the operators' own: a version bump is needed whenever an operator's encoding
// changes, and OpenState accepts exactly the version the caller expects.
// Ownership: a StateReader views bytes it does not own; they must outlive it.
// Thread-safety: value types with no shared state.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/status_macros.h"

namespace cryptomood {

class StateWriter {
 public:
  void WriteU8(std::uint8_t value) { Append(value, 1); }
  void WriteBool(bool value) { Append(value ? 1 : 0, 1); }
  void WriteI32(std::int32_t value) { Append(static_cast<std::uint32_t>(value), 4); }
  void WriteU32(std::uint32_t value) { Append(value, 4); }
  void WriteI64(std::int64_t value) { Append(static_cast<std::uint64_t>(value), 8); }
  void WriteU64(std::uint64_t value) { Append(value, 8); }
  void WriteF64(double value) { Append(std::bit_cast<std::uint64_t>(value), 8); }
  // A u64 length, then the bytes.
  void WriteString(std::string_view value);

  const std::string& bytes() const { return bytes_; }
  std::string Take() && { return std::move(bytes_); }

 private:
  void Append(std::uint64_t value, int width);

  std::string bytes_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}

  Result<std::uint8_t> ReadU8();
  Result<bool> ReadBool();  // rejects bytes other than 0 and 1
  Result<std::int32_t> ReadI32();
  Result<std::uint32_t> ReadU32();
  Result<std::int64_t> ReadI64();
  Result<std::uint64_t> ReadU64();
  Result<double> ReadF64();
  Result<std::string> ReadString();
  // A u64 count of elements that take at least min_element_bytes (>= 1) each; rejected when
  // the bytes left cannot hold that many, so the count bounds any allocation made for it.
  Result<std::size_t> ReadCount(std::size_t min_element_bytes);

  std::size_t remaining() const { return bytes_.size() - position_; }
  // Fails unless every byte has been read.
  Status ExpectEnd() const;

 private:
  Result<std::uint64_t> Read(int width);

  std::string_view bytes_;
  std::size_t position_ = 0;
};

// An error saying that state is corrupt, with what was wrong.
Error CorruptState(std::string_view what);

// CRC-32C (Castagnoli), bitwise-reflected, as in iSCSI and ext4: CRC-32C of "123456789" is
// 0xE3069283. Hand-written because core links nothing third-party but header-only Boost (no
// zlib), and a table-driven CRC is a few lines.
std::uint32_t StateChecksum(std::string_view bytes);

std::string SealState(std::uint32_t kind_tag, std::uint32_t version, std::string payload);
// A reader over the payload of blob, which must outlive it.
Result<StateReader> OpenState(std::string_view blob, std::uint32_t kind_tag,
                              std::uint32_t expected_version);

// A kind tag spelled by four ASCII characters, e.g. StateKind("TICK").
constexpr std::uint32_t StateKind(const char (&name)[5]) {
  std::uint32_t tag = 0;
  for (int i = 3; i >= 0; --i) tag = (tag << 8) | static_cast<unsigned char>(name[i]);
  return tag;
}

template <typename T>
concept StateEncodable = requires(const T& value, T& target, StateWriter& writer,
                                  StateReader& reader) {
  value.EncodeState(writer);
  { target.DecodeState(reader) } -> std::same_as<Status>;
};

// The encodable values. Declared before they are defined so that each composite finds all of
// them whatever its element type.
template <typename T>
requires std::is_arithmetic_v<T>
void EncodeValue(StateWriter& writer, T value);
template <typename T>
requires std::is_arithmetic_v<T> Status DecodeValue(StateReader& reader, T& value);
inline void EncodeValue(StateWriter& writer, const std::string& value) {
  writer.WriteString(value);
}
Status DecodeValue(StateReader& reader, std::string& value);
template <StateEncodable T>
void EncodeValue(StateWriter& writer, const T& value);
template <StateEncodable T>
Status DecodeValue(StateReader& reader, T& value);
template <typename T>
void EncodeValue(StateWriter& writer, const std::optional<T>& value);
template <typename T>
Status DecodeValue(StateReader& reader, std::optional<T>& value);
template <typename T, typename Allocator>
void EncodeValue(StateWriter& writer, const std::vector<T, Allocator>& values);
template <typename T, typename Allocator>
Status DecodeValue(StateReader& reader, std::vector<T, Allocator>& values);
template <typename T, typename Allocator>
void EncodeValue(StateWriter& writer, const std::deque<T, Allocator>& values);
template <typename T, typename Allocator>
Status DecodeValue(StateReader& reader, std::deque<T, Allocator>& values);
template <typename Key, typename Value, typename Compare, typename Allocator>
void EncodeValue(StateWriter& writer, const std::map<Key, Value, Compare, Allocator>& entries);
template <typename Key, typename Value, typename Compare, typename Allocator>
Status DecodeValue(StateReader& reader, std::map<Key, Value, Compare, Allocator>& entries);

// Configuration is saved with the state and checked on restore: state decodes only into an
// operator configured as the one that saved it. Reads a value written by EncodeValue and fails
// unless it equals current; `what` names it in the error.
template <typename T>
Status ExpectSavedConfig(StateReader& reader, const T& current, std::string_view what);

template <typename Operator>
std::string SaveState(const Operator& state);
// Decodes blob into state, which must be configured as the saver was; on error state is
// unchanged.
template <typename Operator>
Status RestoreState(std::string_view blob, Operator& state);

// ---- Implementation ----

namespace state_codec_internal {

// The fewest bytes one encoded T takes; every encoding takes at least one.
template <typename T>
inline constexpr std::size_t kMinEncodedBytes = std::is_arithmetic_v<T> ? sizeof(T) : 1;

template <typename Range>
void EncodeRange(StateWriter& writer, const Range& values) {
  writer.WriteU64(values.size());
  for (const auto& value : values) EncodeValue(writer, value);
}

// Appends count decoded elements to a new sequence, then replaces values with it.
template <typename Sequence>
Status DecodeSequence(StateReader& reader, Sequence& values) {
  using Element = typename Sequence::value_type;
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t count, reader.ReadCount(kMinEncodedBytes<Element>));
  Sequence decoded;
  if constexpr (std::is_arithmetic_v<Element> && requires { decoded.reserve(count); }) {
    decoded.reserve(count);  // at most the bytes left
  }
  for (std::size_t i = 0; i < count; ++i) {
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.emplace_back()));
  }
  values = std::move(decoded);
  return Status::Ok();
}

}  // namespace state_codec_internal

template <typename T>
requires std::is_arithmetic_v<T>
void EncodeValue(StateWriter& writer, T value) {
  if constexpr (std::is_same_v<T, bool>) {
    writer.WriteBool(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    static_assert(sizeof(T) == 8, "only double is encoded");
    writer.WriteF64(value);
  } else if constexpr (sizeof(T) == 1) {
    writer.WriteU8(static_cast<std::uint8_t>(value));
  } else if constexpr (sizeof(T) == 4) {
    writer.WriteU32(static_cast<std::uint32_t>(value));
  } else {
    static_assert(sizeof(T) == 8, "integers are encoded as 1, 4 or 8 bytes");
    writer.WriteU64(static_cast<std::uint64_t>(value));
  }
}

template <typename T>
requires std::is_arithmetic_v<T> Status DecodeValue(StateReader& reader, T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(value, reader.ReadBool());
  } else if constexpr (std::is_floating_point_v<T>) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(value, reader.ReadF64());
  } else if constexpr (sizeof(T) == 1) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint8_t bits, reader.ReadU8());
    value = static_cast<T>(bits);
  } else if constexpr (sizeof(T) == 4) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint32_t bits, reader.ReadU32());
    value = static_cast<T>(bits);  // modular for signed T, the inverse of the encoding
  } else {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, reader.ReadU64());
    value = static_cast<T>(bits);
  }
  return Status::Ok();
}

template <StateEncodable T>
void EncodeValue(StateWriter& writer, const T& value) {
  value.EncodeState(writer);
}

template <StateEncodable T>
Status DecodeValue(StateReader& reader, T& value) {
  return value.DecodeState(reader);
}

template <typename T>
void EncodeValue(StateWriter& writer, const std::optional<T>& value) {
  writer.WriteBool(value.has_value());
  if (value) EncodeValue(writer, *value);
}

template <typename T>
Status DecodeValue(StateReader& reader, std::optional<T>& value) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const bool present, reader.ReadBool());
  if (!present) {
    value.reset();
    return Status::Ok();
  }
  T decoded{};
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded));
  value = std::move(decoded);
  return Status::Ok();
}

template <typename T, typename Allocator>
void EncodeValue(StateWriter& writer, const std::vector<T, Allocator>& values) {
  state_codec_internal::EncodeRange(writer, values);
}

template <typename T, typename Allocator>
Status DecodeValue(StateReader& reader, std::vector<T, Allocator>& values) {
  return state_codec_internal::DecodeSequence(reader, values);
}

template <typename T, typename Allocator>
void EncodeValue(StateWriter& writer, const std::deque<T, Allocator>& values) {
  state_codec_internal::EncodeRange(writer, values);
}

template <typename T, typename Allocator>
Status DecodeValue(StateReader& reader, std::deque<T, Allocator>& values) {
  return state_codec_internal::DecodeSequence(reader, values);
}

// Entries in key order; decoding requires strictly increasing keys, so no entry is dropped.
template <typename Key, typename Value, typename Compare, typename Allocator>
void EncodeValue(StateWriter& writer, const std::map<Key, Value, Compare, Allocator>& entries) {
  writer.WriteU64(entries.size());
  for (const auto& [key, value] : entries) {
    EncodeValue(writer, key);
    EncodeValue(writer, value);
  }
}

template <typename Key, typename Value, typename Compare, typename Allocator>
Status DecodeValue(StateReader& reader, std::map<Key, Value, Compare, Allocator>& entries) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t count,
                              reader.ReadCount(state_codec_internal::kMinEncodedBytes<Key>));
  std::map<Key, Value, Compare, Allocator> decoded;
  for (std::size_t i = 0; i < count; ++i) {
    Key key{};
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, key));
    if (!decoded.empty() && !decoded.key_comp()(decoded.rbegin()->first, key)) {
      return CorruptState("map keys are not in increasing order");
    }
    Value value{};
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, value));
    decoded.emplace_hint(decoded.end(), std::move(key), std::move(value));
  }
  entries = std::move(decoded);
  return Status::Ok();
}

template <typename T>
Status ExpectSavedConfig(StateReader& reader, const T& current, std::string_view what) {
  T saved{};
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, saved));
  if (!(saved == current)) {
    return Error{"state was saved by an operator with a different " + std::string(what)};
  }
  return Status::Ok();
}

template <typename Operator>
std::string SaveState(const Operator& state) {
  StateWriter writer;
  state.EncodeState(writer);
  return SealState(Operator::kStateKind, Operator::kStateVersion, std::move(writer).Take());
}

template <typename Operator>
Status RestoreState(std::string_view blob, Operator& state) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(StateReader reader,
                              OpenState(blob, Operator::kStateKind, Operator::kStateVersion));
  Operator decoded = state;
  CRYPTOMOOD_RETURN_IF_ERROR(decoded.DecodeState(reader));
  CRYPTOMOOD_RETURN_IF_ERROR(reader.ExpectEnd());
  state = std::move(decoded);
  return Status::Ok();
}

}  // namespace cryptomood
