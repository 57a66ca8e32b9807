// CorrelationStatistics: everything reported for one result row (n, Pearson's r, Spearman's
// rho, the two-sided p-value of r, the 95% Fisher-z confidence interval of r), plus the
// inference functions that compute the last two from r and n.
//
// Invariant: a statistic that is undefined for the data (n too small, zero variance) is
// nullopt, never NaN and never a substitute 0.
// Thread-safety: pure functions and a value type. No function here throws; Boost.Math runs
// under a policy that neither throws nor touches errno.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "core/co_moments.h"
#include "core/rank_correlation.h"
#include "core/robust_inference.h"

namespace cryptomood {

struct CorrelationStatistics {
  std::int64_t n = 0;
  std::optional<double> pearson;
  std::optional<double> spearman;
  // Naive inference: assumes independent pairs.
  std::optional<double> p_value;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  // Autocorrelation-robust inference of pearson, and of spearman on the ranks.
  RobustInference robust;
  RobustInference spearman_robust;
};

// The standard normal quantile of 0.975, for a 95% two-sided interval.
inline constexpr double kNormalQuantile975 = 1.959963984540054;

// Two-sided p-value of the null hypothesis rho = 0: t = r * sqrt((n - 2) / (1 - r^2)) against
// Student's t with n - 2 degrees of freedom. |r| == 1 gives 0. Null when n < 3 or r is NaN.
std::optional<double> PearsonPValue(double r, std::int64_t n);
// The same test with any positive (non-integer) degrees of freedom, as an effective sample
// size gives. Null when degrees_of_freedom < 1 or r is NaN.
std::optional<double> CorrelationTPValue(double r, double degrees_of_freedom);

// tanh(atanh(r) -/+ z / sqrt(n - 3)), the Fisher z interval; |r| == 1 gives [r, r].
// Null when n < 4 or r is NaN. z is the normal quantile of the wanted coverage (>= 0).
std::optional<std::pair<double, double>> FisherConfidenceInterval(double r, std::int64_t n,
                                                                  double z = kNormalQuantile975);
// The same for a non-integer sample size >= 3; at 3 the interval is [-1, 1] (|r| < 1).
std::optional<std::pair<double, double>> FisherIntervalOfSize(double r, double sample_size,
                                                              double z = kNormalQuantile975);

// Fills every field. x and y must hold the same pairs that were added to moments, in time
// order (Spearman needs all of them, robust inference their order); if their length differs
// from moments.count(), spearman and the robust fields are null rather than figures of
// different data. `price` says which of x and y is the price side.
CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y, PriceSide price,
                                SpearmanScratch& scratch);
CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y, PriceSide price);

}  // namespace cryptomood
