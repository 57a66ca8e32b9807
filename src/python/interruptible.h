// RunInterruptibly: runs engine work from Python without holding the interpreter. The work
// runs on a thread of its own with a CancellationToken; the calling thread gives up the GIL
// and wakes every kSignalCheckInterval to let Python run its signal handlers. When a handler
// raises (Ctrl-C: KeyboardInterrupt), the token is cancelled, the work unwinds (engine work
// polls its token every few milliseconds) and the Python exception propagates; the work's own
// result is dropped.
// Thread-safety: called with the GIL held, from the thread Python delivers signals on (the
// main thread) for Ctrl-C to be seen; `work` must not touch Python objects.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <future>
#include <thread>
#include <utility>

#include "core/cancellation.h"

namespace cryptomood::python {

inline constexpr std::chrono::milliseconds kSignalCheckInterval{50};

template <typename Work>
auto RunInterruptibly(Work&& work) -> decltype(work(std::declval<const CancellationToken&>())) {
  CancellationToken token;
  std::packaged_task<decltype(work(token))()> task([&] { return work(token); });
  auto done = task.get_future();
  std::thread worker(std::move(task));
  bool interrupted = false;
  while (true) {
    std::future_status status = std::future_status::timeout;
    {
      pybind11::gil_scoped_release released;
      status = done.wait_for(kSignalCheckInterval);
    }
    if (status == std::future_status::ready) break;
    if (PyErr_CheckSignals() != 0) {
      interrupted = true;
      token.Cancel(CancelReason::kInterrupted);
      pybind11::gil_scoped_release released;
      done.wait();
      break;
    }
  }
  {
    pybind11::gil_scoped_release released;
    worker.join();
  }
  if (interrupted) throw pybind11::error_already_set();
  return done.get();
}

}  // namespace cryptomood::python
