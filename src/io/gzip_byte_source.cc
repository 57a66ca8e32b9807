#include "io/gzip_byte_source.h"

#include <limits>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr std::size_t kStoredBufferBytes = std::size_t{256} << 10;
// zlib's window bits for a 32 KiB window, plus 16: a gzip wrapper, not zlib's own.
constexpr int kGzipWindowBits = 15 + 16;

}  // namespace

Result<std::unique_ptr<GzipByteSource>> GzipByteSource::Open(std::unique_ptr<ByteSource> stored) {
  std::unique_ptr<GzipByteSource> source(new GzipByteSource(std::move(stored)));
  if (inflateInit2(&source->stream_, kGzipWindowBits) != Z_OK) {
    return Error{"cannot start gzip decompression: out of memory"};
  }
  return source;
}

GzipByteSource::GzipByteSource(std::unique_ptr<ByteSource> stored)
    : stored_(std::move(stored)), input_(kStoredBufferBytes) {}

GzipByteSource::~GzipByteSource() { inflateEnd(&stream_); }

Result<bool> GzipByteSource::Refill() {
  if (stream_.avail_in > 0) return true;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto got,
                              stored_->Read(reinterpret_cast<char*>(input_.data()), input_.size()));
  stream_.next_in = input_.data();
  stream_.avail_in = static_cast<uInt>(got);
  return got > 0;
}

Result<std::size_t> GzipByteSource::Read(char* destination, std::size_t count) {
  if (finished_) return std::size_t{0};
  const auto capacity =
      static_cast<uInt>(std::min<std::size_t>(count, std::numeric_limits<uInt>::max()));
  stream_.next_out = reinterpret_cast<unsigned char*>(destination);
  stream_.avail_out = capacity;
  while (stream_.avail_out == capacity) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const bool more, Refill());
    if (!more && !member_open_) {
      finished_ = true;
      break;
    }
    member_open_ = true;
    const int code = inflate(&stream_, Z_NO_FLUSH);
    if (code == Z_STREAM_END) {
      member_open_ = false;
      inflateReset(&stream_);
      continue;
    }
    // No stored bytes left, a member open, and nothing more to flush: the data end early.
    const bool no_progress = code == Z_OK || code == Z_BUF_ERROR;
    if (!more && no_progress && stream_.avail_out == capacity) {
      damage_ =
          "truncated gzip data at byte " + std::to_string(consumed()) + " (of the compressed file)";
      finished_ = true;
      break;
    }
    if (code != Z_OK && code != Z_BUF_ERROR) {
      damage_ = "corrupt gzip data at byte " + std::to_string(consumed()) + ": " +
                (stream_.msg != nullptr ? stream_.msg : "undecodable data");
      finished_ = true;
      break;
    }
  }
  return static_cast<std::size_t>(capacity - stream_.avail_out);
}

}  // namespace cryptomood
