// HugePageBuffer: zero-filled memory for the loader's large long-lived buffers (chunk
// buffers, duplicate-detection tables), advised to the kernel as transparent huge pages.
// Why: on this kind of machine (a virtual machine) every 4 KiB page fault and TLB miss is
// costly; a 50 MB table touched at random costs far less on 2 MiB pages. Where huge pages
// are unavailable the advice is ignored and the buffer behaves like any other.
// Ownership: owns its memory; movable, not copyable.
// Thread-safety: none of its own; the bytes are plain memory.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace cryptomood {

class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  explicit HugePageBuffer(std::size_t bytes);

  char* data() const { return memory_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    // Pairs with std::aligned_alloc, which the huge-page alignment needs (no RAII type gives it).
    // NOLINTNEXTLINE(cppcoreguidelines-no-malloc)
    void operator()(char* memory) const { std::free(memory); }
  };
  std::unique_ptr<char, Free> memory_;
  std::size_t size_ = 0;
};

}  // namespace cryptomood
