// StorePool: the server's database connections. A Store is used by one thread at a time, so
// each request borrows one for its duration and returns it; connections are opened on demand
// (up to the number of requests served at once) and kept for reuse.
// Ownership: the pool owns every Store; a Lease must not outlive the pool.
// Thread-safety: Borrow and the Lease destructor may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "store/store.h"

namespace cryptomood::http {

class StorePool {
 public:
  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (pool_ && store_) pool_->Return(std::move(store_));
    }
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  StorePool(std::string url, StoreOptions options) : url_(std::move(url)), options_(options) {}

  Result<Lease> Borrow() EXCLUDES(mutex_);

 private:
  void Return(std::unique_ptr<Store> store) EXCLUDES(mutex_);

  std::string url_;
  StoreOptions options_;
  Mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_ GUARDED_BY(mutex_);
};

}  // namespace cryptomood::http
