// Stationarity diagnostics of one series: the augmented Dickey-Fuller test (null: a unit root),
// the KPSS test (null: stationarity) and the verdict the two give together.
//
// Contracts (each equals statsmodels 0.13.5 to rounding; the oracle test checks it):
// - AugmentedDickeyFuller = adfuller(x, regression='c'|'ct', autolag='AIC'): maxlag =
//   min(n / 2 - terms - 1, ceil(12 (n / 100)^(1/4))) (terms: 1 for 'c', 2 for 'ct'); the lag
//   order 0..maxlag with the smallest AIC (-2 llf + 2 columns, ties to the fewer lags) on the
//   common sample of the n - 1 - maxlag last differences; the statistic is the t ratio of the
//   lagged level refitted at that order on its own n - 1 - lags rows (nobs); the p-value is
//   MacKinnon's 1994 surface, the critical values MacKinnon 2010 at nobs.
// - Kpss = kpss(x, 'c'|'ct', nlags='auto'): residuals from the mean (or an OLS line on
//   t = 1..n), the Hobijn et al. (1998) bandwidth as statsmodels computes it, capped at n - 1,
//   the Bartlett long-run variance, and the p-value linearly interpolated in the KPSS table
//   (10%, 5%, 2.5%, 1%); outside the table it is the table's end and carries a bound flag.
// - A test is undefined (nullopt, never NaN) when the series is too short for it, holds a
//   non-finite value, is constant, or its regression is rank deficient.
// - The verdict: stationary when ADF rejects at 5% (statistic below the 5% critical value) and
//   KPSS does not (statistic at most its 5% critical value); unit_root when ADF does not reject
//   and KPSS does; inconclusive otherwise, and whenever a test is undefined.
// Numerics: the regressions are solved from the cross-products of their columns with the
// deterministic terms partialled out (see DickeyFullerCrossProducts in the .cc), which equals a
// QR of the rows to rounding on any series the oracle test covers.
// Cost: ADF is O(n * maxlag) for the cross-products (one matrix product) plus O(maxlag^3);
// KPSS is O(n * lags).
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/cancellation.h"
#include "core/mackinnon_tables.h"

namespace cryptomood {

struct AdfResult {
  double statistic = 0.0;
  std::int64_t lags = 0;  // lagged differences in the chosen regression
  std::int64_t nobs = 0;  // rows of the chosen regression
  double p_value = 1.0;
  std::array<double, 3> critical_values{};  // 1%, 5%, 10%
};

// Where the true KPSS p-value lies when the statistic is outside the table: kLower when the
// reported p-value (0.10) is a lower bound of it, kUpper when the reported 0.01 is an upper one.
enum class PValueBound : std::uint8_t { kNone, kLower, kUpper };

struct KpssResult {
  double statistic = 0.0;
  std::int64_t lags = 0;
  double p_value = 0.1;
  PValueBound p_value_bound = PValueBound::kNone;
  std::array<double, 4> critical_values{};  // 10%, 5%, 2.5%, 1%
};

enum class StationarityVerdict : std::uint8_t { kStationary, kUnitRoot, kInconclusive };

struct StationarityTests {
  std::optional<AdfResult> adf;
  std::optional<KpssResult> kpss;
  StationarityVerdict verdict = StationarityVerdict::kInconclusive;
};

// Both tests poll `cancel` every few milliseconds of work; once it is cancelled they return
// nullopt, which the caller tells from an undefined test by checking the token.
std::optional<AdfResult> AugmentedDickeyFuller(
    std::span<const double> x, TrendTerms terms,
    const CancellationToken& cancel = CancellationToken::Never());

std::optional<KpssResult> Kpss(std::span<const double> x, TrendTerms terms,
                               const CancellationToken& cancel = CancellationToken::Never());

StationarityVerdict Verdict(const std::optional<AdfResult>& adf,
                            const std::optional<KpssResult>& kpss);

// Both tests with the same deterministic terms, and their verdict.
StationarityTests TestStationarity(std::span<const double> x, TrendTerms terms,
                                   const CancellationToken& cancel = CancellationToken::Never());

// "c" / "ct"; "stationary" / "unit_root" / "inconclusive"; "lower" / "upper" (kNone: "").
std::string_view ToString(TrendTerms terms);
std::string_view ToString(StationarityVerdict verdict);
std::string_view ToString(PValueBound bound);

}  // namespace cryptomood
