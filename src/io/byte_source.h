// ByteSource: the bytes of one input's text, read in order, beneath ChunkReader's line logic.
// A source is a plain file or pipe (io/file_byte_source.h) or a decoder over one (gzip,
// zstd: io/gzip_byte_source.h, io/zstd_byte_source.h), chosen by the input's first bytes
// (io/input_decoding.h). Damaged stored data (a truncated or corrupt archive) is not a read
// error: the text ends where decoding failed, every byte decoded before it is delivered, and
// damage() says what went wrong and at which byte of the stored file. A failing read of the
// file itself is an error.
// Ownership: a source owns what it reads from. Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace cryptomood {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `count` (> 0) bytes of text into `destination`; returns how many, 0 only at
  // the end of the text (or at the damage that ends it).
  virtual Result<std::size_t> Read(char* destination, std::size_t count) = 0;

  // Bytes of the file as stored (compressed, for an archive) consumed so far.
  virtual std::uint64_t stored_bytes_read() const = 0;

  // Once Read has returned 0: why the text ended early, naming the offset in the stored
  // file, e.g. "truncated gzip data at byte 123456 (of the compressed file)"; nullopt when
  // the text ended where the stored data did.
  virtual std::optional<std::string> damage() const { return std::nullopt; }

  // True when the text is decoded from compressed stored bytes.
  virtual bool decompresses() const { return false; }
};

}  // namespace cryptomood
