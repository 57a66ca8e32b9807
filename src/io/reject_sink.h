// RejectSink: where the loaders report input lines they reject, with the file, the 1-based
// line number, the human reason and the raw bytes of the line (without its newline).
// ReportingRejectSink is the command line's sink: it prints the first few rejects as
// "FILE:LINE: reason" on a message stream (stderr; escaped for a terminal), summarises the rest on
// Finish, and optionally writes every rejected raw line verbatim and whole, one per line, to a
// reject file (an over-long line streams through in parts, never held whole). Damage that
// ends an input is always printed, as "FILE: reason", counted, and not written to the file.
// Ownership: ReportingRejectSink owns its reject file; the message stream must outlive it.
// Thread-safety: sinks are called from one thread at a time (the loaders' consuming thread).
#pragma once

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cryptomood {

class RejectSink {
 public:
  virtual ~RejectSink() = default;
  virtual void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
                      std::string_view raw_line) = 0;
  // More bytes of the raw line of the last Reject call: a line longer than the reader's
  // line limit arrives in parts (io/chunk_reader.h). Sinks that keep only a prefix ignore it.
  virtual void ContinueRawLine(std::string_view /*more_raw_bytes*/) {}
  // The input ended early at damaged data (a truncated or corrupt archive, see
  // ChunkReader::damage): `line_number` follows the input's last line and `reason` names the
  // stored byte offset. It holds no line of its own. By default an entry like a rejected line
  // without raw bytes.
  virtual void Damaged(std::string_view file, std::int64_t line_number, std::string_view reason) {
    Reject(file, line_number, reason, {});
  }
};

class ReportingRejectSink final : public RejectSink {
 public:
  static constexpr std::int64_t kDefaultShownLimit = 20;

  // `reject_path` empty: no reject file. Fails if the reject file cannot be created.
  static Result<ReportingRejectSink> Open(const std::string& reject_path,
                                          std::ostream& messages = std::cerr,
                                          std::int64_t shown_limit = kDefaultShownLimit);

  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view raw_line) override;
  void ContinueRawLine(std::string_view more_raw_bytes) override;
  void Damaged(std::string_view file, std::int64_t line_number, std::string_view reason) override;

  // Prints "... and N more rejected lines" when some were not shown, and closes the reject
  // file; fails if writing it failed. Call once, after loading.
  Status Finish();

  std::int64_t rejected() const { return rejected_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  ReportingRejectSink(std::ostream& messages, std::int64_t shown_limit, std::FILE* reject_file,
                      std::string reject_path);

  std::ostream* messages_;
  std::int64_t shown_limit_;
  std::unique_ptr<std::FILE, FileCloser> reject_file_;  // null without a reject file
  std::string reject_path_;
  // Appends to the reject file, remembering a failure.
  void WriteRaw(std::string_view bytes);
  // Ends the last raw line written, if any: its newline waits until no part of it can follow.
  void EndRawLine();

  std::int64_t rejected_ = 0;  // rejected lines and damaged inputs
  std::int64_t damaged_ = 0;
  bool write_failed_ = false;
  bool raw_line_open_ = false;
};

}  // namespace cryptomood
