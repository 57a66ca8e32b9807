// Textbook two-pass formulas, written independently of src/core, for tests to compare the
// engine's incremental statistics against.
#pragma once

#include <cmath>
#include <vector>

namespace cryptomood::testing {

inline double ReferencePearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mean_x = 0, mean_y = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean_x += x[i] / n;
    mean_y += y[i] / n;
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    syy += (y[i] - mean_y) * (y[i] - mean_y);
  }
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace cryptomood::testing
