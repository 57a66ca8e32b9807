#include "io/chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "core/status_macros.h"
#include "io/input_decoding.h"

namespace cryptomood {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Compressed JSON lines of trades and tweets shrink about this much (gzip -6 and zstd -3
// alike): the factor that turns an archive's size into the expected size of its text.
constexpr std::uint64_t kTypicalCompressionRatio = 5;

}  // namespace

void Chunk::Reserve(std::size_t data_bytes) {
  const std::size_t needed = data_bytes + simdjson::SIMDJSON_PADDING;
  if (needed <= buffer_.size()) return;
  HugePageBuffer grown(needed);
  if (size_ > 0) std::memcpy(grown.data(), buffer_.data(), size_);
  buffer_ = std::move(grown);
}

Result<std::unique_ptr<ChunkReader>> ChunkReader::Open(const std::string& path,
                                                       std::size_t chunk_bytes,
                                                       std::size_t max_line_bytes) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(OpenedInput input, OpenInputText(path));
  return std::unique_ptr<ChunkReader>(new ChunkReader(
      std::move(input.text), std::move(input.display_name), std::max<std::size_t>(chunk_bytes, 1),
      std::max<std::size_t>(max_line_bytes, 1), input.size_bytes));
}

ChunkReader::ChunkReader(std::unique_ptr<ByteSource> source, std::string display_name,
                         std::size_t chunk_bytes, std::size_t max_line_bytes,
                         std::optional<std::uint64_t> size_bytes)
    : source_(std::move(source)),
      display_name_(std::move(display_name)),
      chunk_bytes_(chunk_bytes),
      max_line_bytes_(max_line_bytes),
      size_bytes_(size_bytes) {}

std::optional<std::uint64_t> ChunkReader::expected_text_bytes() const {
  if (!size_bytes_ || !source_->decompresses()) return size_bytes_;
  return *size_bytes_ * kTypicalCompressionRatio;
}

Result<std::size_t> ChunkReader::ReadUpTo(char* destination, std::size_t count) {
  std::size_t done = 0;
  while (done < count) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t got,
                                source_->Read(destination + done, count - done));
    if (got == 0) break;
    done += got;
  }
  bytes_read_ += done;
  return done;
}

std::size_t ChunkReader::WithoutByteOrderMark(char* buffer, std::size_t filled) {
  if (std::string_view(buffer, filled).starts_with(kByteOrderMark)) {
    std::memmove(buffer, buffer + kByteOrderMark.size(), filled - kByteOrderMark.size());
    return filled - kByteOrderMark.size();
  }
  return filled;
}

void ChunkReader::Number(Chunk& chunk) {
  start_checked_ = true;  // a byte order mark holds no newline: it cannot follow a chunk
  chunk.index_ = chunks_read_++;
  chunk.end_offset_ = bytes_read_ - carry_.size();
  chunk.stored_end_offset_ =
      source_->decompresses() ? source_->stored_bytes_read() : chunk.end_offset_;
}

Result<bool> ChunkReader::NextPartOfLongLine(Chunk& chunk) {
  // The first part ended without a newline, so nothing is carried.
  chunk.size_ = 0;
  chunk.truncated_line_ = false;
  chunk.continues_line_ = true;
  chunk.Reserve(chunk_bytes_);
  char* buffer = chunk.buffer_.data();
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto got, ReadUpTo(buffer, chunk_bytes_));
  if (got < chunk_bytes_) at_end_ = true;
  const char* newline = static_cast<const char*>(std::memchr(buffer, '\n', got));
  const char* end = buffer + got;
  chunk.size_ = newline == nullptr ? got : static_cast<std::size_t>(newline - buffer);
  if (newline != nullptr) carry_.assign(newline + 1, end);
  in_long_line_ = newline == nullptr && !at_end_;
  long_line_bytes_ += chunk.size_;
  if (long_line_bytes_ > kEndlessLineFactor * max_line_bytes_) {
    return Error{display_name_ + " holds a line longer than " +
                 std::to_string(kEndlessLineFactor * max_line_bytes_) +
                 " bytes: it does not look like JSON lines"};
  }
  if (chunk.size_ == 0) return false;
  Number(chunk);
  return true;
}

Result<bool> ChunkReader::Next(Chunk& chunk) {
  if (in_long_line_) {
    auto part = NextPartOfLongLine(chunk);
    if (!part.ok() || *part) return part;
  }
  if (at_end_ && carry_.empty()) return false;

  // The carried bytes hold no newline, so the buffer must have room for more than them.
  std::size_t target = std::max(chunk_bytes_, 2 * carry_.size());
  chunk.size_ = 0;
  chunk.truncated_line_ = false;
  chunk.continues_line_ = false;
  chunk.Reserve(target);
  char* buffer = chunk.buffer_.data();
  std::size_t filled = carry_.size();
  if (filled > 0) std::memcpy(buffer, carry_.data(), filled);
  carry_.clear();
  std::size_t searched = filled;

  while (true) {
    if (!at_end_ && filled < target) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(auto got, ReadUpTo(buffer + filled, target - filled));
      filled += got;
      if (filled < target) at_end_ = true;
      if (!start_checked_ && (filled >= kByteOrderMark.size() || at_end_)) {
        start_checked_ = true;
        const std::size_t kept = WithoutByteOrderMark(buffer, filled);
        if (kept != filled) searched = 0;
        filled = kept;
      }
    }
    const void* newline = ::memrchr(buffer + searched, '\n', filled - searched);
    if (newline != nullptr) {
      chunk.size_ = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer) + 1;
      carry_.assign(buffer + chunk.size_, buffer + filled);
      break;
    }
    if (at_end_) {
      chunk.size_ = filled;
      break;
    }
    if (filled >= max_line_bytes_) {
      chunk.size_ = filled;
      chunk.truncated_line_ = true;
      in_long_line_ = true;
      long_line_bytes_ = filled;
      break;
    }
    // One line fills the whole buffer: grow it, keeping what was read.
    searched = filled;
    target = std::min(2 * target, std::max(max_line_bytes_, filled + 1));
    chunk.size_ = filled;
    chunk.Reserve(target);
    buffer = chunk.buffer_.data();
  }
  if (chunk.size_ == 0) return false;
  Number(chunk);
  return true;
}

}  // namespace cryptomood
