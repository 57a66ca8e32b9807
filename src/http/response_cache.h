// ResponseCache: the computed replies (/correlation, /series) kept in memory in front of the
// store's cached_results table, so a repeated request costs a map lookup. An entry is valid
// for one data version: a reply computed before an ingest is never served after it.
// Bounded by bytes; the least recently used entries go first.
// Thread-safety: all members may be called from any thread.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cryptomood::http {

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body shares ownership so a reply being sent survives eviction.
  std::shared_ptr<const std::string> Get(const std::string& key, std::int64_t data_version);
  void Put(const std::string& key, std::int64_t data_version, std::string body);

 private:
  struct Entry {
    std::string key;
    std::int64_t data_version;
    std::shared_ptr<const std::string> body;
  };
  void EvictOverflow();

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::mutex mutex_;
  std::list<Entry> recency_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace cryptomood::http
