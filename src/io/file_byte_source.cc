#include "io/file_byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

Error SystemError(std::string_view action, std::string_view name, int error_number) {
  return Error{std::string(action) + " " + std::string(name) + ": " + std::strerror(error_number)};
}

}  // namespace

Result<std::unique_ptr<FileByteSource>> FileByteSource::Open(const std::string& path) {
  const bool is_stdin = path == "-";
  const std::string display_name = is_stdin ? "<stdin>" : path;
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot open", display_name, errno);

  struct stat status {};
  std::optional<std::uint64_t> size_bytes;
  if (::fstat(fd, &status) == 0) {
    if (S_ISDIR(status.st_mode)) {
      if (!is_stdin) ::close(fd);
      return Error{"cannot read " + display_name + ": it is a directory"};
    }
    if (S_ISREG(status.st_mode)) {
      size_bytes = static_cast<std::uint64_t>(status.st_size);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  return std::unique_ptr<FileByteSource>(
      new FileByteSource(fd, !is_stdin, display_name, size_bytes));
}

FileByteSource::FileByteSource(int fd, bool owns_fd, std::string display_name,
                               std::optional<std::uint64_t> size_bytes)
    : fd_(fd), owns_fd_(owns_fd), display_name_(std::move(display_name)), size_bytes_(size_bytes) {}

FileByteSource::~FileByteSource() {
  if (owns_fd_) ::close(fd_);
}

Result<std::size_t> FileByteSource::ReadOnce(char* destination, std::size_t count) {
  while (true) {
    const ssize_t got = ::read(fd_, destination, count);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return SystemError("cannot read", display_name_, errno);
  }
}

Result<std::string_view> FileByteSource::Peek(std::size_t count) {
  while (peeked_.size() < count) {
    const std::size_t had = peeked_.size();
    peeked_.resize(count);
    auto got = ReadOnce(peeked_.data() + had, count - had);
    if (!got.ok()) {
      peeked_.resize(had);
      return got.error();
    }
    peeked_.resize(had + *got);
    if (*got == 0) break;
  }
  return std::string_view(peeked_).substr(0, std::min(count, peeked_.size()));
}

Result<std::size_t> FileByteSource::Read(char* destination, std::size_t count) {
  std::size_t done = 0;
  if (!peeked_.empty()) {
    done = std::min(count, peeked_.size());
    std::memcpy(destination, peeked_.data(), done);
    peeked_.erase(0, done);
    if (done == count) {
      bytes_read_ += done;
      return done;
    }
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto got, ReadOnce(destination + done, count - done));
  done += got;
  bytes_read_ += done;
  return done;
}

}  // namespace cryptomood
