#include "core/stationarity.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/least_squares.h"

namespace cryptomood {
namespace {

std::size_t TermCount(TrendTerms terms) { return terms == TrendTerms::kConstant ? 1 : 2; }

bool AllFinite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

// adfuller's default: min(n / 2 - terms - 1, ceil(12 (n / 100)^(1/4))); negative: too short.
std::int64_t AdfMaxLag(std::size_t n, TrendTerms terms) {
  const auto schwert =
      static_cast<std::int64_t>(std::ceil(12.0 * std::pow(static_cast<double>(n) / 100.0, 0.25)));
  const std::int64_t cap =
      static_cast<std::int64_t>(n / 2) - static_cast<std::int64_t>(TermCount(terms)) - 1;
  return std::min(cap, schwert);
}

// The Dickey-Fuller regression with `lags` lagged differences on the rows t = first..n-2 of
// the differences d_t = x_{t+1} - x_t: response d_t; columns the constant, the trend 1..rows
// (with kConstantTrend), the level x_t, then d_{t-1} .. d_{t-lags}. Every lag order's model is
// a prefix of the columns.
struct DickeyFullerRegression {
  DesignMatrix design;
  std::vector<double> response;
};

DickeyFullerRegression BuildRegression(std::span<const double> x, TrendTerms terms,
                                       std::size_t lags, std::size_t first) {
  const std::size_t rows = x.size() - 1 - first;
  const std::size_t deterministic = TermCount(terms);
  DickeyFullerRegression regression{DesignMatrix(rows, deterministic + 1 + lags),
                                    std::vector<double>(rows)};
  DesignMatrix& design = regression.design;
  for (std::size_t row = 0; row < rows; ++row) {
    const std::size_t t = first + row;
    regression.response[row] = x[t + 1] - x[t];
    design.at(row, 0) = 1.0;
    if (terms == TrendTerms::kConstantTrend) design.at(row, 1) = static_cast<double>(row + 1);
    design.at(row, deterministic) = x[t];
    for (std::size_t lag = 1; lag <= lags; ++lag) {
      design.at(row, deterministic + lag) = x[t + 1 - lag] - x[t - lag];
    }
  }
  return regression;
}

// statsmodels' OLS aic: -2 llf + 2 columns, llf the profile log likelihood.
double Aic(double ssr, std::size_t rows, std::size_t columns) {
  const auto nobs = static_cast<double>(rows);
  const double half = nobs / 2.0;
  const double llf = -half * std::log(2.0 * std::numbers::pi) - half * std::log(ssr / nobs) - half;
  return -2.0 * llf + 2.0 * static_cast<double>(columns);
}

// The lag order 0..max_lag with the smallest AIC on the common sample of max_lag's regression.
std::optional<std::size_t> ChooseLagByAic(std::span<const double> x, TrendTerms terms,
                                          std::size_t max_lag) {
  const DickeyFullerRegression search = BuildRegression(x, terms, max_lag, max_lag);
  const std::span<const double> response(search.response);
  const Result<std::vector<SquareMatrix>> nested =
      NestedResidualProducts(search.design, std::span(&response, 1));
  if (!nested.ok()) return std::nullopt;
  const std::size_t deterministic = TermCount(terms);
  std::optional<std::size_t> best;
  double best_aic = 0.0;
  for (std::size_t lag = 0; lag <= max_lag; ++lag) {
    const std::size_t columns = deterministic + 1 + lag;
    const double ssr = (*nested)[columns - 1].at(0, 0);
    const double aic = Aic(ssr, search.design.rows(), columns);
    if (!std::isfinite(aic)) return std::nullopt;
    if (!best || aic < best_aic) {
      best = lag;
      best_aic = aic;
    }
  }
  return best;
}

// numpy.interp of the statistic in the table (statistics ascending, p-values descending).
double InterpolateKpssPValue(double statistic, const std::array<double, 4>& table) {
  static constexpr std::array<double, 4> kLevels = {0.10, 0.05, 0.025, 0.01};
  if (statistic <= table.front()) return kLevels.front();
  if (statistic >= table.back()) return kLevels.back();
  std::size_t j = 0;
  while (statistic >= table[j + 1]) ++j;
  if (statistic == table[j]) return kLevels[j];
  const double slope = (kLevels[j + 1] - kLevels[j]) / (table[j + 1] - table[j]);
  return slope * (statistic - table[j]) + kLevels[j];
}

std::optional<std::vector<double>> KpssResiduals(std::span<const double> x, TrendTerms terms) {
  const std::size_t n = x.size();
  std::vector<double> residuals(x.begin(), x.end());
  if (terms == TrendTerms::kConstant) {
    double sum = 0.0;
    for (const double v : x) sum += v;
    const double mean = sum / static_cast<double>(n);
    for (double& v : residuals) v -= mean;
    return residuals;
  }
  DesignMatrix line(n, 2);
  for (std::size_t t = 0; t < n; ++t) {
    line.at(t, 0) = 1.0;
    line.at(t, 1) = static_cast<double>(t + 1);
  }
  Result<LeastSquaresFit> fit = FitLeastSquares(line, x);
  if (!fit.ok()) return std::nullopt;
  return std::move(fit->residuals);
}

// sum_t e_{t+lag} e_t.
double LaggedProduct(std::span<const double> e, std::size_t lag) {
  double sum = 0.0;
  for (std::size_t t = lag; t < e.size(); ++t) sum += e[t] * e[t - lag];
  return sum;
}

// Hobijn et al. (1998) as statsmodels' _kpss_autolag computes it, capped at n - 1; nullopt
// when the bandwidth is not finite.
std::optional<std::int64_t> KpssBandwidth(std::span<const double> e) {
  const std::size_t n = e.size();
  const auto count = static_cast<double>(n);
  const auto covariance_lags = static_cast<std::size_t>(std::pow(count, 2.0 / 9.0));
  double s0 = LaggedProduct(e, 0) / count;
  double s1 = 0.0;
  for (std::size_t i = 1; i <= covariance_lags && i < n; ++i) {
    const double product = LaggedProduct(e, i) / (count / 2.0);
    s0 += product;
    s1 += static_cast<double>(i) * product;
  }
  const double ratio = s1 / s0;
  const double gamma = 1.1447 * std::pow(ratio * ratio, 1.0 / 3.0);
  const double bandwidth = gamma * std::pow(count, 1.0 / 3.0);
  if (!std::isfinite(bandwidth)) return std::nullopt;
  const auto cap = static_cast<std::int64_t>(n) - 1;
  if (bandwidth >= static_cast<double>(cap)) return cap;
  return static_cast<std::int64_t>(bandwidth);
}

// The Bartlett-weighted long-run variance with `lags` lags, over n.
double LongRunVariance(std::span<const double> e, std::int64_t lags) {
  double sum = LaggedProduct(e, 0);
  const auto width = static_cast<double>(lags) + 1.0;
  for (std::int64_t i = 1; i <= lags; ++i) {
    sum += 2.0 * LaggedProduct(e, static_cast<std::size_t>(i)) *
           (1.0 - static_cast<double>(i) / width);
  }
  return sum / static_cast<double>(e.size());
}

}  // namespace

std::optional<AdfResult> AugmentedDickeyFuller(std::span<const double> x, TrendTerms terms) {
  const std::int64_t max_lag = AdfMaxLag(x.size(), terms);
  if (max_lag < 0 || !AllFinite(x)) return std::nullopt;
  const std::optional<std::size_t> lags =
      ChooseLagByAic(x, terms, static_cast<std::size_t>(max_lag));
  if (!lags) return std::nullopt;
  const DickeyFullerRegression chosen = BuildRegression(x, terms, *lags, *lags);
  const Result<LeastSquaresFit> fit = FitLeastSquares(chosen.design, chosen.response);
  if (!fit.ok()) return std::nullopt;
  const std::size_t level = TermCount(terms);
  const double variance = ClassicalCovariance(*fit).at(level, level);
  if (!(variance > 0.0)) return std::nullopt;
  AdfResult result;
  result.statistic = fit->coefficients[level] / std::sqrt(variance);
  if (!std::isfinite(result.statistic)) return std::nullopt;
  result.lags = static_cast<std::int64_t>(*lags);
  result.nobs = static_cast<std::int64_t>(chosen.design.rows());
  result.p_value = MacKinnonPValue(result.statistic, terms);
  result.critical_values = MacKinnonCriticalValues(terms, result.nobs);
  return result;
}

std::optional<KpssResult> Kpss(std::span<const double> x, TrendTerms terms) {
  if (x.size() <= TermCount(terms) || !AllFinite(x)) return std::nullopt;
  const std::optional<std::vector<double>> residuals = KpssResiduals(x, terms);
  if (!residuals) return std::nullopt;
  const std::span<const double> e(*residuals);
  if (!(LaggedProduct(e, 0) > 0.0)) return std::nullopt;
  const std::optional<std::int64_t> lags = KpssBandwidth(e);
  if (!lags) return std::nullopt;
  double partial = 0.0;
  double partial_squares = 0.0;
  for (const double v : e) {
    partial += v;
    partial_squares += partial * partial;
  }
  const auto count = static_cast<double>(e.size());
  const double eta = partial_squares / (count * count);
  const double variance = LongRunVariance(e, *lags);
  if (!(variance > 0.0)) return std::nullopt;
  KpssResult result;
  result.statistic = eta / variance;
  result.lags = *lags;
  result.critical_values = terms == TrendTerms::kConstant
                               ? std::array<double, 4>{0.347, 0.463, 0.574, 0.739}
                               : std::array<double, 4>{0.119, 0.146, 0.176, 0.216};
  result.p_value = InterpolateKpssPValue(result.statistic, result.critical_values);
  if (result.p_value == 0.10) result.p_value_bound = PValueBound::kLower;
  if (result.p_value == 0.01) result.p_value_bound = PValueBound::kUpper;
  return result;
}

StationarityVerdict Verdict(const std::optional<AdfResult>& adf,
                            const std::optional<KpssResult>& kpss) {
  if (!adf || !kpss) return StationarityVerdict::kInconclusive;
  const bool adf_rejects = adf->statistic < adf->critical_values[1];
  const bool kpss_rejects = kpss->statistic > kpss->critical_values[1];
  if (adf_rejects && !kpss_rejects) return StationarityVerdict::kStationary;
  if (!adf_rejects && kpss_rejects) return StationarityVerdict::kUnitRoot;
  return StationarityVerdict::kInconclusive;
}

StationarityTests TestStationarity(std::span<const double> x, TrendTerms terms) {
  StationarityTests tests;
  tests.adf = AugmentedDickeyFuller(x, terms);
  tests.kpss = Kpss(x, terms);
  tests.verdict = Verdict(tests.adf, tests.kpss);
  return tests;
}

std::string_view ToString(TrendTerms terms) { return terms == TrendTerms::kConstant ? "c" : "ct"; }

std::string_view ToString(StationarityVerdict verdict) {
  switch (verdict) {
    case StationarityVerdict::kStationary:
      return "stationary";
    case StationarityVerdict::kUnitRoot:
      return "unit_root";
    case StationarityVerdict::kInconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string_view ToString(PValueBound bound) {
  switch (bound) {
    case PValueBound::kLower:
      return "lower";
    case PValueBound::kUpper:
      return "upper";
    case PValueBound::kNone:
      return "";
  }
  return "";
}

}  // namespace cryptomood
