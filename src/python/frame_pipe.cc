#include "python/frame_pipe.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace cryptomood::python {
namespace {

// Bytes collected before each write: large enough that the reader gets big pieces.
constexpr std::size_t kBatchBytes = std::size_t{1} << 20;

// Writes all of text; false once the read end is gone (or on any other write error).
bool WriteFully(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// A write to a pipe without a reader raises SIGPIPE in the writing thread; blocked there, the
// write fails with EPIPE instead and the process is never killed for it.
void BlockBrokenPipeSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// Takes back a SIGPIPE left pending in this thread by a failed write.
void DiscardPendingBrokenPipe() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGPIPE);
  const timespec no_wait{};
  while (sigtimedwait(&signals, nullptr, &no_wait) == SIGPIPE) {
  }
}

}  // namespace

Result<std::unique_ptr<FramePipe>> FramePipe::Start(std::size_t rows, RowWriter write_row) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  }
  // A larger pipe buffer (best effort: the system may cap it) means fewer switches between
  // writer and reader per batch.
  ::fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(kBatchBytes));
  std::unique_ptr<FramePipe> pipe(new FramePipe(fds[0], fds[1]));
  pipe->writer_ = std::thread([raw = pipe.get(), rows, write_row = std::move(write_row)] {
    raw->WriteAll(rows, write_row);
  });
  return pipe;
}

FramePipe::FramePipe(int read_fd, int write_fd)
    : read_fd_(read_fd), write_fd_(write_fd), path_("/dev/fd/" + std::to_string(read_fd)) {}

FramePipe::~FramePipe() { Close(); }

void FramePipe::Close() {
  if (read_fd_ >= 0) {
    ::close(read_fd_);
    read_fd_ = -1;
  }
  if (writer_.joinable()) writer_.join();
}

void FramePipe::WriteAll(std::size_t rows, const RowWriter& write_row) const {
  BlockBrokenPipeSignal();
  std::string batch;
  batch.reserve(kBatchBytes + 4096);
  bool reader_there = true;
  for (std::size_t row = 0; row < rows && reader_there; ++row) {
    write_row(row, batch);
    if (batch.size() >= kBatchBytes) {
      reader_there = WriteFully(write_fd_, batch);
      batch.clear();
    }
  }
  if (reader_there) WriteFully(write_fd_, batch);
  ::close(write_fd_);
  DiscardPendingBrokenPipe();
}

}  // namespace cryptomood::python
