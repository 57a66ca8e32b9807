#include "core/state_codec.h"

#include <array>
#include <string>

namespace cryptomood {
namespace {

constexpr std::string_view kMagic = "CMST";
// magic, kind tag, version, payload length
constexpr std::size_t kHeaderBytes = 4 + 4 + 4 + 8;
constexpr std::size_t kChecksumBytes = 4;

constexpr std::array<std::uint32_t, 256> MakeCrc32cTable() {
  constexpr std::uint32_t kReflectedPolynomial = 0x82F63B78;
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ ((crc & 1U) != 0 ? kReflectedPolynomial : 0);
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kCrc32cTable = MakeCrc32cTable();

std::string Hex(std::uint32_t value) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text = "0x00000000";
  for (std::size_t i = 0; i < 8; ++i) text[9 - i] = kDigits[(value >> (4 * i)) & 0xFU];
  return text;
}

}  // namespace

void StateWriter::Append(std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
}

void StateWriter::WriteString(std::string_view value) {
  WriteU64(value.size());
  bytes_.append(value);
}

Result<std::uint64_t> StateReader::Read(int width) {
  const auto size = static_cast<std::size_t>(width);
  if (remaining() < size) {
    return CorruptState("truncated: " + std::to_string(size) + " bytes needed at offset " +
                        std::to_string(position_) + ", " + std::to_string(remaining()) + " left");
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    value |= std::uint64_t{static_cast<unsigned char>(bytes_[position_ + i])} << (8 * i);
  }
  position_ += size;
  return value;
}

Result<std::uint8_t> StateReader::ReadU8() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(1));
  return static_cast<std::uint8_t>(bits);
}

Result<bool> StateReader::ReadBool() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(1));
  if (bits > 1) return CorruptState("a flag byte is " + std::to_string(bits) + ", not 0 or 1");
  return bits == 1;
}

Result<std::int32_t> StateReader::ReadI32() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(4));
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits));
}

Result<std::uint32_t> StateReader::ReadU32() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(4));
  return static_cast<std::uint32_t>(bits);
}

Result<std::int64_t> StateReader::ReadI64() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(8));
  return static_cast<std::int64_t>(bits);
}

Result<std::uint64_t> StateReader::ReadU64() { return Read(8); }

Result<double> StateReader::ReadF64() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t bits, Read(8));
  return std::bit_cast<double>(bits);
}

Result<std::size_t> StateReader::ReadCount(std::size_t min_element_bytes) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t count, ReadU64());
  if (min_element_bytes == 0 || count > remaining() / min_element_bytes) {
    return CorruptState("a length of " + std::to_string(count) + " does not fit in the " +
                        std::to_string(remaining()) + " bytes left");
  }
  return static_cast<std::size_t>(count);
}

Result<std::string> StateReader::ReadString() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t length, ReadCount(1));
  std::string value(bytes_.substr(position_, length));
  position_ += length;
  return value;
}

Status StateReader::ExpectEnd() const {
  if (remaining() == 0) return Status::Ok();
  return CorruptState(std::to_string(remaining()) + " bytes left over after the state");
}

Error CorruptState(std::string_view what) { return Error{"corrupt state: " + std::string(what)}; }

Status DecodeValue(StateReader& reader, std::string& value) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(value, reader.ReadString());
  return Status::Ok();
}

std::uint32_t StateChecksum(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char byte : bytes) {
    crc = (crc >> 8) ^ kCrc32cTable[(crc ^ static_cast<unsigned char>(byte)) & 0xFFU];
  }
  return crc ^ 0xFFFFFFFFU;
}

std::string SealState(std::uint32_t kind_tag, std::uint32_t version, std::string payload) {
  StateWriter header;
  for (const char letter : kMagic) header.WriteU8(static_cast<std::uint8_t>(letter));
  header.WriteU32(kind_tag);
  header.WriteU32(version);
  header.WriteU64(payload.size());
  std::string blob = std::move(payload);
  blob.insert(0, header.bytes());
  StateWriter checksum;
  checksum.WriteU32(StateChecksum(blob));
  blob.append(checksum.bytes());
  return blob;
}

Result<StateReader> OpenState(std::string_view blob, std::uint32_t kind_tag,
                              std::uint32_t expected_version) {
  if (blob.size() < kHeaderBytes + kChecksumBytes) {
    return CorruptState("truncated: " + std::to_string(blob.size()) +
                        " bytes are too few for a state envelope");
  }
  if (blob.substr(0, kMagic.size()) != kMagic) {
    return CorruptState("not a cryptomood state blob (its magic is not CMST)");
  }
  StateReader header(blob.substr(kMagic.size(), kHeaderBytes - kMagic.size()));
  const std::uint32_t kind = *header.ReadU32();  // the size check above covers the header
  const std::uint32_t version = *header.ReadU32();
  const std::uint64_t payload_length = *header.ReadU64();
  const std::size_t available = blob.size() - kHeaderBytes - kChecksumBytes;
  if (payload_length > available) {
    return CorruptState("truncated: the payload has " + std::to_string(available) + " of its " +
                        std::to_string(payload_length) + " bytes");
  }
  if (payload_length < available) {
    return CorruptState(std::to_string(available - payload_length) +
                        " trailing bytes after the state envelope");
  }
  const std::string_view checked = blob.substr(0, kHeaderBytes + available);
  StateReader trailer(blob.substr(checked.size()));
  if (*trailer.ReadU32() != StateChecksum(checked)) {
    return CorruptState("checksum mismatch");
  }
  if (kind != kind_tag) {
    return Error{"state blob holds state of kind " + Hex(kind) + ", not the expected " +
                 Hex(kind_tag)};
  }
  if (version != expected_version) {
    return Error{"state version " + std::to_string(version) +
                 " is not supported: this build reads version " + std::to_string(expected_version)};
  }
  return StateReader(blob.substr(kHeaderBytes, available));
}

}  // namespace cryptomood
