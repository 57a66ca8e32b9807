// Least squares: ordinary least squares fits by Householder QR (Eigen), for the regression
// tests (Granger causality, the Dickey-Fuller regressions) that need coefficients, residual sums
// and covariance estimates. QR works on the design itself, so a column of log prices next to a
// constant loses no digits the way normal equations (X'X) would.
//
// A DesignMatrix is column-major: column j holds rows [j * rows, (j + 1) * rows).
// NestedResidualProducts answers "what is the residual sum of squares of y on the first k
// columns" for every k at once from one QR, which is how lag orders are chosen on a common
// sample without refitting each order.
// Invariant: a fit is returned only for rows > columns and a design of full column rank
// (numerically: no |R_jj| below 1e-12 times the largest); otherwise an error.
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"

namespace cryptomood {

class DesignMatrix {
 public:
  DesignMatrix(std::size_t rows, std::size_t columns)
      : rows_(rows), columns_(columns), values_(rows * columns, 0.0) {}

  std::size_t rows() const { return rows_; }
  std::size_t columns() const { return columns_; }
  double& at(std::size_t row, std::size_t column) { return values_[column * rows_ + row]; }
  double at(std::size_t row, std::size_t column) const { return values_[column * rows_ + row]; }
  std::span<double> column(std::size_t j) { return {values_.data() + j * rows_, rows_}; }
  std::span<const double> column(std::size_t j) const {
    return {values_.data() + j * rows_, rows_};
  }
  const double* data() const { return values_.data(); }

 private:
  std::size_t rows_;
  std::size_t columns_;
  std::vector<double> values_;
};

// A square matrix, row-major, for covariance estimates.
struct SquareMatrix {
  std::size_t size = 0;
  std::vector<double> values;
  double at(std::size_t row, std::size_t column) const { return values[row * size + column]; }
};

struct LeastSquaresFit {
  std::vector<double> coefficients;  // one per column
  std::vector<double> residuals;     // one per row
  double residual_sum_of_squares = 0.0;
  std::size_t rows = 0;
  std::size_t columns = 0;
  // (X'X)^-1 = R^-1 R^-T, from the QR's R.
  SquareMatrix inverse_gram;
  // R itself (upper triangular, X = QR).
  SquareMatrix r_factor;
  // The first `columns` entries of Q'y: the square of entry j is how much column j lowers the
  // residual sum of squares once columns 0..j-1 are in (see ResidualReduction).
  std::vector<double> rotated_response;
};

// y on the columns of x. Fails when rows <= columns, y's length differs from rows, or the
// design is rank deficient.
Result<LeastSquaresFit> FitLeastSquares(const DesignMatrix& x, std::span<const double> y);

// The classical covariance of the coefficients: SSR / (rows - columns) * (X'X)^-1.
SquareMatrix ClassicalCovariance(const LeastSquaresFit& fit);

// White's heteroskedasticity-consistent covariance with the HC1 small-sample factor
// rows / (rows - columns): (X'X)^-1 X' diag(e^2) X (X'X)^-1 * rows / (rows - columns).
SquareMatrix Hc1Covariance(const DesignMatrix& x, const LeastSquaresFit& fit);

// SSR(y on columns 0..from-1) - SSR(y on columns 0..to-1), for from <= to <= columns: the
// sum of squared rotated components from..to-1, exact where subtracting the two residual
// sums of squares would cancel (a column that adds little).
double ResidualReduction(const LeastSquaresFit& fit, std::size_t from, std::size_t to);

// The Wald F statistic of the hypothesis that the coefficients at `tested` are all 0, with the
// given covariance: (b' V^-1 b) / q over the q tested coefficients. Fails when the tested block
// of the covariance is singular.
Result<double> WaldF(const LeastSquaresFit& fit, const SquareMatrix& covariance,
                     std::span<const std::size_t> tested);

// The upper tail P(F > f) of Fisher's F distribution with (df_num, df_den) degrees of freedom;
// nullopt for a NaN or negative f, or degrees of freedom that are not positive.
std::optional<double> FisherFUpperTail(double f, double df_num, double df_den);

// For every k in 1..columns, the residual cross-products of the responses ys (each of length
// rows) regressed on the first k columns of x: result[k - 1] is a ys.size() x ys.size()
// matrix with entry (a, b) = e_a' e_b. One QR of x serves every k. Fails as FitLeastSquares.
Result<std::vector<SquareMatrix>> NestedResidualProducts(
    const DesignMatrix& x, std::span<const std::span<const double>> ys);

// NestedResidualProducts from cross-products rather than rows: `gram` is the symmetric matrix
// [X Y]'[X Y] of `columns` regressors followed by the responses, and the answer is read off a
// Cholesky factor of X'X. It never touches the rows (callers that can form the cross-products
// cheaply, e.g. from lagged copies of a few series, save the O(rows * columns^2) of a QR), but
// it squares the design's condition number: callers center and scale the columns first, and
// use it where comparisons between the k (an order search) are what matter. Fails when
// columns >= gram.size or X'X is not numerically positive definite (a Cholesky diagonal entry
// at most 1e-6 times the largest).
Result<std::vector<SquareMatrix>> NestedResidualProductsFromGram(const SquareMatrix& gram,
                                                                 std::size_t columns);

}  // namespace cryptomood
