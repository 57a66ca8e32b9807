// ResponseCache: the computed replies (/correlation, /series) kept in memory in front of the
// store's cached_results table, so a repeated request costs a map lookup. An entry is valid
// for one data version: a reply computed before an ingest is never served after it.
// Bounded by bytes; the least recently used entries go first.
// Thread-safety: all members may be called from any thread.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood::http {

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body shares ownership so a reply being sent survives eviction.
  std::shared_ptr<const std::string> Get(const std::string& key, std::int64_t data_version)
      EXCLUDES(mutex_);
  void Put(const std::string& key, std::int64_t data_version, std::string body) EXCLUDES(mutex_);

 private:
  struct Entry {
    std::string key;
    std::int64_t data_version;
    std::shared_ptr<const std::string> body;
  };
  void EvictOverflow() REQUIRES(mutex_);

  std::size_t max_bytes_;
  Mutex mutex_;
  std::size_t bytes_ GUARDED_BY(mutex_) = 0;
  std::list<Entry> recency_ GUARDED_BY(mutex_);  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_ GUARDED_BY(mutex_);
};

}  // namespace cryptomood::http
