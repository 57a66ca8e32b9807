// GzipByteSource: the text of a gzip file, inflated (zlib) while it is read, a bounded buffer
// at a time: never whole, never to disk. Concatenated members (`cat a.gz b.gz`) are one
// text. Damage ends the text (io/byte_source.h): stored bytes that end inside a member are
// "truncated gzip data at byte N (of the compressed file)", N being the stored size; bytes
// zlib cannot decode are "corrupt gzip data at byte N: <zlib's reason>", N being how far
// zlib had consumed.
// Ownership: owns the stored bytes' source. Thread-safety: one thread at a time.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "io/byte_source.h"

namespace cryptomood {

class GzipByteSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<GzipByteSource>> Open(std::unique_ptr<ByteSource> stored);
  ~GzipByteSource() override;
  GzipByteSource(const GzipByteSource&) = delete;
  GzipByteSource& operator=(const GzipByteSource&) = delete;

  Result<std::size_t> Read(char* destination, std::size_t count) override;
  std::uint64_t stored_bytes_read() const override { return stored_->stored_bytes_read(); }
  std::optional<std::string> damage() const override { return damage_; }
  bool decompresses() const override { return true; }

 private:
  explicit GzipByteSource(std::unique_ptr<ByteSource> stored);
  // Refills zlib's input when it is used up; false at the end of the stored bytes.
  Result<bool> Refill();
  // Stored bytes zlib has consumed.
  std::uint64_t consumed() const { return stored_->stored_bytes_read() - stream_.avail_in; }

  std::unique_ptr<ByteSource> stored_;
  z_stream stream_{};
  std::vector<unsigned char> input_;
  bool member_open_ = false;  // zlib has begun a member that has not ended
  bool finished_ = false;
  std::optional<std::string> damage_;
};

}  // namespace cryptomood
