// CondVar: std::condition_variable waiting on a core/mutex.h Mutex, with the thread-safety
// annotations: Wait requires the mutex held, and holds it again when it returns. Waits may
// wake spuriously, so callers wait in a loop on their condition (a loop the analysis can
// check, which a predicate lambda would hide from it).
// Thread-safety: Notify from any thread, with or without the mutex held.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood {

class CondVar {
 public:
  void Wait(Mutex& mutex) REQUIRES(mutex) {
    std::unique_lock lock(mutex.mutex_, std::adopt_lock);
    changed_.wait(lock);
    lock.release();  // the caller's MutexLock still owns it
  }
  // False when `deadline` passed (the mutex is held again either way).
  template <typename Clock, typename Duration>
  bool WaitUntil(Mutex& mutex, const std::chrono::time_point<Clock, Duration>& deadline)
      REQUIRES(mutex) {
    std::unique_lock lock(mutex.mutex_, std::adopt_lock);
    const bool woken = changed_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  void NotifyOne() { changed_.notify_one(); }
  void NotifyAll() { changed_.notify_all(); }

 private:
  std::condition_variable changed_;
};

}  // namespace cryptomood
