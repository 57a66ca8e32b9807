// HugePageBuffer: zero-filled memory for the loader's large long-lived buffers (chunk
// buffers, duplicate-detection tables), advised to the kernel as transparent huge pages.
// Why: on a virtual machine every 4 KiB page fault and TLB miss is costly, and a table of
// tens of MB touched at random takes far fewer of both on 2 MiB pages. Where huge pages
// are unavailable the advice is ignored and the buffer behaves like any other. The memory
// comes from core's HugePageAllocator, which the loaded columns use too.
// Ownership: owns its memory; movable, not copyable.
// Thread-safety: none of its own; the bytes are plain memory.
#pragma once

#include <cstddef>
#include <memory>

#include "core/huge_page_allocator.h"

namespace cryptomood {

// Frees a HugePageBuffer's memory; it needs the size, as the allocator does. (Declared here,
// not nested: a nested type with a member initializer is not yet default-constructible where
// the class declares its members.)
struct HugePageRelease {
  std::size_t bytes = 0;
  void operator()(char* memory) const { HugePageAllocator<char>().deallocate(memory, bytes); }
};

class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  explicit HugePageBuffer(std::size_t bytes);

  char* data() const { return memory_.get(); }
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<char, HugePageRelease> memory_;
  std::size_t size_ = 0;
};

}  // namespace cryptomood
