#include "http/data_version_probe.h"

#include <utility>

namespace cryptomood::http {

Result<std::int64_t> DataVersionProbe::Get() {
  MutexLock lock(mutex_);
  // A read in flight began before this call, so only a later one will do.
  const std::uint64_t needed = reads_started_ + 1;
  while (latest_finished_ < needed) {
    if (in_flight_) {
      finished_read_.Wait(mutex_);
      continue;
    }
    in_flight_ = true;
    const std::uint64_t number = ++reads_started_;
    lock.Unlock();
    Result<std::int64_t> result = read_();
    lock.Lock();
    in_flight_ = false;
    latest_finished_ = number;
    last_ = std::move(result);
    finished_read_.NotifyAll();
  }
  return last_;
}

std::uint64_t DataVersionProbe::reads() {
  MutexLock lock(mutex_);
  return reads_started_;
}

}  // namespace cryptomood::http
