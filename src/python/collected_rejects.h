// CollectedRejects: the reject sink of the Python module. It keeps the rejected lines (file,
// line number, reason, raw text) for a DataFrame, up to a limit beyond which it only counts
// them, and passes every one on to a reject file when one is given (written verbatim and
// whole, as `analyze --rejects` writes it). Inputs read through a pipe are reported under the
// label given for their path ("trades DataFrame") instead of "/dev/fd/N".
// Thread-safety: one loader at a time (sinks are called from the loader's consuming thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/reject_sink.h"

namespace cryptomood::python {

struct RejectedRecord {
  std::string file;
  std::int64_t line = 0;
  std::string reason;
  std::string text;  // the raw line, cut at kMaxKeptTextBytes
};

class CollectedRejects final : public RejectSink {
 public:
  static constexpr std::size_t kMaxKeptTextBytes = std::size_t{1} << 16;

  // `reject_path` empty: no reject file. Fails if the reject file cannot be created.
  static Result<CollectedRejects> Open(const std::string& reject_path, std::size_t keep_limit);

  // Reports rejects of lines read from `path` as coming from `label`.
  void Relabel(const std::string& path, const std::string& label) { labels_[path] = label; }
  // `message` with every relabelled path replaced by its label.
  std::string Relabelled(std::string message) const;

  void Reject(std::string_view file, std::int64_t line_number, std::string_view reason,
              std::string_view raw_line) override;
  void ContinueRawLine(std::string_view more_raw_bytes) override;
  // Closes the reject file; fails if writing it failed.
  Status Finish();

  const std::vector<RejectedRecord>& kept() const { return kept_; }
  std::int64_t rejected() const { return rejected_; }

 private:
  CollectedRejects(std::optional<ReportingRejectSink> file, std::size_t keep_limit);
  std::string_view LabelOf(std::string_view file) const;

  std::optional<ReportingRejectSink> file_;
  std::size_t keep_limit_;
  std::map<std::string, std::string, std::less<>> labels_;
  std::vector<RejectedRecord> kept_;
  std::int64_t rejected_ = 0;
  bool last_kept_ = false;  // whether the last Reject call's line was kept
};

}  // namespace cryptomood::python
