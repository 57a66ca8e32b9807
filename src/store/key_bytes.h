// 128-bit keys (trade uuids, tweet content keys) as the 16 bytes stores keep them: big-endian,
// high half first (PostgreSQL's uuid layout), and uuids back as canonical lower-case text,
// the inverse of ParseCanonicalUuid up to letter case.
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <string>

#include "io/key128_set.h"
#include "io/uuid.h"

namespace cryptomood {

using KeyBytes = std::array<unsigned char, 16>;

KeyBytes ToBytes(std::uint64_t high, std::uint64_t low);
inline KeyBytes ToBytes(const Uuid& uuid) { return ToBytes(uuid.high, uuid.low); }
inline KeyBytes ToBytes(const Key128& key) { return ToBytes(key.high, key.low); }

// `bytes` holds 16 bytes.
Uuid UuidFromBytes(const unsigned char* bytes);
Key128 KeyFromBytes(const unsigned char* bytes);

std::string FormatUuid(const Uuid& uuid);

}  // namespace cryptomood
