// RankingHelpers: lets analysis threads that have run out of tasks take half of a large
// Spearman ranking (sorting y) from a thread that is still busy (sorting x). With a few
// symbols on a few threads the last symbol otherwise ranks alone while the others idle.
// A helper works with its own SpearmanScratch, so helping adds no memory where every thread
// has already ranked a result of that size (analyze's per-symbol tasks); the owner opts in
// (AnalysisOptions::share_rankings) because a server within a memory budget may not want a
// second scratch of that size.
// Protocol: idle threads call Serve until Close; a busy thread calls TryHandOff, which gives
// the job to an idle server if there is one (true) or does nothing (false, the caller then
// does the work itself). A job must not throw, and the caller must wait for its own job to
// finish before anything the job refers to goes away (the jobs here signal a latch).
// Thread-safety: all members may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace cryptomood {

class SpearmanScratch;

class RankingHelpers {
 public:
  using Job = std::function<void(SpearmanScratch&)>;

  bool TryHandOff(Job job) EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      if (closed_ || idle_ <= pending_.size()) return false;
      pending_.push_back(std::move(job));
    }
    changed_.NotifyOne();
    return true;
  }

  // Runs handed-off jobs with `scratch` until Close is called.
  void Serve(SpearmanScratch& scratch) EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    while (true) {
      ++idle_;
      while (!closed_ && pending_.empty()) changed_.Wait(mutex_);
      --idle_;
      if (pending_.empty()) return;  // closed, and nothing left to run
      Job job = std::move(pending_.back());
      pending_.pop_back();
      // Counted when taken, so that a caller, which returns only once its job is done,
      // always sees it counted.
      ++jobs_served_;
      lock.Unlock();
      job(scratch);
      lock.Lock();
    }
  }

  // How many handed-off jobs servers have taken up (for tests and diagnostics).
  std::size_t jobs_served() EXCLUDES(mutex_) {
    MutexLock lock(mutex_);
    return jobs_served_;
  }

  // No more hand-offs will come: servers return once the pending jobs are done.
  void Close() EXCLUDES(mutex_) {
    {
      MutexLock lock(mutex_);
      closed_ = true;
    }
    changed_.NotifyAll();
  }

 private:
  Mutex mutex_;
  CondVar changed_;
  std::vector<Job> pending_ GUARDED_BY(mutex_);
  std::size_t idle_ GUARDED_BY(mutex_) = 0;  // servers waiting for a job
  std::size_t jobs_served_ GUARDED_BY(mutex_) = 0;
  bool closed_ GUARDED_BY(mutex_) = false;
};

}  // namespace cryptomood
