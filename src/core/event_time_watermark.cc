#include "core/event_time_watermark.h"

#include <algorithm>
#include <limits>

namespace cryptomood {

void EventTimeWatermark::Observe(int input, TimestampNs t) {
  Input& slot = inputs_[Slot(input)];
  slot.max = slot.max ? std::max(*slot.max, t) : t;
  slot.idle = false;
}

std::optional<TimestampNs> EventTimeWatermark::Current() {
  std::optional<TimestampNs> least;
  bool any_data = false;
  for (const Input& input : inputs_) {
    if (input.max) any_data = true;
    if (input.idle) continue;
    if (!input.max) return released_;  // an input yet to show anything holds it back
    least = least ? std::min(*least, *input.max) : *input.max;
  }
  if (!any_data) return released_;
  if (!least) {  // every input idle: what the inputs have shown is all there is for now
    for (const Input& input : inputs_) {
      if (input.max) least = least ? std::max(*least, *input.max) : *input.max;
    }
  }
  // Saturating: event times near the int64 minimum must not wrap around.
  const TimestampNs candidate = *least < std::numeric_limits<TimestampNs>::min() + allowed_lateness_
                                    ? std::numeric_limits<TimestampNs>::min()
                                    : *least - allowed_lateness_;
  if (!released_ || candidate > *released_) released_ = candidate;
  return released_;
}

}  // namespace cryptomood
