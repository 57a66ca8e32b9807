// Key128Set: a compact set of 128-bit keys (trade uuids, content hashes of tweets) for
// duplicate detection over millions of records: 16 bytes a slot in one flat array with
// linear probing, no per-entry allocation. Keys should be well mixed in either half (uuids
// and hashes are); the slot is chosen from a further mix of both halves anyway.
// Thread-safety: not thread-safe; used by the loader's consuming thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "io/huge_page_buffer.h"

namespace cryptomood {

struct Key128 {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const Key128&, const Key128&) = default;
};

static_assert(std::is_trivially_copyable_v<Key128>);

class Key128Set {
 public:
  // Adds `key`; false if it was already present.
  bool Insert(const Key128& key);
  bool Contains(const Key128& key) const;
  // Sizes the table for `keys` keys in all, so that reaching them needs no rehash.
  void Reserve(std::size_t keys);
  // Starts loading the slot of `key` into the cache: inserting a batch of keys costs one
  // memory latency instead of one per key when each key is prefetched a few inserts ahead.
  void Prefetch(const Key128& key) const {
    if (slot_count_ > 0) __builtin_prefetch(&slots()[SlotOf(key)]);
  }
  std::size_t size() const { return size_; }

 private:
  std::size_t SlotOf(const Key128& key) const;
  void Grow();
  void Rehash(std::size_t slot_count);

  Key128* slots() const { return reinterpret_cast<Key128*>(storage_.data()); }

  // The all-zero key marks an empty slot, so it is tracked apart.
  HugePageBuffer storage_;  // slot_count_ Key128 slots
  std::size_t slot_count_ = 0;
  std::size_t size_ = 0;
  std::size_t stored_in_slots_ = 0;
  bool has_zero_key_ = false;
};

}  // namespace cryptomood
