// Multiple-testing corrections. A lag scan tests one hypothesis per lag, so the smallest raw
// p-value among them is biased low; the adjusted p-values restore a family-wise error rate.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace cryptomood {

// Holm's step-down adjustment over the non-null entries (m of them): sorted ascending,
// the i-th smallest (i = 1..m) becomes max over j <= i of min(1, (m - j + 1) * p_(j)). The result
// is monotone in the raw p-values and capped at 1. Null entries (and NaN ones) stay null and do
// not count towards m. Output has the input's length and order.
std::vector<std::optional<double>> HolmAdjust(std::span<const std::optional<double>> p_values);

}  // namespace cryptomood
