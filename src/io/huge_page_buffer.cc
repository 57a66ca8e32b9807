#include "io/huge_page_buffer.h"

#include <sys/mman.h>

#include <cstring>
#include <new>

namespace cryptomood {
namespace {

constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

}  // namespace

HugePageBuffer::HugePageBuffer(std::size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  // Small buffers gain nothing from huge pages; large ones are rounded to whole pages so
  // that the advice covers all of them.
  const bool huge = bytes >= kHugePageBytes;
  const std::size_t alignment = huge ? kHugePageBytes : alignof(std::max_align_t);
  const std::size_t allocated = (bytes + alignment - 1) / alignment * alignment;
  void* memory = std::aligned_alloc(alignment, allocated);
  if (memory == nullptr) throw std::bad_alloc();
  if (huge) ::madvise(memory, allocated, MADV_HUGEPAGE);
  std::memset(memory, 0, allocated);
  memory_.reset(static_cast<char*>(memory));
}

}  // namespace cryptomood
