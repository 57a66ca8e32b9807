// CancellationToken: how a long computation learns that nobody wants its result any more.
// One thread (the server's IO thread when a client disconnects, a timer at a deadline, the
// SIGTERM handler) calls Cancel; the computation, on any number of worker threads, calls
// StopRequested between stretches of work and, once it returns true, unwinds with the
// kCancelled error of CancelledError, freeing what it holds on the way out.
//
// Contract for computations: poll at least every few milliseconds of work on the heaviest
// accepted parameters (PollEvery below paces tight loops), and treat a true answer as final.
// A computation cut short leaves its operators in an unspecified state: discard them.
// Deadlines are the canceller's business: the token holds no clock.
//
// Thread-safety: Cancel, StopRequested, cancelled and reason may be called from any threads at
// once. The state is one atomic; polls are relaxed loads (cancellation publishes no data, it
// only has to be seen soon). The first Cancel wins: later reasons are ignored.
// Ownership: the canceller owns the token and keeps it alive until the computation returns;
// the computation only borrows a const reference. Not copyable or movable.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace cryptomood {

enum class CancelReason : std::uint8_t {
  kNone,         // not cancelled
  kClientGone,   // the client disconnected
  kDeadline,     // the request ran past its deadline
  kShutdown,     // the process is stopping (SIGTERM)
  kInterrupted,  // the user interrupted it (Ctrl-C in Python)
};

std::string_view ToString(CancelReason reason);

// Sees every poll of a token built with it, from every polling thread at once; a test uses it
// to cancel after a number of polls, a benchmark to time the stretches between polls.
class PollObserver {
 public:
  virtual ~PollObserver() = default;
  virtual void OnPoll() = 0;
};

class CancellationToken {
 public:
  CancellationToken() = default;
  // observer (borrowed, may be null) must outlive the token.
  explicit CancellationToken(PollObserver* observer) : observer_(observer) {}
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;
  CancellationToken(CancellationToken&&) = delete;
  CancellationToken& operator=(CancellationToken&&) = delete;
  ~CancellationToken() = default;

  // A token nobody can cancel (it is const), for callers that never cancel.
  static const CancellationToken& Never();

  // Asks the computation to stop; reason must not be kNone.
  void Cancel(CancelReason reason) {
    CancelReason expected = CancelReason::kNone;
    reason_.compare_exchange_strong(expected, reason, std::memory_order_relaxed);
  }

  // What a computation calls between stretches of work: true once cancelled.
  bool StopRequested() const {
    if (observer_ != nullptr) observer_->OnPoll();
    return cancelled();
  }

  // The same answer without counting as a poll.
  bool cancelled() const { return reason() != CancelReason::kNone; }
  CancelReason reason() const { return reason_.load(std::memory_order_relaxed); }

  // The error a cut-short computation returns: kCancelled, naming the reason.
  Error CancelledError() const;

 private:
  std::atomic<CancelReason> reason_{CancelReason::kNone};
  PollObserver* observer_ = nullptr;
};

// Paces polls in a tight loop: Tick() is true (stop) once every `every` calls polls the token
// and finds it cancelled. One per loop and thread; cheap enough for per-item loops.
class PollEvery {
 public:
  PollEvery(const CancellationToken& token, std::uint64_t every) : token_(token), every_(every) {}

  // Counts `work` units (at least 1) of work done; polls when `every` have accumulated.
  bool Tick(std::uint64_t work = 1) {
    done_ += work;
    if (done_ < every_) return false;
    done_ = 0;
    return token_.StopRequested();
  }

 private:
  const CancellationToken& token_;
  std::uint64_t every_;
  std::uint64_t done_ = 0;
};

}  // namespace cryptomood
