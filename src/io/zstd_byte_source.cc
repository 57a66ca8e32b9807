#include "io/zstd_byte_source.h"

#include "core/status_macros.h"

namespace cryptomood {

Result<std::unique_ptr<ZstdByteSource>> ZstdByteSource::Open(std::unique_ptr<ByteSource> stored) {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  if (context == nullptr) return Error{"cannot start zstd decompression: out of memory"};
  return std::unique_ptr<ZstdByteSource>(new ZstdByteSource(std::move(stored), context));
}

ZstdByteSource::ZstdByteSource(std::unique_ptr<ByteSource> stored, ZSTD_DCtx* context)
    : stored_(std::move(stored)), context_(context), buffer_(ZSTD_DStreamInSize()) {}

ZstdByteSource::~ZstdByteSource() { ZSTD_freeDCtx(context_); }

Result<bool> ZstdByteSource::Refill() {
  if (input_.pos < input_.size) return true;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto got, stored_->Read(buffer_.data(), buffer_.size()));
  input_ = ZSTD_inBuffer{buffer_.data(), got, 0};
  return got > 0;
}

Result<std::size_t> ZstdByteSource::Read(char* destination, std::size_t count) {
  if (finished_) return std::size_t{0};
  ZSTD_outBuffer output{destination, count, 0};
  while (output.pos == 0) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto more, Refill());
    if (!more && !frame_open_) {
      finished_ = true;
      break;
    }
    // Returns 0 once a frame is decoded and flushed; the next call starts the next frame.
    const std::size_t hint = ZSTD_decompressStream(context_, &output, &input_);
    if (ZSTD_isError(hint) != 0U) {
      damage_ = "corrupt zstd data at byte " + std::to_string(consumed()) + ": " +
                ZSTD_getErrorName(hint);
      finished_ = true;
      break;
    }
    frame_open_ = hint != 0;
    if (!more && frame_open_ && output.pos == 0) {
      damage_ =
          "truncated zstd data at byte " + std::to_string(consumed()) + " (of the compressed file)";
      finished_ = true;
      break;
    }
  }
  return output.pos;
}

}  // namespace cryptomood
