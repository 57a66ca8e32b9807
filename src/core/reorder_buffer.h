// ReorderBuffer: holds events that arrived out of event-time order until a watermark says no
// earlier event can still come, then hands them out in (timestamp, rank, arrival) order. Rank
// orders kinds at equal timestamps (sentiment before trades, the order the operators need);
// arrival keeps the input order among equal (timestamp, rank), as batch's stable sort does.
// Event must have `timestamp`, `rank` and `arrival` members (arrival unique per buffer).
// Ownership: owns the buffered events. Thread-safety: none.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <tuple>
#include <vector>

#include "core/timestamp.h"

namespace cryptomood {

template <typename Event>
class ReorderBuffer {
 public:
  void Insert(const Event& event) {
    heap_.push_back(event);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  // Hands out every event earlier than watermark, in order.
  template <typename Visit>
  void ReleaseBefore(TimestampNs watermark, Visit&& visit) {
    while (!heap_.empty() && heap_.front().timestamp < watermark) Pop(visit);
  }

  template <typename Visit>
  void ReleaseAll(Visit&& visit) {
    while (!heap_.empty()) Pop(visit);
  }

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  // The buffered events in no particular order (for checkpoints).
  std::span<const Event> events() const { return heap_; }

 private:
  // A max-heap on this ordering keeps the earliest event at the front. A function object,
  // not a function pointer, so the heap algorithms inline it.
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return std::tie(a.timestamp, a.rank, a.arrival) > std::tie(b.timestamp, b.rank, b.arrival);
    }
  };

  template <typename Visit>
  void Pop(Visit& visit) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Event event = heap_.back();
    heap_.pop_back();
    visit(event);
  }

  std::vector<Event> heap_;
};

}  // namespace cryptomood
