#include "io/huge_page_buffer.h"

#include <cstring>

namespace cryptomood {

HugePageBuffer::HugePageBuffer(std::size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  char* memory = HugePageAllocator<char>().allocate(bytes);
  std::memset(memory, 0, bytes);
  memory_ = std::unique_ptr<char, HugePageRelease>(memory, HugePageRelease{bytes});
}

}  // namespace cryptomood
