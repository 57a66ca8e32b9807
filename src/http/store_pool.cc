#include "http/store_pool.h"

#include "core/status_macros.h"

namespace cryptomood::http {

Result<StorePool::Lease> StorePool::Borrow() {
  {
    MutexLock lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Store> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
  }
  // Opening runs outside the lock: a slow connect must not hold up other requests.
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto opened, OpenStore(url_, options_));
  return Lease(this, std::move(opened));
}

void StorePool::Return(std::unique_ptr<Store> store) {
  MutexLock lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace cryptomood::http
