// TumblingWindows: routes values to the non-overlapping window holding their timestamp and
// hands windows out once they are closed. Windows are aligned like bars (multiples of a fixed
// interval since the epoch, or calendar months). With no window interval there is one window
// covering all time, reported with null bounds.
// State: EncodeState/DecodeState save and restore the open windows; Value must be
// StateEncodable or a container of such (see core/state_codec.h).
// Ownership: owns the open windows' values. Thread-safety: none.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/interval.h"
#include "core/result.h"
#include "core/state_codec.h"

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

  std::size_t open_count() const { return open_.size(); }

  // Estimate of the heap bytes held: one map node (entry and about four words of tree links)
  // per open window plus value_heap_bytes(value) for what each value holds.
  template <typename ValueHeapBytes>
  std::size_t heap_bytes(ValueHeapBytes&& value_heap_bytes) const {
    std::size_t bytes = open_.size() * (sizeof(typename Map::value_type) + 4 * sizeof(void*));
    for (const auto& [start, value] : open_) bytes += value_heap_bytes(value);
    return bytes;
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, WindowName());
    EncodeValue(writer, open_);
  }

  // Replaces the open windows with the saved ones; unchanged on error. is_valid(value) says
  // whether a decoded value is one this owner can use.
  template <typename IsValid>
  Status DecodeState(StateReader& reader, IsValid&& is_valid) {
    CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, WindowName(), "window"));
    Map decoded;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded));
    for (const auto& [start, value] : decoded) {
      if (start != (window_ ? window_->Floor(start) : kAllTime)) {
        return CorruptState("an open window does not start on the window grid");
      }
      if (!is_valid(value)) return CorruptState("an open window's value does not fit");
    }
    open_ = std::move(decoded);
    return Status::Ok();
  }
  Status DecodeState(StateReader& reader) {
    return DecodeState(reader, [](const Value& /*value*/) { return true; });
  }

 private:
  using Map = std::map<TimestampNs, Value>;
  static constexpr TimestampNs kAllTime = std::numeric_limits<TimestampNs>::min();

  // The window interval as saved with the state; empty for the single all-time window.
  std::string WindowName() const { return window_ ? window_->ToString() : std::string(); }

  WindowBounds BoundsOf(TimestampNs start) const {
    if (!window_) return {};
    return WindowBounds{start, window_->Next(start)};
  }

  std::optional<Interval> window_;
  Map open_;
};

}  // namespace cryptomood
