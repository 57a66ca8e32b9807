// FramePipe: feeds generated text (a DataFrame's rows as JSON lines) to a reader that only
// knows file paths, through an anonymous pipe written by threads of its own. The reader opens
// path() ("/dev/fd/N") like any file. Rows are formatted in batches of kBatchRows by
// kFormatters threads taking batches in turn; each writes its batch when all earlier batches
// are written, so the text arrives in row order while the next batches are being formatted.
// Writers block while the pipe is full, so memory stays at one batch per thread however many
// rows there are. Closing the pipe (Close, or the destructor) before the reader has read
// everything makes the writers stop at their next write.
// Ownership: the pipe owns both ends and its threads; the row writer must stay valid until
// Close returns, and may be called from several threads at once.
// Thread-safety: Close and the destructor are called from the thread that started the pipe;
// the turn-taking state is guarded by mutex_.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"

namespace cryptomood::python {

class FramePipe {
 public:
  // Appends the text of row `row` to `out`.
  using RowWriter = std::function<void(std::size_t row, std::string& out)>;

  static constexpr std::size_t kBatchRows = 4096;
  static constexpr std::size_t kFormatters = 2;

  static Result<std::unique_ptr<FramePipe>> Start(std::size_t rows, RowWriter write_row);
  ~FramePipe();
  FramePipe(const FramePipe&) = delete;
  FramePipe& operator=(const FramePipe&) = delete;

  // A path that opens the pipe's read end.
  const std::string& path() const { return path_; }
  // Closes the read end and waits for the writer to stop.
  void Close();

 private:
  FramePipe(int read_fd, int write_fd, std::size_t rows, RowWriter write_row);
  // The work of formatter `first_batch`: batches first_batch, first_batch + kFormatters, ...
  void Format(std::size_t first_batch);
  // Waits until `batch` is the next to write; false if the reader is gone.
  bool AwaitTurn(std::size_t batch) EXCLUDES(mutex_);
  // Marks `batch` written (or the reader gone when !written) and passes the turn on.
  void EndTurn(bool written) EXCLUDES(mutex_);
  // Called by each formatter as it ends; the last closes the write end (the reader's EOF).
  void FormatterDone() EXCLUDES(mutex_);

  int read_fd_;
  int write_fd_;
  std::string path_;
  std::size_t rows_;
  RowWriter write_row_;
  Mutex mutex_;
  CondVar turn_changed_;
  std::size_t next_batch_ GUARDED_BY(mutex_) = 0;
  bool reader_gone_ GUARDED_BY(mutex_) = false;
  std::size_t formatters_left_ GUARDED_BY(mutex_) = 0;
  std::vector<std::thread> formatters_;
};

}  // namespace cryptomood::python
