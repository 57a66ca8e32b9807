#include "core/stationarity.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
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

// The Dickey-Fuller regressions on the rows t = first..n-2 of the differences
// d_t = x_{t+1} - x_t: response d_t on the deterministic terms Z (a constant, and the trend
// 1..rows with kConstantTrend), the level x_t and the lagged differences d_{t-1}..d_{t-lags}.
//
// Every quantity the tests need is a function of the cross-products of the columns once Z is
// partialled out, so the regression is solved from that (lags + 2)-square matrix rather than
// from the rows: Z is projected out analytically (an orthonormal constant and centred trend),
// the level is residualised explicitly (it may be almost all trend), and the lag block, whose
// columns are shifts of one series, costs one matrix product with the shifted columns as a
// strided view. Residualising is unchanged by shifting a column by a constant, so the
// differences are centred first, which keeps the products well scaled. A Cholesky factor of
// the matrix is the R of a QR of the residualised columns, which gives every nested residual
// sum of squares and the t ratio of the last column.
class DickeyFullerCrossProducts {
 public:
  // Columns in `order`: position 0..lags+1, each naming a column (kLevel or a lag 1..lags);
  // the response comes last.
  static constexpr std::size_t kLevel = 0;

  DickeyFullerCrossProducts(std::span<const double> centred_differences, std::span<const double> x,
                            TrendTerms terms, std::size_t lags, std::size_t first,
                            const CancellationToken& cancel)
      : d_(centred_differences),
        terms_(terms),
        lags_(lags),
        first_(first),
        rows_(x.size() - 1 - first) {
    ResidualiseLevel(x);
    LagProducts(cancel);
  }

  std::size_t rows() const { return rows_; }

  // The upper Cholesky factor of the residualised cross-products of [columns in `order`,
  // response], where order lists kLevel and lags 1..lags in any order; nullopt when a column is
  // (numerically) a combination of the ones before it.
  std::optional<Eigen::MatrixXd> Factor(std::span<const std::size_t> order) const {
    const auto size = static_cast<Eigen::Index>(order.size() + 1);
    Eigen::MatrixXd m(size, size);
    for (Eigen::Index a = 0; a < size; ++a) {
      for (Eigen::Index b = 0; b < size; ++b) m(a, b) = Product(Column(order, a), Column(order, b));
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(m);
    if (llt.info() != Eigen::Success) return std::nullopt;
    Eigen::MatrixXd upper = llt.matrixU();
    for (Eigen::Index j = 0; j + 1 < size; ++j) {
      if (!(upper(j, j) * upper(j, j) > kRankTolerance * m(j, j))) return std::nullopt;
    }
    return upper;
  }

 private:
  static constexpr double kRankTolerance = 1e-12;
  static constexpr Eigen::Index kRowsPerPoll = 32768;
  static constexpr std::size_t kResponse = std::numeric_limits<std::size_t>::max();

  static std::size_t Column(std::span<const std::size_t> order, Eigen::Index position) {
    const auto index = static_cast<std::size_t>(position);
    return index < order.size() ? order[index] : kResponse;
  }

  // The lag of a column: the response is lag 0.
  static std::size_t LagOf(std::size_t column) { return column == kResponse ? 0 : column; }

  double Product(std::size_t a, std::size_t b) const {
    if (a == kLevel && b == kLevel) return level_square_;
    if (a == kLevel) return level_products_[LagOf(b)];
    if (b == kLevel) return level_products_[LagOf(a)];
    const std::size_t i = LagOf(a);
    const std::size_t j = LagOf(b);
    return lag_products_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) -
           constant_[i] * constant_[j] - trend_[i] * trend_[j];
  }

  double Centre() const { return (static_cast<double>(rows_) - 1.0) / 2.0; }
  // sum over the rows of (r - centre)^2.
  double TrendSquares() const {
    const auto n = static_cast<double>(rows_);
    return n * (n * n - 1.0) / 12.0;
  }

  // The level x_t minus its projection on Z, projected twice so that it is orthogonal to Z to
  // rounding even when Z explains almost all of it.
  void ResidualiseLevel(std::span<const double> x) {
    level_.resize(static_cast<Eigen::Index>(rows_));
    const double offset = x[first_];
    for (std::size_t r = 0; r < rows_; ++r)
      level_(static_cast<Eigen::Index>(r)) = x[first_ + r] - offset;
    for (int pass = 0; pass < 2; ++pass) {
      level_.array() -= level_.mean();
      if (terms_ == TrendTerms::kConstantTrend) {
        const Eigen::VectorXd trend =
            Eigen::VectorXd::LinSpaced(static_cast<Eigen::Index>(rows_), 0.0,
                                       static_cast<double>(rows_) - 1.0)
                .array() -
            Centre();
        level_ -= (trend.dot(level_) / TrendSquares()) * trend;
      }
    }
    level_square_ = level_.squaredNorm();
  }

