// FileByteSource: the bytes of a file or of standard input ("-") as stored, read with
// read(2). The first bytes can be looked at (Peek) before they are read, so that an input's
// encoding is recognised by content even on a pipe, where nothing can be read twice.
// Ownership: owns its file descriptor (not standard input's). Thread-safety: one thread at
// a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "io/byte_source.h"

namespace cryptomood {

class FileByteSource final : public ByteSource {
 public:
  // `path` "-" reads standard input. Fails with a readable message if the file cannot be
  // opened or is a directory.
  static Result<std::unique_ptr<FileByteSource>> Open(const std::string& path);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  // The name to show in messages: the path, or "<stdin>".
  const std::string& display_name() const { return display_name_; }
  // Size of a regular file; nullopt for pipes and terminals.
  std::optional<std::uint64_t> size_bytes() const { return size_bytes_; }

  // The first `count` bytes of the input (fewer if it is shorter), without consuming them.
  // Only before the first Read.
  Result<std::string_view> Peek(std::size_t count);

  Result<std::size_t> Read(char* destination, std::size_t count) override;
  std::uint64_t stored_bytes_read() const override { return bytes_read_; }

 private:
  FileByteSource(int fd, bool owns_fd, std::string display_name,
                 std::optional<std::uint64_t> size_bytes);
  // One read(2), retried on EINTR.
  Result<std::size_t> ReadOnce(char* destination, std::size_t count);

  int fd_;
  bool owns_fd_;
  std::string display_name_;
  std::optional<std::uint64_t> size_bytes_;
  std::string peeked_;  // read from the file by Peek, not yet by Read
  std::uint64_t bytes_read_ = 0;
};

}  // namespace cryptomood
