#include "io/reject_sink.h"

#include <cerrno>
#include <cstring>
#include <ostream>

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
  if (rejected_ <= shown_limit_) {
    *messages_ << file << ':' << line_number << ": " << reason << '\n';
  }
  if (reject_file_ && !write_failed_) {
    std::FILE* out = reject_file_.get();
    const bool written = std::fwrite(raw_line.data(), 1, raw_line.size(), out) == raw_line.size() &&
                         std::fputc('\n', out) != EOF;
    write_failed_ = !written;
  }
}

Status ReportingRejectSink::Finish() {
  if (rejected_ > shown_limit_) {
    *messages_ << "... and " << (rejected_ - shown_limit_) << " more rejected lines\n";
  }
  messages_->flush();
  if (reject_file_) {
    const bool closed = std::fclose(reject_file_.release()) == 0;
    if (write_failed_ || !closed) return Error{"cannot write reject file " + reject_path_};
  }
  return {};
}

}  // namespace cryptomood
