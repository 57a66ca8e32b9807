#include "python/frame_pipe.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace cryptomood::python {
namespace {

constexpr std::size_t kPipeBytes = std::size_t{1} << 20;

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
  // writers and reader.
  ::fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(kPipeBytes));
  std::unique_ptr<FramePipe> pipe(new FramePipe(fds[0], fds[1], rows, std::move(write_row)));
  for (std::size_t formatter = 0; formatter < kFormatters; ++formatter) {
    pipe->formatters_.emplace_back([raw = pipe.get(), formatter] { raw->Format(formatter); });
  }
  return pipe;
}

FramePipe::FramePipe(int read_fd, int write_fd, std::size_t rows, RowWriter write_row)
    : read_fd_(read_fd),
      write_fd_(write_fd),
      path_("/dev/fd/" + std::to_string(read_fd)),
      rows_(rows),
      write_row_(std::move(write_row)),
      formatters_left_(kFormatters) {}

FramePipe::~FramePipe() { Close(); }

void FramePipe::Close() {
  if (read_fd_ >= 0) {
    ::close(read_fd_);
    read_fd_ = -1;
  }
  for (std::thread& formatter : formatters_) {
    if (formatter.joinable()) formatter.join();
  }
}

bool FramePipe::AwaitTurn(std::size_t batch) {
  MutexLock lock(mutex_);
  while (!reader_gone_ && next_batch_ != batch) turn_changed_.Wait(mutex_);
  return !reader_gone_;
}

void FramePipe::EndTurn(bool written) {
  {
    MutexLock lock(mutex_);
    reader_gone_ = reader_gone_ || !written;
    ++next_batch_;
  }
  turn_changed_.NotifyAll();
}

void FramePipe::FormatterDone() {
  MutexLock lock(mutex_);
  if (--formatters_left_ == 0) ::close(write_fd_);
}

void FramePipe::Format(std::size_t first_batch) {
  BlockBrokenPipeSignal();
  std::string text;
  for (std::size_t batch = first_batch; batch * kBatchRows < rows_; batch += kFormatters) {
    text.clear();
    const std::size_t end = std::min(rows_, (batch + 1) * kBatchRows);
    for (std::size_t row = batch * kBatchRows; row < end; ++row) write_row_(row, text);
    if (!AwaitTurn(batch)) break;
    EndTurn(WriteFully(write_fd_, text));
  }
  FormatterDone();
  DiscardPendingBrokenPipe();
}

}  // namespace cryptomood::python
