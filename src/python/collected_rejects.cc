#include "python/collected_rejects.h"

#include <ostream>
#include <streambuf>

#include "core/status_macros.h"

namespace cryptomood::python {
namespace {

// The message stream of the reject file's sink: the module reports rejects as data, not text.
std::ostream& DiscardedMessages() {
  class Discard final : public std::streambuf {
   protected:
    int overflow(int character) override { return character; }
  };
  static Discard buffer;
  static std::ostream stream(&buffer);
  return stream;
}

}  // namespace

Result<CollectedRejects> CollectedRejects::Open(const std::string& reject_path,
                                                std::size_t keep_limit) {
  std::optional<ReportingRejectSink> file;
  if (!reject_path.empty()) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto opened,
        ReportingRejectSink::Open(reject_path, DiscardedMessages(), /*shown_limit=*/0));
    file.emplace(std::move(opened));
  }
  return CollectedRejects(std::move(file), keep_limit);
}

CollectedRejects::CollectedRejects(std::optional<ReportingRejectSink> file, std::size_t keep_limit)
    : file_(std::move(file)), keep_limit_(keep_limit) {}

std::string_view CollectedRejects::LabelOf(std::string_view file) const {
  const auto found = labels_.find(file);
  return found == labels_.end() ? file : std::string_view(found->second);
}

std::string CollectedRejects::Relabelled(std::string message) const {
  for (const auto& [path, label] : labels_) {
    for (std::size_t at = message.find(path); at != std::string::npos;
         at = message.find(path, at + label.size())) {
      message.replace(at, path.size(), label);
    }
  }
  return message;
}

void CollectedRejects::Reject(std::string_view file, std::int64_t line_number,
                              std::string_view reason, std::string_view raw_line) {
  ++rejected_;
  const std::string_view label = LabelOf(file);
  if (file_) file_->Reject(label, line_number, reason, raw_line);
  last_kept_ = kept_.size() < keep_limit_;
  if (!last_kept_) return;
  kept_.push_back(RejectedRecord{std::string(label), line_number, std::string(reason),
                                 std::string(raw_line.substr(0, kMaxKeptTextBytes))});
}

void CollectedRejects::ContinueRawLine(std::string_view more_raw_bytes) {
  if (file_) file_->ContinueRawLine(more_raw_bytes);
  if (!last_kept_) return;
  std::string& text = kept_.back().text;
  if (text.size() < kMaxKeptTextBytes) {
    text.append(more_raw_bytes.substr(0, kMaxKeptTextBytes - text.size()));
  }
}

Status CollectedRejects::Finish() { return file_ ? file_->Finish() : Status::Ok(); }

}  // namespace cryptomood::python
