// MacKinnon's published response surfaces for the Dickey-Fuller tau statistic with one I(1)
// series (N = 1): the approximate asymptotic p-value of MacKinnon (1994) and the finite-sample
// 1%, 5% and 10% critical values of MacKinnon (2010). The coefficients are the published ones
// (as statsmodels' tsa/adfvalues.py carries them) and are evaluated in the same order, so the
// results equal statsmodels' mackinnonp(stat, regression, N=1) and
// mackinnoncrit(N=1, regression, nobs) to rounding.
// Thread-safety: pure functions over constant tables.
#pragma once

#include <array>
#include <cstdint>

namespace cryptomood {

// The deterministic terms of a unit-root regression: a constant ('c'), or a constant and a
// linear time trend ('ct').
enum class TrendTerms : std::uint8_t { kConstant, kConstantTrend };

// The p-value of tau: 1 above the surface's upper cut-off, 0 below its lower one, otherwise
// Phi of a polynomial in tau (the small-p polynomial up to tau*, the large-p one above it).
double MacKinnonPValue(double tau, TrendTerms terms);

// The 1%, 5% and 10% critical values for a regression with nobs rows:
// c0 + c1 / nobs + c2 / nobs^2 + c3 / nobs^3. nobs must be positive.
std::array<double, 3> MacKinnonCriticalValues(TrendTerms terms, std::int64_t nobs);

// The standard normal distribution function, as scipy's ndtr computes it from erf/erfc.
double StandardNormalCdf(double x);

}  // namespace cryptomood
