#include "core/granger.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/least_squares.h"

namespace cryptomood {
namespace {

// A gapped series as plain values (0 where absent) and, per bar, how many consecutive defined
// values end there (0 at a gap): "defined at t-j for every j < k" is run[t] >= k.
struct DenseSeries {
  std::vector<double> values;
  std::vector<std::size_t> run;
};

DenseSeries Densify(GappedSeries series, std::size_t length) {
  DenseSeries dense;
  dense.values.resize(length, 0.0);
  dense.run.resize(length, 0);
  std::size_t run = 0;
  for (std::size_t t = 0; t < length; ++t) {
    run = series[t].has_value() ? run + 1 : 0;
    if (series[t]) dense.values[t] = *series[t];
    dense.run[t] = run;
  }
  return dense;
}

// A regressor: `series` lagged by `lag` bars.
struct LaggedColumn {
  const DenseSeries* series;
  std::size_t lag;
};

// A constant column followed by the lagged columns, one row per entry of `rows`.
DesignMatrix BuildDesign(std::span<const std::size_t> rows, std::span<const LaggedColumn> columns) {
  DesignMatrix design(rows.size(), columns.size() + 1);
  std::fill(design.column(0).begin(), design.column(0).end(), 1.0);
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const std::span<double> column = design.column(j + 1);
    const std::vector<double>& values = columns[j].series->values;
    for (std::size_t i = 0; i < rows.size(); ++i) column[i] = values[rows[i] - columns[j].lag];
  }
  return design;
}

std::vector<double> Gather(const DenseSeries& series, std::span<const std::size_t> rows) {
  std::vector<double> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = series.values[rows[i]];
  return out;
}

double CenteredSumOfSquares(std::span<const double> values) {
  double mean = 0.0;
  for (const double value : values) mean += value;
  mean /= static_cast<double>(values.size());
  double sum = 0.0;
  for (const double value : values) sum += (value - mean) * (value - mean);
  return sum;
}

// Rows t where the effect is defined at t..t-lags and the cause at t-1..t-lags.
std::vector<std::size_t> GrangerRows(const DenseSeries& cause, const DenseSeries& effect,
                                     std::size_t lags) {
  std::vector<std::size_t> rows;
  rows.reserve(effect.run.size());
  for (std::size_t t = lags; t < effect.run.size(); ++t) {
    if (effect.run[t] > lags && cause.run[t - 1] >= lags) rows.push_back(t);
  }
  return rows;
}

// Rows t where both series are defined at t..t-lags: the VAR's common sample.
std::vector<std::size_t> CommonRows(const DenseSeries& first, const DenseSeries& second,
                                    std::size_t lags) {
  std::vector<std::size_t> rows;
  rows.reserve(first.run.size());
  for (std::size_t t = lags; t < first.run.size(); ++t) {
    if (first.run[t] > lags && second.run[t] > lags) rows.push_back(t);
  }
  return rows;
}

// const, own lags 1..p, then the cause's lags 1..p.
std::vector<LaggedColumn> GrangerColumns(const DenseSeries& cause, const DenseSeries& effect,
                                         std::size_t lags) {
  std::vector<LaggedColumn> columns;
  for (std::size_t j = 1; j <= lags; ++j) columns.push_back({&effect, j});
  for (std::size_t j = 1; j <= lags; ++j) columns.push_back({&cause, j});
  return columns;
}

std::size_t MaxVarLagOrder(const DenseSeries& first, const DenseSeries& second) {
  std::size_t both_defined = 0;
  for (std::size_t t = 0; t < first.run.size(); ++t) {
    if (first.run[t] > 0 && second.run[t] > 0) ++both_defined;
  }
  if (both_defined < 3) return 0;
  const double m = static_cast<double>(both_defined);
  const auto rule = static_cast<std::size_t>(std::round(12.0 * std::pow(m / 100.0, 0.25)));
  std::size_t order = std::min(std::max<std::size_t>(rule, 1), (both_defined - 3) / 3);
  while (order > 0 && CommonRows(first, second, order).size() <= 2 * order + 1) --order;
  return order;
}

// The series standardised over its defined values (any affine change of a series leaves the
// VAR's residuals the same up to that scale, and a constant is in every model); nullopt when
// it is constant.
std::optional<std::vector<double>> Standardized(const DenseSeries& series) {
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t t = 0; t < series.values.size(); ++t) {
    if (series.run[t] > 0) {
      sum += series.values[t];
      ++count;
    }
  }
  if (count < 2) return std::nullopt;
  const double mean = sum / static_cast<double>(count);
  double squares = 0.0;
  for (std::size_t t = 0; t < series.values.size(); ++t) {
    if (series.run[t] > 0) squares += (series.values[t] - mean) * (series.values[t] - mean);
  }
  if (!(squares > 0.0)) return std::nullopt;
  const double scale = 1.0 / std::sqrt(squares / static_cast<double>(count));
  std::vector<double> out(series.values.size(), 0.0);
  for (std::size_t t = 0; t < out.size(); ++t) {
    if (series.run[t] > 0) out[t] = (series.values[t] - mean) * scale;
  }
  return out;
}

