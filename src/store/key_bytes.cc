#include "store/key_bytes.h"

#include <cstdint>

namespace cryptomood {
namespace {

std::uint64_t ReadBigEndian64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

KeyBytes ToBytes(std::uint64_t high, std::uint64_t low) {
  KeyBytes bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  return bytes;
}

Uuid UuidFromBytes(const unsigned char* bytes) {
  return Uuid{ReadBigEndian64(bytes), ReadBigEndian64(bytes + 8)};
}

Key128 KeyFromBytes(const unsigned char* bytes) {
  return Key128{ReadBigEndian64(bytes), ReadBigEndian64(bytes + 8)};
}

std::string FormatUuid(const Uuid& uuid) {
  constexpr char kHexDigits[] = "0123456789abcdef";
  const KeyBytes bytes = ToBytes(uuid);
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHexDigits[bytes[i] >> 4];
    text += kHexDigits[bytes[i] & 0x0f];
  }
  return text;
}

}  // namespace cryptomood
