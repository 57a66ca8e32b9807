// EventTimeWatermark: the event-time watermark of one stream partition fed by several inputs
// (the trades and sentiment topic-partitions of one co-partition number). Each input's
// watermark is the largest event time it has shown minus the allowed lateness; the
// partition's is the smallest over its inputs, so one input racing ahead cannot make the
// other's on-time events late. An input that has shown nothing holds the watermark back until
// it is marked idle (no data for the idle timeout); an idle input stops holding it back until
// it shows data again.
// Invariant: Current() never decreases, whatever is observed or marked idle.
// Thread-safety: none; owned by the partition's consumer.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/timestamp.h"

namespace cryptomood {

class EventTimeWatermark {
 public:
  EventTimeWatermark(int inputs, std::int64_t allowed_lateness_nanos)
      : inputs_(static_cast<std::size_t>(inputs)), allowed_lateness_(allowed_lateness_nanos) {}

  // An event of `input` at event time t (any order); the input is no longer idle.
  void Observe(int input, TimestampNs t);
  void SetIdle(int input, bool idle) { inputs_[Slot(input)].idle = idle; }
  bool idle(int input) const { return inputs_[Slot(input)].idle; }
  std::optional<TimestampNs> max_event_time(int input) const { return inputs_[Slot(input)].max; }

  // Every input's events earlier than this are either delivered or late. Null until each
  // input has shown an event or been marked idle, and while no input has shown any.
  std::optional<TimestampNs> Current();

  std::int64_t allowed_lateness() const { return allowed_lateness_; }
  int inputs() const { return static_cast<int>(inputs_.size()); }

  // For checkpoints: the maxima and the last watermark handed out; idleness is wall-clock
  // state and starts false after a restore.
  std::optional<TimestampNs> released() const { return released_; }
  void Restore(int input, std::optional<TimestampNs> max) { inputs_[Slot(input)].max = max; }
  void RestoreReleased(std::optional<TimestampNs> released) { released_ = released; }

 private:
  struct Input {
    std::optional<TimestampNs> max;
    bool idle = false;
  };
  static std::size_t Slot(int input) { return static_cast<std::size_t>(input); }

  std::vector<Input> inputs_;
  std::int64_t allowed_lateness_;
  std::optional<TimestampNs> released_;
};

}  // namespace cryptomood