// Consecutive rows as [first, last] runs.
std::vector<std::pair<std::size_t, std::size_t>> Runs(std::span<const std::size_t> rows) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (const std::size_t t : rows) {
    if (!runs.empty() && runs.back().second + 1 == t) {
      runs.back().second = t;
    } else {
      runs.emplace_back(t, t);
    }
  }
  return runs;
}

// sum_{t = first..last} product(t - i) for i = 0..count-1, each from the previous by sliding the
// window one bar back: O(last - first + count) rather than O((last - first) * count).
template <typename Product, typename Emit>
void SlidingSums(std::size_t first, std::size_t last, std::size_t count, Product&& product,
                 Emit&& emit) {
  double sum = 0.0;
  for (std::size_t t = first; t <= last; ++t) sum += product(t);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) sum += product(first - i) - product(last + 1 - i);
    emit(i, sum);
  }
}

// The cross-products [X Y]'[X Y] of the VAR(max_order) regression on `rows`: regressors the
// constant, then a_{t-1}, b_{t-1}, ..., a_{t-P}, b_{t-P}, responses a_t, b_t, all from the
// standardised series. Each entry is a sum over t of one lagged series times another; along a
// run of consecutive rows, the entries that differ only by a common shift of both lags come
// from one sliding sum, so the matrix costs O(rows * P) instead of O(rows * P^2).
std::optional<SquareMatrix> LaggedCrossProducts(const DenseSeries& a, const DenseSeries& b,
                                                std::size_t max_order,
                                                std::span<const std::size_t> rows) {
  const std::optional<std::vector<double>> za = Standardized(a);
  const std::optional<std::vector<double>> zb = Standardized(b);
  if (!za || !zb) return std::nullopt;
  const std::vector<double>* series[] = {&*za, &*zb};
  const std::size_t size = 2 * max_order + 3;
  // Lag 0 (the responses) goes last, lag j >= 1 after the constant.
  const auto position = [max_order](std::size_t which, std::size_t lag) {
    return lag == 0 ? 2 * max_order + 1 + which : 1 + 2 * (lag - 1) + which;
  };
  SquareMatrix gram;
  gram.size = size;
  gram.values.assign(size * size, 0.0);
  const auto add = [&gram](std::size_t row, std::size_t column, double value) {
    gram.values[row * gram.size + column] += value;
    if (row != column) gram.values[column * gram.size + row] += value;
  };
  add(0, 0, static_cast<double>(rows.size()));
  for (const auto& [first, last] : Runs(rows)) {
    for (std::size_t s = 0; s < 2; ++s) {
      const std::vector<double>& values = *series[s];
      SlidingSums(
          first, last, max_order + 1, [&values](std::size_t t) { return values[t]; },
          [&](std::size_t i, double sum) { add(0, position(s, i), sum); });
      for (std::size_t u = 0; u < 2; ++u) {
        const std::vector<double>& other = *series[u];
        for (std::size_t d = 0; d <= max_order; ++d) {
          if (d == 0 && u < s) continue;  // (s, u) at the same lag is (u, s)
          SlidingSums(
              first, last, max_order + 1 - d,
              [&values, &other, d](std::size_t t) { return values[t] * other[t - d]; },
              [&](std::size_t i, double sum) { add(position(s, i), position(u, i + d), sum); });
        }
      }
    }
  }
  return gram;
}

