// Metrics: the server's counters in the Prometheus text format (version 0.0.4): requests by
// route and status, a request latency histogram per route, cache hits and misses. The store's
// row and ingest counts are added at scrape time by the /metrics handler.
// Hand-written: Debian 12 packages no Prometheus client for C++ (prometheus-cpp is not in
// bookworm), and the text format for a few counters and one histogram is short.
// Routes are labelled by their registered path (unknown paths share "other"), so a scanner
// cannot blow up the number of series.
// Thread-safety: all members may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood::http {

class Metrics {
 public:
  void RecordRequest(const std::string& route, int status, double seconds) EXCLUDES(mutex_);
  void RecordCache(bool hit) EXCLUDES(mutex_);
  // Appends this object's metrics in the text format.
  void Render(std::string& out) EXCLUDES(mutex_);

  // Upper bounds of the latency histogram buckets, in seconds.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

 private:
  struct Latency {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };

  Mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_ GUARDED_BY(mutex_);
  std::map<std::string, Latency> latency_ GUARDED_BY(mutex_);
  std::uint64_t cache_hits_ GUARDED_BY(mutex_) = 0;
  std::uint64_t cache_misses_ GUARDED_BY(mutex_) = 0;
};

}  // namespace cryptomood::http
