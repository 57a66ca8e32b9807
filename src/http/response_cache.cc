#include "http/response_cache.h"

namespace cryptomood::http {

std::shared_ptr<const std::string> ResponseCache::Get(const std::string& key,
                                                      std::int64_t data_version) {
  MutexLock lock(mutex_);
  const auto found = index_.find(key);
  if (found == index_.end() || found->second->data_version != data_version) return nullptr;
  recency_.splice(recency_.begin(), recency_, found->second);
  return found->second->body;
}

void ResponseCache::Put(const std::string& key, std::int64_t data_version, std::string body) {
  if (body.size() > max_bytes_) return;
  auto shared = std::make_shared<const std::string>(std::move(body));
  MutexLock lock(mutex_);
  if (const auto found = index_.find(key); found != index_.end()) {
    bytes_ -= found->second->body->size();
    recency_.erase(found->second);
    index_.erase(found);
  }
  bytes_ += shared->size();
  recency_.push_front(Entry{key, data_version, std::move(shared)});
  index_[key] = recency_.begin();
  EvictOverflow();
}

void ResponseCache::EvictOverflow() {
  while (bytes_ > max_bytes_ && !recency_.empty()) {
    bytes_ -= recency_.back().body->size();
    index_.erase(recency_.back().key);
    recency_.pop_back();
  }
}

}  // namespace cryptomood::http
