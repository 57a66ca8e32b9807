#include "core/multiple_testing.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace cryptomood {

std::vector<std::optional<double>> HolmAdjust(std::span<const std::optional<double>> p_values) {
  std::vector<std::optional<double>> adjusted(p_values.size());
  std::vector<std::size_t> order;  // positions of the usable p-values, ascending by value
  order.reserve(p_values.size());
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (p_values[i] && !std::isnan(*p_values[i])) order.push_back(i);
  }
  // Stable so that equal p-values keep input order; the running maximum gives them equal
  // adjusted values either way.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return *p_values[a] < *p_values[b]; });

  const std::size_t hypotheses = order.size();
  double running_max = 0.0;
  for (std::size_t rank = 0; rank < hypotheses; ++rank) {
    const std::size_t position = order[rank];
    const double scaled = static_cast<double>(hypotheses - rank) * *p_values[position];
    running_max = std::max(running_max, std::min(1.0, scaled));
    adjusted[position] = running_max;
  }
  return adjusted;
}

}  // namespace cryptomood
