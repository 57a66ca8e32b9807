#include "io/chunk_lines.h"

namespace cryptomood {

std::string ReasonForRejected(std::string_view line, const Status& status) {
  if (line.find('\0') != std::string_view::npos) return "NUL byte in the line: not text";
  return status.error().message;
}

std::string RejectReporter::NoValidLine() const {
  const std::string detail =
      first_reject_.empty() ? "no line after its header" : "first: " + first_reject_;
  return file_name_ + " has no valid line (" + detail + ")";
}

Status RejectReporter::Report(const Chunk& chunk, const ChunkLineResults& results) {
  if (chunk.continues_line()) {
    if (sink_ != nullptr) sink_->ContinueRawLine(chunk.data());
    return {};
  }
  for (const RejectedLine& reject : results.rejects) {
    const auto line_number = static_cast<std::int64_t>(lines_ + reject.line_in_chunk + 1);
    if (first_reject_.empty()) {
      first_reject_ = file_name_ + ":" + std::to_string(line_number) + ": " + reject.reason;
    }
    if (strict_) return Error{first_reject_, ErrorKind::kRejected};
    ++rejected_;
    if (sink_ != nullptr) {
      sink_->Reject(file_name_, line_number, reject.reason,
                    chunk.data().substr(reject.offset, reject.length));
    }
  }
  lines_ += results.lines;
  return {};
}

Status RejectReporter::ReportDamage(std::string_view reason) {
  const auto line_number = static_cast<std::int64_t>(lines_ + 1);
  if (first_reject_.empty()) {
    first_reject_ = file_name_ + ":" + std::to_string(line_number) + ": " + std::string(reason);
  }
  if (strict_) return Error{file_name_ + ": " + std::string(reason), ErrorKind::kRejected};
  ++lines_;
  ++rejected_;
  if (sink_ != nullptr) sink_->Damaged(file_name_, line_number, reason);
  return {};
}

}  // namespace cryptomood
