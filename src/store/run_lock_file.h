// RunLockFile: tells a SQLite store's live ingest runs from runs whose writer is gone. A
// running ingest holds a write lock on one byte of a lock file beside the database (byte
// `run` of PATH-runs.lock) for as long as its writer lives. The locks are Linux open file
// description locks: the kernel drops one when its holder closes it or its process ends,
// however it ends (kill -9 included), and they conflict between holders in one process too.
// A run still marked running whose byte nobody holds was therefore abandoned.
// Ownership: a RunLock owns its descriptor; the lock lasts until it is destroyed.
// Thread-safety: a RunLock is used by one thread; RunLockIsHeld may run anywhere.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"

namespace cryptomood {

// The lock file of the SQLite database at `database_path`.
std::string RunLockPath(const std::string& database_path);

class RunLock {
 public:
  // Takes the lock of `run` in `lock_path` (creating the file if needed); fails if anyone,
  // in this process or another, holds it.
  static Result<std::unique_ptr<RunLock>> Acquire(const std::string& lock_path, std::int64_t run);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  explicit RunLock(int descriptor) : descriptor_(descriptor) {}
  int descriptor_;
};

// Whether a live RunLock of `run` exists in `lock_path` (false if the file does not exist).
Result<bool> RunLockIsHeld(const std::string& lock_path, std::int64_t run);

}  // namespace cryptomood
