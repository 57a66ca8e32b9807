// Mutex and MutexLock: std::mutex with Clang's thread-safety annotations. libstdc++'s
// std::mutex and std::lock_guard carry no capability attributes, so `-Wthread-safety` cannot
// see what they lock; this thin hand-written wrapper (as LevelDB's port::Mutex and Abseil's
// absl::Mutex) lets members say GUARDED_BY(mutex_) and functions REQUIRES(mutex_).
// Waiting on a condition is core/cond_var.h.
// Invariants: Unlock only by the thread that holds the mutex; not recursive.
// Thread-safety: Lock and Unlock from any thread; MutexLock holds the mutex for its scope
// (Unlock and Lock in between release and retake it, as std::unique_lock does).
#pragma once

#include <mutex>

#include "core/thread_annotations.h"

namespace cryptomood {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  ~Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mutex_.lock(); }
  void Unlock() RELEASE() { mutex_.unlock(); }
  // Tells the analysis the caller holds the mutex, where it cannot see it (no run-time check:
  // std::mutex cannot tell who holds it).
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;  // waits on the std::mutex itself
  std::mutex mutex_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) ACQUIRE(mutex) : mutex_(mutex) { mutex_.Lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mutex_.Unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  MutexLock(MutexLock&&) = delete;
  MutexLock& operator=(MutexLock&&) = delete;

  // Releases the mutex before the end of the scope, for work that must run without it.
  void Unlock() RELEASE() {
    mutex_.Unlock();
    held_ = false;
  }
  // Takes the mutex again after Unlock.
  void Lock() ACQUIRE() {
    mutex_.Lock();
    held_ = true;
  }

 private:
  Mutex& mutex_;
  bool held_ = true;
};

}  // namespace cryptomood
