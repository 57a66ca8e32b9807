#include "io/key128_set.h"

#include "io/hash_mix.h"

namespace cryptomood {
namespace {

constexpr std::size_t kInitialSlots = 1024;
// Linear probing stays short below this load; the table grows by half when it is reached,
// which keeps the transient of a rehash (old + new array) small for large sets.
constexpr std::size_t kMaxLoadPercent = 75;

__extension__ using UInt128 = unsigned __int128;

std::uint64_t Mix(const Key128& key) { return MixBits(key.high + MixBits(key.low)); }

bool IsEmpty(const Key128& slot) { return slot.high == 0 && slot.low == 0; }

}  // namespace

std::size_t Key128Set::SlotOf(const Key128& key) const {
  // Maps the hash onto [0, slot count) without a power-of-two size.
  return static_cast<std::size_t>((static_cast<UInt128>(Mix(key)) * slot_count_) >> 64);
}

bool Key128Set::Contains(const Key128& key) const {
  if (IsEmpty(key)) return has_zero_key_;
  if (slot_count_ == 0) return false;
  const Key128* table = slots();
  for (std::size_t slot = SlotOf(key);; slot = slot + 1 == slot_count_ ? 0 : slot + 1) {
    if (table[slot] == key) return true;
    if (IsEmpty(table[slot])) return false;
  }
}

bool Key128Set::Insert(const Key128& key) {
  if (IsEmpty(key)) {
    if (has_zero_key_) return false;
    has_zero_key_ = true;
    ++size_;
    return true;
  }
  if ((stored_in_slots_ + 1) * 100 > slot_count_ * kMaxLoadPercent) Grow();
  Key128* table = slots();
  for (std::size_t slot = SlotOf(key);; slot = slot + 1 == slot_count_ ? 0 : slot + 1) {
    if (table[slot] == key) return false;
    if (IsEmpty(table[slot])) {
      table[slot] = key;
      ++stored_in_slots_;
      ++size_;
      return true;
    }
  }
}

void Key128Set::Reserve(std::size_t keys) {
  const std::size_t needed = keys * 100 / kMaxLoadPercent + 1;
  if (needed > slot_count_) Rehash(needed);
}

// A table reserved for very few keys (an archive's size can under-estimate its text) grows
// like an empty one: half of one slot would be no growth at all.
void Key128Set::Grow() {
  Rehash(slot_count_ < kInitialSlots ? kInitialSlots : slot_count_ + slot_count_ / 2);
}

void Key128Set::Rehash(std::size_t slot_count) {
  const HugePageBuffer old_storage = std::move(storage_);
  const std::size_t old_count = slot_count_;
  storage_ = HugePageBuffer(slot_count * sizeof(Key128));  // zero bytes: empty slots
  slot_count_ = slot_count;
  const auto* old_table = reinterpret_cast<const Key128*>(old_storage.data());
  Key128* table = slots();
  for (std::size_t old_slot = 0; old_slot < old_count; ++old_slot) {
    const Key128& key = old_table[old_slot];
    if (IsEmpty(key)) continue;
    std::size_t slot = SlotOf(key);
    while (!IsEmpty(table[slot])) slot = slot + 1 == slot_count_ ? 0 : slot + 1;
    table[slot] = key;
  }
}

}  // namespace cryptomood