  // Cross-products of the lagged differences (lags 0..lags) over the rows, their projections
  // on Z, and their products with the residualised level.
  void LagProducts(const CancellationToken& cancel) {
    const auto n = static_cast<Eigen::Index>(rows_);
    const auto k = static_cast<Eigen::Index>(lags_ + 1);
    // Column c is lag (lags - c): it starts lags - c before the response.
    const Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>> shifted(
        d_.data() + first_ - lags_, n, k, Eigen::OuterStride<>(1));
    Eigen::MatrixXd targets(n, 2);
    targets.col(0) = shifted.col(k - 1);
    targets.col(1) = level_;
    // By blocks of rows, polling between them.
    Eigen::MatrixXd first_row = Eigen::MatrixXd::Zero(k, 2);
    for (Eigen::Index start = 0; start < n; start += kRowsPerPoll) {
      if (cancel.StopRequested()) return;
      const Eigen::Index length = std::min(kRowsPerPoll, n - start);
      first_row.noalias() +=
          shifted.middleRows(start, length).transpose() * targets.middleRows(start, length);
    }
    level_products_.assign(lags_ + 1, 0.0);
    lag_products_.resize(k, k);
    for (Eigen::Index c = 0; c < k; ++c) {
      const auto lag = static_cast<std::size_t>(k - 1 - c);
      level_products_[lag] = first_row(c, 1);
      lag_products_(0, k - 1 - c) = first_row(c, 0);
      lag_products_(k - 1 - c, 0) = first_row(c, 0);
    }
    // Shifting both lags by one moves the window back a row: drop the last, add the one before.
    const std::size_t last = first_ + rows_ - 1;
    for (std::size_t i = 0; i < lags_; ++i) {
      for (std::size_t j = i; j < lags_; ++j) {
        const auto a = static_cast<Eigen::Index>(i);
        const auto b = static_cast<Eigen::Index>(j);
        const double shifted_product = lag_products_(a, b) - d_[last - i] * d_[last - j] +
                                       d_[first_ - 1 - i] * d_[first_ - 1 - j];
        lag_products_(a + 1, b + 1) = shifted_product;
        lag_products_(b + 1, a + 1) = shifted_product;
      }
    }
    ProjectLagsOnZ();
  }

  // constant_[j], trend_[j]: lag j's coefficients on the orthonormal constant and centred
  // trend, by the same window shifts.
  void ProjectLagsOnZ() {
    constant_.assign(lags_ + 1, 0.0);
    trend_.assign(lags_ + 1, 0.0);
    const std::size_t last = first_ + rows_ - 1;
    const double centre = Centre();
    double sum = 0.0;
    double weighted = 0.0;
    for (std::size_t r = 0; r < rows_; ++r) {
      sum += d_[first_ + r];
      weighted += (static_cast<double>(r) - centre) * d_[first_ + r];
    }
    const double constant_norm = std::sqrt(static_cast<double>(rows_));
    const double trend_norm = std::sqrt(TrendSquares());
    const bool trend = terms_ == TrendTerms::kConstantTrend;
    for (std::size_t j = 0;; ++j) {
      constant_[j] = sum / constant_norm;
      if (trend) trend_[j] = weighted / trend_norm;
      if (j == lags_) break;
      // Lag j + 1 over the rows is lag j over the rows shifted back by one.
      const double dropped = d_[last - j];
      const double added = d_[first_ - 1 - j];
      sum += added - dropped;
      weighted += -(static_cast<double>(rows_) - 1.0 - centre) * dropped + (-1.0 - centre) * added;
      weighted += sum;
    }
  }

  std::span<const double> d_;
  TrendTerms terms_;
  std::size_t lags_;
  std::size_t first_;
  std::size_t rows_;
  Eigen::VectorXd level_;
  double level_square_ = 0.0;
  std::vector<double> level_products_;  // by lag 0..lags
  Eigen::MatrixXd lag_products_;        // by lag 0..lags, both ways
  std::vector<double> constant_;
  std::vector<double> trend_;
};

std::vector<double> CentredDifferences(std::span<const double> x) {
  std::vector<double> d(x.size() - 1);
  double sum = 0.0;
  for (std::size_t t = 0; t + 1 < x.size(); ++t) {
    d[t] = x[t + 1] - x[t];
    sum += d[t];
  }
  const double mean = sum / static_cast<double>(d.size());
  for (double& v : d) v -= mean;
  return d;
}

// statsmodels' OLS aic: -2 llf + 2 columns, llf the profile log likelihood.
double Aic(double ssr, std::size_t rows, std::size_t columns) {
  const auto nobs = static_cast<double>(rows);
  const double half = nobs / 2.0;
  const double llf = -half * std::log(2.0 * std::numbers::pi) - half * std::log(ssr / nobs) - half;
  return -2.0 * llf + 2.0 * static_cast<double>(columns);
}

