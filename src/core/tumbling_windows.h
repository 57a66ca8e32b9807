// TumblingWindows: routes values to the non-overlapping window holding their timestamp and
// hands windows out once they are closed. Windows are aligned like bars (multiples of a fixed
// interval since the epoch, or calendar months). With no window interval there is one window
// covering all time, reported with null bounds.
// Ownership: owns the open windows' values. Thread-safety: none.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "core/interval.h"

namespace cryptomood {

struct WindowBounds {
  std::optional<TimestampNs> start;  // both null: the single all-time window
  std::optional<TimestampNs> end;
};

template <typename Value>
class TumblingWindows {
 public:
  explicit TumblingWindows(std::optional<Interval> window) : window_(window) {}

  // The open window holding t, created empty on first use.
  Value& At(TimestampNs t) { return open_[window_ ? window_->Floor(t) : kAllTime]; }

  // Hands out, oldest first, every window that ends at or before boundary.
  template <typename Emit>
  void CloseBefore(TimestampNs boundary, Emit&& emit) {
    if (!window_) return;
    while (!open_.empty()) {
      auto oldest = open_.begin();
      const TimestampNs end = window_->Next(oldest->first);
      if (end > boundary) return;
      emit(WindowBounds{oldest->first, end}, std::move(oldest->second));
      open_.erase(oldest);
    }
  }

  template <typename Emit>
  void CloseAll(Emit&& emit) {
    for (auto& [start, value] : open_) emit(BoundsOf(start), std::move(value));
    open_.clear();
  }

 private:
  static constexpr TimestampNs kAllTime = std::numeric_limits<TimestampNs>::min();

  WindowBounds BoundsOf(TimestampNs start) const {
    if (!window_) return {};
    return WindowBounds{start, window_->Next(start)};
  }

  std::optional<Interval> window_;
  std::map<TimestampNs, Value> open_;
};

}  // namespace cryptomood
