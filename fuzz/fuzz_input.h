// FuzzInput: the fuzzer's bytes copied into a buffer followed by SIMDJSON_PADDING bytes, as
// the loader hands lines to the parsers, so that reads past the padding are caught by ASan.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace cryptomood::fuzzing {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : size_(size), buffer_(std::make_unique<char[]>(size + simdjson::SIMDJSON_PADDING)) {
    if (size > 0) std::memcpy(buffer_.get(), data, size);
    std::memset(buffer_.get() + size, ' ', simdjson::SIMDJSON_PADDING);
  }
  std::string_view text() const { return {buffer_.get(), size_}; }
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(buffer_.get(), size_, size_ + simdjson::SIMDJSON_PADDING);
  }

 private:
  std::size_t size_;
  std::unique_ptr<char[]> buffer_;
};

}  // namespace cryptomood::fuzzing