// The lag order 0..max_lag with the smallest AIC on the common sample of max_lag's regression.
std::optional<std::size_t> ChooseLagByAic(std::span<const double> d, std::span<const double> x,
                                          TrendTerms terms, std::size_t max_lag,
                                          const CancellationToken& cancel) {
  const DickeyFullerCrossProducts search(d, x, terms, max_lag, max_lag, cancel);
  if (cancel.cancelled()) return std::nullopt;
  std::vector<std::size_t> order(max_lag + 1);
  for (std::size_t i = 0; i <= max_lag; ++i) order[i] = i;  // the level, then lags 1..max_lag
  const std::optional<Eigen::MatrixXd> r = search.Factor(order);
  if (!r) return std::nullopt;
  const auto response = static_cast<Eigen::Index>(max_lag + 1);
  // Residual sum of squares with lags 0..max_lag, built from the full model's outwards.
  double ssr = (*r)(response, response) * (*r)(response, response);
  std::vector<double> aic(max_lag + 1);
  for (std::size_t lag = max_lag + 1; lag-- > 0;) {
    aic[lag] = Aic(ssr, search.rows(), TermCount(terms) + 1 + lag);
    if (!std::isfinite(aic[lag])) return std::nullopt;
    const double dropped = (*r)(static_cast<Eigen::Index>(lag), response);
    ssr += dropped * dropped;
  }
  return static_cast<std::size_t>(std::min_element(aic.begin(), aic.end()) - aic.begin());
}

// The t ratio of the level in the regression with `lags` lags on its own rows.
std::optional<double> LevelTRatio(std::span<const double> d, std::span<const double> x,
                                  TrendTerms terms, std::size_t lags, std::size_t& rows,
                                  const CancellationToken& cancel) {
  const DickeyFullerCrossProducts chosen(d, x, terms, lags, lags, cancel);
  if (cancel.cancelled()) return std::nullopt;
  rows = chosen.rows();
  std::vector<std::size_t> order;
  for (std::size_t lag = 1; lag <= lags; ++lag) order.push_back(lag);
  order.push_back(DickeyFullerCrossProducts::kLevel);
  const std::optional<Eigen::MatrixXd> r = chosen.Factor(order);
  if (!r) return std::nullopt;
  const auto level = static_cast<Eigen::Index>(lags);
  const Eigen::Index response = level + 1;
  const double ssr = (*r)(response, response) * (*r)(response, response);
  const auto residual_df = static_cast<double>(rows - TermCount(terms) - 1 - lags);
  const double scale = std::sqrt(ssr / residual_df);
  if (!(scale > 0.0)) return std::nullopt;
  return (*r)(level, response) / scale;
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
  if (lag >= e.size()) return 0.0;
  const auto length = static_cast<Eigen::Index>(e.size() - lag);
  using ConstVector = Eigen::Map<const Eigen::VectorXd>;
  return ConstVector(e.data() + lag, length).dot(ConstVector(e.data(), length));
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
// Polls once a lag; nullopt once cancelled.
std::optional<double> LongRunVariance(std::span<const double> e, std::int64_t lags,
                                      const CancellationToken& cancel) {
  double sum = LaggedProduct(e, 0);
  const auto width = static_cast<double>(lags) + 1.0;
  for (std::int64_t i = 1; i <= lags; ++i) {
    if (cancel.StopRequested()) return std::nullopt;
    sum += 2.0 * LaggedProduct(e, static_cast<std::size_t>(i)) *
           (1.0 - static_cast<double>(i) / width);
  }
  return sum / static_cast<double>(e.size());
}

}  // namespace

std::optional<AdfResult> AugmentedDickeyFuller(std::span<const double> x, TrendTerms terms,
                                               const CancellationToken& cancel) {
  const std::int64_t max_lag = AdfMaxLag(x.size(), terms);
  if (max_lag < 0 || !AllFinite(x)) return std::nullopt;
  const std::vector<double> d = CentredDifferences(x);
  const std::optional<std::size_t> lags =
      ChooseLagByAic(d, x, terms, static_cast<std::size_t>(max_lag), cancel);
  if (!lags) return std::nullopt;
  std::size_t rows = 0;
  const std::optional<double> statistic = LevelTRatio(d, x, terms, *lags, rows, cancel);
  if (!statistic || !std::isfinite(*statistic)) return std::nullopt;
  AdfResult result;
  result.statistic = *statistic;
  result.lags = static_cast<std::int64_t>(*lags);
  result.nobs = static_cast<std::int64_t>(rows);
  result.p_value = MacKinnonPValue(result.statistic, terms);
  result.critical_values = MacKinnonCriticalValues(terms, result.nobs);
  return result;
}

std::optional<KpssResult> Kpss(std::span<const double> x, TrendTerms terms,
                               const CancellationToken& cancel) {
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
  const std::optional<double> variance = LongRunVariance(e, *lags, cancel);
  if (!variance || !(*variance > 0.0)) return std::nullopt;
  KpssResult result;
  result.statistic = eta / *variance;
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

StationarityTests TestStationarity(std::span<const double> x, TrendTerms terms,
                                   const CancellationToken& cancel) {
  StationarityTests tests;
  tests.adf = AugmentedDickeyFuller(x, terms, cancel);
  tests.kpss = Kpss(x, terms, cancel);
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
