// ProgressMeter: one self-overwriting status line on a terminal while a long input is read:
// bytes read, throughput and, when the input size is known, the estimated time left.
// Redraws at most four times a second so it costs nothing measurable; disabled (prints
// nothing at all) unless asked for and the stream is a terminal, so logs and pipes stay clean.
// Thread-safety: one thread (the loader's reading thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace cryptomood {

// "trades.txt: 350.0 MB of 700.0 MB, 700.0 MB/s, ETA 0:00:01" (MB = 10^6 bytes); without a
// total, "trades.txt: 350.0 MB, 700.0 MB/s". A zero elapsed time shows no rate or ETA.
std::string FormatProgress(const std::string& label, std::uint64_t bytes_done,
                           std::optional<std::uint64_t> total_bytes, double elapsed_seconds);

class ProgressMeter {
 public:
  // Enabled only if `wanted` and `stream` is a terminal.
  ProgressMeter(bool wanted, std::FILE* stream);
  ~ProgressMeter() { Clear(); }
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  bool enabled() const { return enabled_; }
  // Starts measuring a new input.
  void Start(std::string label, std::optional<std::uint64_t> total_bytes);
  void Update(std::uint64_t bytes_done);
  // Erases the line, e.g. before printing another message; the next Update draws it again.
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;

  bool enabled_;
  std::FILE* stream_;
  std::string label_;
  std::optional<std::uint64_t> total_bytes_;
  Clock::time_point started_;
  Clock::time_point last_drawn_;
  bool drawn_ = false;
};

}  // namespace cryptomood
