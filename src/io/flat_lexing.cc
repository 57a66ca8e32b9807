#include "io/flat_lexing.h"

#include <array>

namespace cryptomood::flat_lexing {
namespace {

constexpr std::size_t kBlockBytes = 16;
using SignedBlock __attribute__((vector_size(kBlockBytes))) = signed char;

SignedBlock LoadBlock(const char* position) {
  SignedBlock block;
  std::memcpy(&block, position, sizeof(block));
  return block;
}

bool AnyByteSet(SignedBlock block) {
  std::array<std::uint64_t, 2> words{};
  std::memcpy(words.data(), &block, sizeof(block));
  return (words[0] | words[1]) != 0;
}

// All ones in the bytes that are a backslash or a control character. As signed bytes,
// non-ASCII bytes are negative, so "below 0x20" alone would count them too.
SignedBlock BackslashOrControl(SignedBlock block) {
  return ((block >= 0) & (block < 0x20)) | (block == '\\');
}

// All ones in bytes [0, count) of a block: the part of the last block inside the line.
SignedBlock FirstBytesMask(std::size_t count) {
  SignedBlock index;
  for (std::size_t i = 0; i < kBlockBytes; ++i) index[i] = static_cast<signed char>(i);
  return index < static_cast<signed char>(count);
}

}  // namespace

LineBytes ClassifyLineBytes(const char* begin, const char* end) {
  SignedBlock special{};
  SignedBlock high{};
  const char* position = begin;
  for (; end - position >= static_cast<std::ptrdiff_t>(kBlockBytes); position += kBlockBytes) {
    const SignedBlock block = LoadBlock(position);
    special |= BackslashOrControl(block);
    high |= block;
  }
  if (position < end) {
    const SignedBlock inside = FirstBytesMask(static_cast<std::size_t>(end - position));
    const SignedBlock block = LoadBlock(position);
    special |= BackslashOrControl(block) & inside;
    high |= block & inside;
  }
  return LineBytes{AnyByteSet(special), AnyByteSet(high < 0)};
}

}  // namespace cryptomood::flat_lexing
