// Granger causality: does the past of a cause series help predict an effect series beyond the
// effect's own past? For lag order p, on the rows t where the effect at t and both series at
// t-1..t-p are defined (a gap in either series cuts the sample, as a missing close cuts
// returns), two least-squares fits (core/least_squares.h, by QR):
//   restricted    y_t = a + sum_{j<=p} b_j y_{t-j}
//   unrestricted  y_t = a + sum_{j<=p} b_j y_{t-j} + sum_{j<=p} c_j x_{t-j}
// and F = ((SSR_r - SSR_u) / p) / (SSR_u / (T - 2p - 1)) on T rows, with its upper tail from
// Fisher's F(p, T - 2p - 1) (statsmodels' grangercausalitytests ssr_ftest). p_value_hc1 is
// the Wald F of c = 0 with White's HC1 covariance on the same F distribution (statsmodels'
// OLS(...).fit(cov_type='HC1').f_test).
//
// Lag order by AIC (SelectVarLagOrder): the bivariate VAR with a constant, orders 0..pmax fitted
// on one common sample (the rows where both series are defined at t and t-1..t-pmax), AIC_p =
// ln det(Sigma_p) + 2 (4p + 2) / N with Sigma_p = residual cross-products / N on N rows; the
// first minimum wins (statsmodels' VAR.select_order(maxlags=pmax, trend='c')). pmax =
// round(12 (m/100)^(1/4)) where m counts the bars at which both series are defined, at least 1
// and at most (m - 3) / 3 (statsmodels' bound for a full-rank largest model); with gaps, pmax
// shrinks further until the common sample has more rows than the largest model has
// coefficients per equation. The residual cross-products of every order come from one
// cross-product matrix of the standardised lagged series, built in O(N pmax) by sliding sums
// along runs of consecutive rows, and one Cholesky factor (least_squares.h
// NestedResidualProductsFromGram): a QR of the N x (2 pmax + 1) design would take O(N pmax^2)
// time and N (2 pmax + 1) doubles (a year of 1m bars: pmax 102, 0.8 GB). The Cholesky route
// squares the design's condition number, which only the choice of order depends on; the
// tests themselves are fitted by QR.
// `auto` (AutoGrangerLags) uses the AIC order, raised to 1 when AIC picks 0 (a Granger test needs
// a lag), and 1 when no order can be selected (too few rows, a degenerate design).
//
// Undefined results are nullopt, never NaN: too few rows (T <= 2p + 1), a rank-deficient design
// (e.g. a constant series), or a perfect fit (SSR_u at most machine epsilon times the effect's
// centered sum of squares).
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace cryptomood {

// One bar's value, absent where the series has a gap.
using GappedSeries = std::span<const std::optional<double>>;

struct GrangerResult {
  std::size_t lags = 0;  // p
  std::size_t n = 0;     // rows used, T
  std::size_t df_num = 0;
  std::size_t df_den = 0;  // T - 2p - 1 (0 when T <= 2p + 1)
  std::optional<double> f;
  std::optional<double> p_value;
  std::optional<double> p_value_hc1;
};

// The test of "cause Granger-causes effect" at lag order `lags` (>= 1); both series are aligned
// bar by bar and must have the same length (the shorter length is used otherwise).
GrangerResult GrangerTest(GappedSeries cause, GappedSeries effect, std::size_t lags);

// The largest order the AIC search considers (see above); 0 when no order fits the data.
std::size_t MaxVarLagOrder(GappedSeries first, GappedSeries second);

// The VAR lag order with the smallest AIC in 0..MaxVarLagOrder; nullopt when none can be
// selected (no order fits, a rank-deficient design, a singular residual covariance). The
// order of the two series does not matter.
std::optional<std::size_t> SelectVarLagOrder(GappedSeries first, GappedSeries second);

// The lag order `auto` tests at: the AIC order, at least 1; 1 when none can be selected.
std::size_t AutoGrangerLags(GappedSeries first, GappedSeries second);

}  // namespace cryptomood
