// The log return, defined once for every bar-based figure (the bar lag scan, /series, the
// diagnostics): the natural log of a close over the close one bar earlier. Both closes are
// prices, positive and finite (the parsers reject anything else), so the result is finite.
// Thread-safety: a pure function.
#pragma once

#include <cmath>

namespace cryptomood {

inline double LogReturn(double previous_close, double close) {
  return std::log(close / previous_close);
}

}  // namespace cryptomood
