// WorkerPool: a fixed set of threads running tasks from a bounded queue. TryPost refuses a task
// when the queue is full, so a burst of work is answered "busy" instead of piling up memory
// and latency. Tasks run in posting order.
// Ownership: owns its threads; the destructor stops the pool (queued tasks still run) and
// joins them.
// Thread-safety: TryPost and the counters may be called from any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood::http {

class WorkerPool {
 public:
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and the task is dropped) when max_queued tasks already wait or the
  // pool is stopping.
  bool TryPost(std::function<void()> task) EXCLUDES(mutex_);
  // Tasks waiting for a thread, not counting those running.
  std::size_t queued() EXCLUDES(mutex_);

 private:
  void Work() EXCLUDES(mutex_);

  std::size_t max_queued_;
  Mutex mutex_;
  CondVar wake_;
  std::deque<std::function<void()>> tasks_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace cryptomood::http
