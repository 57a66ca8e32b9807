#include "core/robust_inference.h"

#include <algorithm>
#include <cmath>

#include "core/correlation_statistics.h"

namespace cryptomood {

std::int64_t HacLagCount(std::int64_t n) {
  if (n < 2) return 0;
  const double lags = std::floor(4.0 * std::pow(static_cast<double>(n) / 100.0, 2.0 / 9.0));
  return std::min(static_cast<std::int64_t>(lags), n - 1);
}

namespace {

void FillEffectiveSampleSize(const DependenceSums& sums, double r, RobustInference& out) {
  if (!out.r1_x || !out.r1_y) return;
  const double count = static_cast<double>(sums.n);
  const double product = *out.r1_x * *out.r1_y;
  // |r1| <= 1, so the denominator is 0 only when one series alternates perfectly against a
  // perfectly persistent one; the ratio is then unbounded and the clamp gives n.
  const double ratio = 1.0 + product > 0.0 ? (1.0 - product) / (1.0 + product) : count;
  const double n_eff = std::clamp(count * ratio, 3.0, count);
  out.n_eff = n_eff;
  out.p_value_neff = CorrelationTPValue(r, n_eff - 2.0);
  if (const auto interval = FisherIntervalOfSize(r, n_eff)) {
    out.ci_low_neff = interval->first;
    out.ci_high_neff = interval->second;
  }
}

void FillHac(const DependenceSums& sums, double r, RobustInference& out) {
  out.hac_lags = sums.hac_lags;
  if (!(sums.long_run_variance > 0.0)) {
    // No variation left around the fit: the slope is exact (|r| = 1) or the data degenerate.
    if (std::fabs(r) >= 1.0) out.p_value_hac = 0.0;
    return;
  }
  const double standard_error = std::sqrt(sums.long_run_variance) / static_cast<double>(sums.n);
  out.se_hac = standard_error;
  // Two-sided normal tail: 2 * Phi(-|z|) = erfc(|z| / sqrt 2), accurate far into the tail.
  out.p_value_hac = std::erfc(std::fabs(r / standard_error) / std::sqrt(2.0));
}

}  // namespace

RobustInference FinishRobustInference(const DependenceSums& sums, std::optional<double> r) {
  RobustInference out;
  if (sums.n < 3 || !(sums.squares_x > 0.0) || !(sums.squares_y > 0.0)) return out;
  out.r1_x = sums.lag1_x / sums.squares_x;
  out.r1_y = sums.lag1_y / sums.squares_y;
  if (!r || std::isnan(*r)) return out;
  FillEffectiveSampleSize(sums, *r, out);
  FillHac(sums, *r, out);
  if (out.p_value_hac && out.p_value_neff) {
    out.p_value_robust = std::max(*out.p_value_hac, *out.p_value_neff);
  } else {
    out.p_value_robust = out.p_value_hac ? out.p_value_hac : out.p_value_neff;
  }
  return out;
}

}  // namespace cryptomood
