#include "io/reject_sink.h"

#include <cerrno>
#include <cstring>
#include <ostream>

#include "io/terminal_text.h"

namespace cryptomood {

Result<ReportingRejectSink> ReportingRejectSink::Open(const std::string& reject_path,
                                                      std::ostream& messages,
                                                      std::int64_t shown_limit) {
  std::FILE* reject_file = nullptr;
  if (!reject_path.empty()) {
    reject_file = std::fopen(reject_path.c_str(), "wb");
    if (reject_file == nullptr) {
      return Error{"cannot create reject file " + reject_path + ": " + std::strerror(errno)};
    }
  }
  return ReportingRejectSink(messages, shown_limit, reject_file, reject_path);
}

ReportingRejectSink::ReportingRejectSink(std::ostream& messages, std::int64_t shown_limit,
                                         std::FILE* reject_file, std::string reject_path)
    : messages_(&messages),
      shown_limit_(shown_limit),
      reject_file_(reject_file),
      reject_path_(std::move(reject_path)) {}

void ReportingRejectSink::Reject(std::string_view file, std::int64_t line_number,
                                 std::string_view reason, std::string_view raw_line) {
  ++rejected_;
  if (rejected_ - damaged_ <= shown_limit_) {
    *messages_ << EscapeForTerminal(file) << ':' << line_number << ": " << EscapeForTerminal(reason)
               << '\n';
  }
  EndRawLine();
  WriteRaw(raw_line);
  raw_line_open_ = true;
}

void ReportingRejectSink::ContinueRawLine(std::string_view more_raw_bytes) {
  WriteRaw(more_raw_bytes);
}

void ReportingRejectSink::Damaged(std::string_view file, std::int64_t /*line_number*/,
                                  std::string_view reason) {
  ++rejected_;
  ++damaged_;  // shown whatever the limit, and not among the rejected lines it limits
  *messages_ << EscapeForTerminal(file) << ": " << EscapeForTerminal(reason) << '\n';
  EndRawLine();
}

void ReportingRejectSink::WriteRaw(std::string_view bytes) {
  if (!reject_file_ || write_failed_) return;
  write_failed_ = std::fwrite(bytes.data(), 1, bytes.size(), reject_file_.get()) != bytes.size();
}

void ReportingRejectSink::EndRawLine() {
  if (raw_line_open_) WriteRaw("\n");
  raw_line_open_ = false;
}

Status ReportingRejectSink::Finish() {
  if (rejected_ - damaged_ > shown_limit_) {
    *messages_ << "... and " << (rejected_ - damaged_ - shown_limit_) << " more rejected lines\n";
  }
  messages_->flush();
  EndRawLine();
  if (reject_file_) {
    const bool closed = std::fclose(reject_file_.release()) == 0;
    if (write_failed_ || !closed) return Error{"cannot write reject file " + reject_path_};
  }
  return {};
}

}  // namespace cryptomood
