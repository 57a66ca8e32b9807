#include "io/huge_page_buffer.h"

#include <cstring>
#include <thread>

namespace cryptomood {
namespace {

// Below this, a second thread costs more than it saves.
constexpr std::size_t kZeroOnTwoThreadsFrom = std::size_t{8} << 20;
constexpr std::size_t kPageBytes = 4096;

// Zeroing a new buffer is mostly the kernel providing its pages, a cost that on a virtual
// machine can reach milliseconds per MB; it runs before the loader's workers start (the
// duplicate tables), so a second thread halves it while the other core would sit idle.
void Zero(char* memory, std::size_t bytes) {
  if (bytes < kZeroOnTwoThreadsFrom) {
    std::memset(memory, 0, bytes);
    return;
  }
  const std::size_t half = bytes / 2 / kPageBytes * kPageBytes;
  std::thread helper([memory, half] { std::memset(memory, 0, half); });
  std::memset(memory + half, 0, bytes - half);
  helper.join();
}

}  // namespace

HugePageBuffer::HugePageBuffer(std::size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  char* memory = HugePageAllocator<char>().allocate(bytes);
  Zero(memory, bytes);
  memory_ = std::unique_ptr<char, HugePageRelease>(memory, HugePageRelease{bytes});
}

}  // namespace cryptomood
