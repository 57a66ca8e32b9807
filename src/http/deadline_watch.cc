#include "http/deadline_watch.h"

namespace cryptomood::http {

DeadlineWatch::DeadlineWatch() : thread_([this] { Watch(); }) {}

DeadlineWatch::~DeadlineWatch() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  changed_.NotifyAll();
  thread_.join();
}

DeadlineWatch::Id DeadlineWatch::Add(Clock::time_point deadline, std::function<void()> on_expiry) {
  Id id = 0;
  {
    MutexLock lock(mutex_);
    id = next_id_++;
    pending_.emplace(std::pair(deadline, id), std::move(on_expiry));
    deadline_of_.emplace(id, deadline);
  }
  changed_.NotifyAll();
  return id;
}

void DeadlineWatch::Remove(Id id) {
  // Holding the mutex while a callback runs makes Remove wait for it.
  MutexLock lock(mutex_);
  const auto found = deadline_of_.find(id);
  if (found == deadline_of_.end()) return;
  pending_.erase(std::pair(found->second, id));
  deadline_of_.erase(found);
}

void DeadlineWatch::Watch() {
  MutexLock lock(mutex_);
  while (!stopping_) {
    if (pending_.empty()) {
      changed_.Wait(mutex_);
      continue;
    }
    const auto earliest = pending_.begin();
    // A copy: Remove may erase the entry while this thread waits.
    const Clock::time_point deadline = earliest->first.first;
    if (Clock::now() < deadline) {
      changed_.WaitUntil(mutex_, deadline);
      continue;
    }
    std::function<void()> on_expiry = std::move(earliest->second);
    deadline_of_.erase(earliest->first.second);
    pending_.erase(earliest);
    on_expiry();
  }
}

}  // namespace cryptomood::http
