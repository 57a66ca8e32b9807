#include "io/progress_meter.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

namespace cryptomood {
namespace {

constexpr double kBytesPerMegabyte = 1e6;
constexpr auto kRedrawInterval = std::chrono::milliseconds(250);

std::string FormatDuration(double seconds) {
  const auto total = static_cast<std::int64_t>(std::llround(seconds));
  return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
}

}  // namespace

std::string FormatProgress(const std::string& label, std::uint64_t bytes_done,
                           std::optional<std::uint64_t> total_bytes, double elapsed_seconds) {
  const double done_megabytes = static_cast<double>(bytes_done) / kBytesPerMegabyte;
  std::string line = fmt::format("{}: {:.1f} MB", label, done_megabytes);
  if (total_bytes) {
    line += fmt::format(" of {:.1f} MB", static_cast<double>(*total_bytes) / kBytesPerMegabyte);
  }
  if (elapsed_seconds <= 0) return line;
  const double rate = static_cast<double>(bytes_done) / elapsed_seconds;
  line += fmt::format(", {:.1f} MB/s", rate / kBytesPerMegabyte);
  if (total_bytes && rate > 0 && *total_bytes >= bytes_done) {
    line += ", ETA " + FormatDuration(static_cast<double>(*total_bytes - bytes_done) / rate);
  }
  return line;
}

ProgressMeter::ProgressMeter(bool wanted, std::FILE* stream)
    : enabled_(wanted && stream != nullptr && ::isatty(::fileno(stream)) == 1), stream_(stream) {}

void ProgressMeter::Start(std::string label, std::optional<std::uint64_t> total_bytes) {
  if (!enabled_) return;
  label_ = std::move(label);
  total_bytes_ = total_bytes;
  started_ = Clock::now();
  last_drawn_ = started_;
}

void ProgressMeter::Update(std::uint64_t bytes_done) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_drawn_ < kRedrawInterval) return;
  last_drawn_ = now;
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  // "\r" returns to the line start; "\033[K" erases what a longer previous line left.
  std::fputs(("\r" + FormatProgress(label_, bytes_done, total_bytes_, elapsed) + "\033[K").c_str(),
             stream_);
  std::fflush(stream_);
  drawn_ = true;
}

void ProgressMeter::Clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stream_);
  std::fflush(stream_);
  drawn_ = false;
}

}  // namespace cryptomood