// ln det of the 2x2 residual covariance products / rows, as a Cholesky factor gives it;
// nullopt when it is not positive definite.
std::optional<double> LogDeterminant(const SquareMatrix& products, double rows) {
  const double a = products.at(0, 0) / rows;
  const double b = products.at(0, 1) / rows;
  const double d = products.at(1, 1) / rows;
  if (!(a > 0.0)) return std::nullopt;
  const double schur = d - b * b / a;
  if (!(schur > 0.0)) return std::nullopt;
  return std::log(a) + std::log(schur);
}

}  // namespace

GrangerResult GrangerTest(GappedSeries cause, GappedSeries effect, std::size_t lags) {
  GrangerResult result;
  result.lags = lags;
  result.df_num = lags;
  if (lags == 0) return result;
  const std::size_t length = std::min(cause.size(), effect.size());
  const DenseSeries x = Densify(cause, length);
  const DenseSeries y = Densify(effect, length);
  const std::vector<std::size_t> rows = GrangerRows(x, y, lags);
  result.n = rows.size();
  if (result.n <= 2 * lags + 1) return result;
  result.df_den = result.n - 2 * lags - 1;

  const std::vector<double> response = Gather(y, rows);
  const DesignMatrix unrestricted = BuildDesign(rows, GrangerColumns(x, y, lags));
  const Result<LeastSquaresFit> full = FitLeastSquares(unrestricted, response);
  if (!full.ok()) return result;
  const double total = CenteredSumOfSquares(response);
  const double ssr = full->residual_sum_of_squares;
  if (!(total > 0.0) || ssr < std::numeric_limits<double>::epsilon() * total) return result;

  const auto p = static_cast<double>(lags);
  const auto df_den = static_cast<double>(result.df_den);
  // The restricted model is the first 1 + p columns of the unrestricted one.
  const double reduction = ResidualReduction(*full, 1 + lags, 1 + 2 * lags);
  result.f = (reduction / p) / (ssr / df_den);
  result.p_value = FisherFUpperTail(*result.f, p, df_den);

  std::vector<std::size_t> tested(lags);
  for (std::size_t j = 0; j < lags; ++j) tested[j] = 1 + lags + j;
  const Result<double> wald = WaldF(*full, Hc1Covariance(unrestricted, *full), tested);
  if (wald.ok()) result.p_value_hc1 = FisherFUpperTail(*wald, p, df_den);
  return result;
}

std::size_t MaxVarLagOrder(GappedSeries first, GappedSeries second) {
  const std::size_t length = std::min(first.size(), second.size());
  return MaxVarLagOrder(Densify(first, length), Densify(second, length));
}

std::optional<std::size_t> SelectVarLagOrder(GappedSeries first, GappedSeries second) {
  const std::size_t length = std::min(first.size(), second.size());
  const DenseSeries a = Densify(first, length);
  const DenseSeries b = Densify(second, length);
  const std::size_t max_order = MaxVarLagOrder(a, b);
  if (max_order == 0) return std::nullopt;
  const std::vector<std::size_t> rows = CommonRows(a, b, max_order);
  const std::optional<SquareMatrix> gram = LaggedCrossProducts(a, b, max_order, rows);
  if (!gram) return std::nullopt;
  const Result<std::vector<SquareMatrix>> products =
      NestedResidualProductsFromGram(*gram, 2 * max_order + 1);
  if (!products.ok()) return std::nullopt;

  const auto sample = static_cast<double>(rows.size());
  std::optional<std::size_t> best;
  double best_aic = 0.0;
  for (std::size_t order = 0; order <= max_order; ++order) {
    const std::optional<double> log_det = LogDeterminant((*products)[2 * order], sample);
    if (!log_det) return std::nullopt;
    const double free_parameters = 4.0 * static_cast<double>(order) + 2.0;
    const double aic = *log_det + 2.0 * free_parameters / sample;
    if (!best || aic < best_aic) {
      best = order;
      best_aic = aic;
    }
  }
  return best;
}

std::size_t AutoGrangerLags(GappedSeries first, GappedSeries second) {
  return std::max<std::size_t>(SelectVarLagOrder(first, second).value_or(1), 1);
}

}  // namespace cryptomood
