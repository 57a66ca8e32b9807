// DeadlineWatch: runs a callback when its deadline passes, unless removed first. One thread
// sleeps until the earliest deadline, so a thousand watched computations cost one thread.
// Callbacks run on that thread and must be quick (cancelling a token is).
// Ownership: owns its thread; the destructor drops pending callbacks and joins it.
// Thread-safety: Add and Remove may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <utility>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood::http {

class DeadlineWatch {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  DeadlineWatch();
  ~DeadlineWatch();
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  Id Add(Clock::time_point deadline, std::function<void()> on_expiry) EXCLUDES(mutex_);
  // After Remove returns, the callback has not started and never will, or has finished.
  void Remove(Id id) EXCLUDES(mutex_);

 private:
  void Watch() EXCLUDES(mutex_);

  Mutex mutex_;
  CondVar changed_;
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> pending_ GUARDED_BY(mutex_);
  std::map<Id, Clock::time_point> deadline_of_ GUARDED_BY(mutex_);
  Id next_id_ GUARDED_BY(mutex_) = 1;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace cryptomood::http
