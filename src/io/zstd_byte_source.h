// ZstdByteSource: the text of a zstd file, decompressed (libzstd's streaming API) while it is
// read, a bounded buffer at a time: never whole, never to disk. Concatenated frames are one
// text (skippable frames hold none). Damage ends the text (io/byte_source.h): stored bytes
// that end inside a frame are "truncated zstd data at byte N (of the compressed file)", N
// being the stored size; bytes libzstd cannot decode are "corrupt zstd data at byte N:
// <libzstd's error name>", N being how far libzstd had consumed.
// Ownership: owns the stored bytes' source. Thread-safety: one thread at a time.
#pragma once

#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "io/byte_source.h"

namespace cryptomood {

class ZstdByteSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<ZstdByteSource>> Open(std::unique_ptr<ByteSource> stored);
  ~ZstdByteSource() override;
  ZstdByteSource(const ZstdByteSource&) = delete;
  ZstdByteSource& operator=(const ZstdByteSource&) = delete;

  Result<std::size_t> Read(char* destination, std::size_t count) override;
  std::uint64_t stored_bytes_read() const override { return stored_->stored_bytes_read(); }
  std::optional<std::string> damage() const override { return damage_; }
  bool decompresses() const override { return true; }

 private:
  ZstdByteSource(std::unique_ptr<ByteSource> stored, ZSTD_DCtx* context);
  // Refills libzstd's input when it is used up; false at the end of the stored bytes.
  Result<bool> Refill();
  // Stored bytes libzstd has consumed.
  std::uint64_t consumed() const {
    return stored_->stored_bytes_read() - (input_.size - input_.pos);
  }

  std::unique_ptr<ByteSource> stored_;
  ZSTD_DCtx* context_;
  std::vector<char> buffer_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool frame_open_ = false;  // libzstd has begun a frame that has not ended
  bool finished_ = false;
  std::optional<std::string> damage_;
};

}  // namespace cryptomood
