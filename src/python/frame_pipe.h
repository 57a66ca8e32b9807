// FramePipe: feeds generated text (a DataFrame's rows as JSON lines) to a reader that only
// knows file paths, through an anonymous pipe written by a thread of its own. The reader opens
// path() ("/dev/fd/N") like any file; the writer blocks while the pipe is full, so memory stays
// at one batch however many rows there are. Closing the pipe (Close, or the destructor) before
// the reader has read everything makes the writer stop at its next write.
// Ownership: the pipe owns both ends and its thread; the row writer must stay valid until
// Close returns.
// Thread-safety: Close and the destructor are called from the thread that started the pipe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"

namespace cryptomood::python {

class FramePipe {
 public:
  // Appends the text of row `row` to `out`.
  using RowWriter = std::function<void(std::size_t row, std::string& out)>;

  static Result<std::unique_ptr<FramePipe>> Start(std::size_t rows, RowWriter write_row);
  ~FramePipe();
  FramePipe(const FramePipe&) = delete;
  FramePipe& operator=(const FramePipe&) = delete;

  // A path that opens the pipe's read end.
  const std::string& path() const { return path_; }
  // Closes the read end and waits for the writer to stop.
  void Close();

 private:
  FramePipe(int read_fd, int write_fd);
  void WriteAll(std::size_t rows, const RowWriter& write_row) const;

  int read_fd_;
  int write_fd_;
  std::string path_;
  std::thread writer_;
};

}  // namespace cryptomood::python
