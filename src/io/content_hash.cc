#include "io/content_hash.h"

#include <bit>
#include <cstring>

#include "io/hash_mix.h"

namespace cryptomood {

void ContentHasher::AddWord(std::uint64_t word) {
  // Different combining steps per lane keep the lanes from colliding together.
  lane_a_ = MixBits(lane_a_ ^ word);
  lane_b_ = MixBits(std::rotl(lane_b_, 23) + word * 0x9E3779B97F4A7C15ULL + 1);
  ++words_;
}

void ContentHasher::AddBytes(std::string_view bytes) {
  AddWord(bytes.size());
  std::size_t position = 0;
  for (; position + sizeof(std::uint64_t) <= bytes.size(); position += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + position, sizeof(word));
    AddWord(word);
  }
  if (position < bytes.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + position, bytes.size() - position);
    AddWord(word);
  }
}

Key128 ContentHasher::Finish() const {
  return Key128{MixBits(lane_a_ ^ words_), MixBits(lane_b_ + std::rotl(lane_a_, 32))};
}

}  // namespace cryptomood
