// DataVersionProbe: the store's data version for many concurrent requests, with at most one
// read of it in flight. Every caller gets the result of a read that began after its own call
// did, so it never sees a version older than one committed before its request arrived (just
// as a read of its own would), while 64 concurrent cached requests share one database round
// trip instead of making 64. Where that round trip is slow (PostgreSQL, a process per
// connection on two cores) this is most of the cost of a cached reply.
// Errors are results too: every caller waiting on a failed read gets its error.
// Ownership: holds the read function, which must stay callable for the probe's lifetime.
// Thread-safety: Get may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"

namespace cryptomood::http {

class DataVersionProbe {
 public:
  using Read = std::function<Result<std::int64_t>()>;

  explicit DataVersionProbe(Read read) : read_(std::move(read)) {}

  Result<std::int64_t> Get() EXCLUDES(mutex_);
  // Reads made so far (for tests and metrics).
  std::uint64_t reads() EXCLUDES(mutex_);

 private:
  Read read_;
  Mutex mutex_;
  CondVar finished_read_;
  std::uint64_t reads_started_ GUARDED_BY(mutex_) = 0;
  // The number of the read last_ came from.
  std::uint64_t latest_finished_ GUARDED_BY(mutex_) = 0;
  bool in_flight_ GUARDED_BY(mutex_) = false;
  Result<std::int64_t> last_ GUARDED_BY(mutex_){std::int64_t{0}};
};

}  // namespace cryptomood::http
