// Robust inference: p-values and intervals for a correlation whose pairs are not independent.
// Two corrections, each valid where the other is weak:
//  - effective sample size (Bretherton et al. 1999): persistence in both series makes n pairs
//    worth n_eff = clamp(n (1 - r1_x r1_y) / (1 + r1_x r1_y), 3, n) independent ones; the t test
//    and Fisher interval then use n_eff (a non-integer count);
//  - HAC (Newey-West): the slope of the standardised price on the standardised sentiment is r;
//    its Bartlett-kernel standard error with L = floor(4 (n/100)^(2/9)) lags covers serial
//    correlation and heteroskedasticity (shared volatility), with a normal p-value.
// p_value_robust is the larger of the two. Definitions, oracles and what each still assumes:
// docs/analysis.md. x is always the sentiment side and y the price side (price or return).
//
// The series are read through accessors so that one definition serves values (Pearson) and
// ranks (Spearman) without copying: the pairs are visited in their stored order, which is
// time order, so a batch run and a stream that stored the same pairs get the same bits.
// Invariant: every field is null when undefined (n < 3, zero variance, r null); never NaN.
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace cryptomood {

// Which member of each stored pair is the price side (price or return); the other is the
// sentiment side. Robust inference regresses price on sentiment, so it must know.
enum class PriceSide { kFirst, kSecond };

struct RobustInference {
  std::optional<double> r1_x;  // lag-1 autocorrelation of the sentiment side
  std::optional<double> r1_y;  // lag-1 autocorrelation of the price side
  std::optional<double> n_eff;
  std::optional<double> p_value_neff;
  std::optional<double> ci_low_neff;
  std::optional<double> ci_high_neff;
  std::optional<std::int64_t> hac_lags;
  std::optional<double> se_hac;
  std::optional<double> p_value_hac;
  std::optional<double> p_value_robust;
};

// floor(4 (n/100)^(2/9)), at most n - 1 and at least 0.
std::int64_t HacLagCount(std::int64_t n);

// The sums a robust row needs from its centred series: sum of squares and lag-1 products of
// each side, and the Bartlett-weighted long-run variance of v_t = zx_t (zy_t - r zx_t).
struct DependenceSums {
  std::int64_t n = 0;
  double squares_x = 0.0;
  double squares_y = 0.0;
  double lag1_x = 0.0;  // sum over t of dx_t dx_(t+1)
  double lag1_y = 0.0;
  std::int64_t hac_lags = 0;
  double long_run_variance = 0.0;  // Omega
};

// Completes the inference from the sums and the row's r (null r: all null).
RobustInference FinishRobustInference(const DependenceSums& sums, std::optional<double> r);

namespace robust_internal {

// Bartlett-weighted sums of v_t v_(t+j), j = 0..L, over a sliding history of the last L values
// of v. A fixed array bounds the history: L grows as n^(2/9), so kMaxLags covers n up to 10^13.
inline constexpr std::size_t kMaxLags = 512;

}  // namespace robust_internal

// Visits the n pairs through dx(i) and dy(i) (centred sentiment and price values, or ranks:
// anything with mean 0) once for the autocorrelations and once for HAC, which needs the sums
// of squares first to standardise.
template <typename SentimentAt, typename PriceAt>
RobustInference RobustInferenceOf(std::int64_t n, SentimentAt dx, PriceAt dy,
                                  std::optional<double> r) {
  DependenceSums sums;
  sums.n = n;
  if (n < 3 || !r) return FinishRobustInference(sums, r);
  double previous_x = dx(0);
  double previous_y = dy(0);
  sums.squares_x = previous_x * previous_x;
  sums.squares_y = previous_y * previous_y;
  for (std::int64_t i = 1; i < n; ++i) {
    const double x = dx(i);
    const double y = dy(i);
    sums.squares_x += x * x;
    sums.squares_y += y * y;
    sums.lag1_x += previous_x * x;
    sums.lag1_y += previous_y * y;
    previous_x = x;
    previous_y = y;
  }
  if (!(sums.squares_x > 0.0) || !(sums.squares_y > 0.0)) return FinishRobustInference(sums, r);
  const double count = static_cast<double>(n);
  const double scale_x = 1.0 / std::sqrt(sums.squares_x / count);
  const double scale_y = 1.0 / std::sqrt(sums.squares_y / count);
  const double slope = *r;
  const std::int64_t lags = std::min<std::int64_t>(HacLagCount(n), robust_internal::kMaxLags);
  sums.hac_lags = lags;
  // ring holds each v twice, at h and h + L, with h stepping down (mod L) each step, so the
  // last L values before v_t are the contiguous slice ring[h + 1, h + L]: v_(t-j) = ring[h + j].
  // No history is moved, and the inner loop reads forwards (it vectorises).
  std::array<double, robust_internal::kMaxLags + 1> products{};
  std::array<double, 2 * robust_internal::kMaxLags + 1> ring{};
  const auto width = static_cast<std::size_t>(lags);
  std::size_t head = 0;
  for (std::int64_t t = 0; t < n; ++t) {
    const double zx = dx(t) * scale_x;
    const double v = zx * (dy(t) * scale_y - slope * zx);
    products[0] += v * v;
    if (width == 0) continue;
    const std::size_t available = std::min(width, static_cast<std::size_t>(t));
    const double* previous = ring.data() + head;
    for (std::size_t j = 1; j <= available; ++j) products[j] += v * previous[j];
    head = head == 0 ? width - 1 : head - 1;
    ring[head + 1] = v;
    ring[head + 1 + width] = v;
  }
  double omega = products[0];
  for (std::size_t j = 1; j <= width; ++j) {
    omega += 2.0 * (1.0 - static_cast<double>(j) / static_cast<double>(width + 1)) * products[j];
  }
  sums.long_run_variance = omega;
  return FinishRobustInference(sums, r);
}

}  // namespace cryptomood
