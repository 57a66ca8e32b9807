// HugePageAllocator: a std::allocator that asks for transparent huge pages on large blocks.
// Why: the loader grows a few vectors to tens of MB (a symbol's trades, a coin's tweets), and
// on a virtual machine each 4 KiB page fault is costly; those vectors' growth is where most
// of a load's page faults come from. Blocks of 2 MiB or more are aligned to 2 MiB and
// advised MADV_HUGEPAGE over their whole huge pages (a hint: where huge pages are off it is
// ignored and nothing changes); smaller blocks come from operator new as usual. It is a
// hand-written piece because the standard library has no huge-page allocator and a library
// dependency for 30 lines is not worth it; madvise is memory management, not I/O, so it may
// live in core.
// Thread-safety: stateless; any thread may allocate and free.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace cryptomood {

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) {}

  T* allocate(std::size_t count) {
    const std::size_t bytes = count * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    void* memory = nullptr;
    if (::posix_memalign(&memory, kHugePageBytes, bytes) != 0) throw std::bad_alloc();
    // Only whole huge pages are advised: a huge page over the block's tail would make up to
    // 2 MiB resident that the block never uses (a long-lived copy pays that per series).
    ::madvise(memory, bytes / kHugePageBytes * kHugePageBytes, MADV_HUGEPAGE);
    return static_cast<T*>(memory);
  }

  void deallocate(T* memory, std::size_t count) {
    if (count * sizeof(T) < kHugePageBytes) {
      ::operator delete(memory);
      return;
    }
    // Pairs with posix_memalign above. NOLINTNEXTLINE(cppcoreguidelines-no-malloc)
    std::free(memory);
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>& /*other*/) const {
    return true;
  }

 private:
  static constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
};

// A vector for the large, long-growing series.
template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace cryptomood
