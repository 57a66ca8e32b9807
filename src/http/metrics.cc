#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace cryptomood::http {

void Metrics::RecordRequest(const std::string& route, int status, double seconds) {
  MutexLock lock(mutex_);
  ++requests_[{route, status}];
  Latency& latency = latency_[route];
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
      kLatencyBuckets.begin());
  if (bucket < kLatencyBuckets.size()) ++latency.buckets[bucket];
  ++latency.count;
  latency.sum += seconds;
}

void Metrics::RecordCache(bool hit) {
  MutexLock lock(mutex_);
  ++(hit ? cache_hits_ : cache_misses_);
}

void Metrics::Render(std::string& out) {
  MutexLock lock(mutex_);
  auto sink = std::back_inserter(out);
  fmt::format_to(sink,
                 "# HELP cryptomood_http_requests_total HTTP requests answered, by route and "
                 "status.\n# TYPE cryptomood_http_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    fmt::format_to(sink, "cryptomood_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                   key.first, key.second, count);
  }
  fmt::format_to(sink,
                 "# HELP cryptomood_http_request_duration_seconds Time to answer a request.\n"
                 "# TYPE cryptomood_http_request_duration_seconds histogram\n");
  for (const auto& [route, latency] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += latency.buckets[i];
      fmt::format_to(sink,
                     "cryptomood_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} "
                     "{}\n",
                     route, kLatencyBuckets[i], cumulative);
    }
    fmt::format_to(sink,
                   "cryptomood_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} "
                   "{}\n",
                   route, latency.count);
    fmt::format_to(sink, "cryptomood_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                   latency.sum);
    fmt::format_to(sink, "cryptomood_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                   route, latency.count);
  }
  fmt::format_to(sink,
                 "# HELP cryptomood_cache_hits_total Computed replies served from the cache.\n"
                 "# TYPE cryptomood_cache_hits_total counter\ncryptomood_cache_hits_total {}\n"
                 "# HELP cryptomood_cache_misses_total Computed replies that had to be "
                 "computed.\n# TYPE cryptomood_cache_misses_total counter\n"
                 "cryptomood_cache_misses_total {}\n",
                 cache_hits_, cache_misses_);
}

}  // namespace cryptomood::http
