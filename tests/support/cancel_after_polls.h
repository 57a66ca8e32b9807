// Test support: a CancellationToken that cancels itself (reason kDeadline) at its K-th poll,
// and counts every poll, from any number of polling threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

#include "core/cancellation.h"

namespace cryptomood::testing {

class CancelAfterPolls final : public PollObserver {
 public:
  // polls = max: never cancels, only counts.
  explicit CancelAfterPolls(std::int64_t polls = std::numeric_limits<std::int64_t>::max())
      : remaining_(polls), token_(this) {}

  const CancellationToken& token() const { return token_; }
  std::int64_t polls() const { return polls_.load(); }

  void OnPoll() override {
    ++polls_;
    if (remaining_.fetch_sub(1) <= 1) token_.Cancel(CancelReason::kDeadline);
  }

 private:
  std::atomic<std::int64_t> remaining_;
  std::atomic<std::int64_t> polls_{0};
  CancellationToken token_;
};

}  // namespace cryptomood::testing
