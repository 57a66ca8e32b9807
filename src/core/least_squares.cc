#include "core/least_squares.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <cerrno>
#include <cmath>
#include <string>

#include "core/quiet_math_policy.h"
#include "core/status_macros.h"

namespace cryptomood {
namespace {

// Errors become quiet return values (NaN, infinity), which FisherFUpperTail turns into nullopt.
using FisherF = boost::math::fisher_f_distribution<double, QuietMathPolicy>;

using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXd>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXd>;

SquareMatrix ToSquare(const Eigen::MatrixXd& matrix) {
  SquareMatrix out;
  out.size = static_cast<std::size_t>(matrix.rows());
  out.values.resize(out.size * out.size);
  for (std::size_t row = 0; row < out.size; ++row) {
    for (std::size_t column = 0; column < out.size; ++column) {
      out.values[row * out.size + column] =
          matrix(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column));
    }
  }
  return out;
}

Status CheckShape(const DesignMatrix& x, std::size_t responses_rows) {
  if (x.columns() == 0 || x.rows() <= x.columns()) {
    return Error{"least squares needs more rows (" + std::to_string(x.rows()) + ") than columns (" +
                 std::to_string(x.columns()) + ")"};
  }
  if (responses_rows != x.rows()) return Error{"least squares: response and design differ in rows"};
  return Status::Ok();
}

// The factorisation, with the rank check every fit needs.
Result<Eigen::HouseholderQR<Eigen::MatrixXd>> Factorize(const DesignMatrix& x) {
  const ConstMatrixMap design(x.data(), static_cast<Eigen::Index>(x.rows()),
                              static_cast<Eigen::Index>(x.columns()));
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(design);
  const auto k = static_cast<Eigen::Index>(x.columns());
  const Eigen::VectorXd diagonal = qr.matrixQR().diagonal().head(k).cwiseAbs();
  const double largest = diagonal.maxCoeff();
  if (!(largest > 0.0) || diagonal.minCoeff() <= 1e-12 * largest) {
    return Error{
        "least squares: the design is rank deficient (a regressor is constant or repeats another)"};
  }
  return qr;
}

}  // namespace

Result<LeastSquaresFit> FitLeastSquares(const DesignMatrix& x, std::span<const double> y) {
  CRYPTOMOOD_RETURN_IF_ERROR(CheckShape(x, y.size()));
  CRYPTOMOOD_ASSIGN_OR_RETURN(const Eigen::HouseholderQR<Eigen::MatrixXd> qr, Factorize(x));
  const auto n = static_cast<Eigen::Index>(x.rows());
  const auto k = static_cast<Eigen::Index>(x.columns());
  const ConstMatrixMap design(x.data(), n, k);
  const ConstVectorMap response(y.data(), n);

  Eigen::VectorXd rotated = response;
  rotated.applyOnTheLeft(qr.householderQ().adjoint());
  const auto upper = qr.matrixQR().topLeftCorner(k, k).triangularView<Eigen::Upper>();
  const Eigen::VectorXd coefficients = upper.solve(rotated.head(k));
  const Eigen::VectorXd residuals = response - design * coefficients;
  const Eigen::MatrixXd r_inverse = upper.solve(Eigen::MatrixXd::Identity(k, k));

  LeastSquaresFit fit;
  fit.rows = x.rows();
  fit.columns = x.columns();
  fit.coefficients.assign(coefficients.data(), coefficients.data() + k);
  fit.residuals.assign(residuals.data(), residuals.data() + n);
  fit.residual_sum_of_squares = residuals.squaredNorm();
  fit.rotated_response.assign(rotated.data(), rotated.data() + k);
  fit.inverse_gram = ToSquare(r_inverse * r_inverse.transpose());
  fit.r_factor = ToSquare(Eigen::MatrixXd(upper));
  return fit;
}

SquareMatrix ClassicalCovariance(const LeastSquaresFit& fit) {
  SquareMatrix covariance = fit.inverse_gram;
  const double scale = fit.residual_sum_of_squares / static_cast<double>(fit.rows - fit.columns);
  for (double& value : covariance.values) value *= scale;
  return covariance;
}

SquareMatrix Hc1Covariance(const DesignMatrix& x, const LeastSquaresFit& fit) {
  // With X = QR, (X'X)^-1 X' diag(e^2) X (X'X)^-1 = R^-1 (sum_t e_t^2 q_t q_t') R^-T where q_t =
  // R^-T x_t is row t of Q: the middle factor comes from Q's rows (one triangular solve each,
  // error of order cond(R) eps) rather than from X and (X'X)^-1 (cond(R)^2 eps), so a badly
  // conditioned design (a level next to a constant) loses no more digits here than in the fit.
  const auto n = static_cast<Eigen::Index>(fit.rows);
  const auto k = static_cast<Eigen::Index>(fit.columns);
  const ConstMatrixMap design(x.data(), n, k);
  Eigen::MatrixXd upper(k, k);
  for (Eigen::Index row = 0; row < k; ++row) {
    for (Eigen::Index column = 0; column < k; ++column) {
      upper(row, column) =
          fit.r_factor.at(static_cast<std::size_t>(row), static_cast<std::size_t>(column));
    }
  }
  const auto r = upper.triangularView<Eigen::Upper>();
  const Eigen::MatrixXd lower = upper.transpose();
  Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(k, k);
  Eigen::VectorXd q_row(k);
  for (Eigen::Index t = 0; t < n; ++t) {
    q_row = design.row(t).transpose();
    lower.triangularView<Eigen::Lower>().solveInPlace(q_row);
    const double e = fit.residuals[static_cast<std::size_t>(t)];
    meat.selfadjointView<Eigen::Lower>().rankUpdate(q_row, e * e);
  }
  meat = meat.selfadjointView<Eigen::Lower>();
  const Eigen::MatrixXd r_inverse = r.solve(Eigen::MatrixXd::Identity(k, k));
  const double factor = static_cast<double>(fit.rows) / static_cast<double>(fit.rows - fit.columns);
  return ToSquare(factor * r_inverse * meat * r_inverse.transpose());
}

double ResidualReduction(const LeastSquaresFit& fit, std::size_t from, std::size_t to) {
  double sum = 0.0;
  for (std::size_t i = from; i < to && i < fit.rotated_response.size(); ++i) {
    sum += fit.rotated_response[i] * fit.rotated_response[i];
  }
  return sum;
}

Result<double> WaldF(const LeastSquaresFit& fit, const SquareMatrix& covariance,
                     std::span<const std::size_t> tested) {
  const auto q = static_cast<Eigen::Index>(tested.size());
  if (q == 0) return Error{"Wald test of no coefficients"};
  Eigen::VectorXd coefficients(q);
  Eigen::MatrixXd block(q, q);
  for (Eigen::Index a = 0; a < q; ++a) {
    coefficients(a) = fit.coefficients[tested[static_cast<std::size_t>(a)]];
    for (Eigen::Index b = 0; b < q; ++b) {
      block(a, b) =
          covariance.at(tested[static_cast<std::size_t>(a)], tested[static_cast<std::size_t>(b)]);
    }
  }
  const Eigen::LDLT<Eigen::MatrixXd> factorized(block);
  if (factorized.info() != Eigen::Success || !factorized.isPositive()) {
    return Error{"Wald test: the covariance of the tested coefficients is singular"};
  }
  const double quadratic = coefficients.dot(factorized.solve(coefficients));
  return quadratic / static_cast<double>(q);
}

std::optional<double> FisherFUpperTail(double f, double df_num, double df_den) {
  if (!(f >= 0.0) || !(df_num > 0.0) || !(df_den > 0.0)) return std::nullopt;
  // The policy keeps Boost quiet, but libm calls inside it still set ERANGE when a tiny tail
  // underflows; callers must not see that.
  const int saved_errno = errno;
  std::optional<double> tail;
  try {
    // The complement keeps full relative accuracy for tiny upper-tail probabilities.
    const double value = boost::math::cdf(boost::math::complement(FisherF(df_num, df_den), f));
    if (std::isfinite(value)) tail = std::clamp(value, 0.0, 1.0);
  } catch (...) {
    // Unreachable under QuietMathPolicy; kept so that a Boost change cannot leak an exception.
  }
  errno = saved_errno;
  return tail;
}

Result<std::vector<SquareMatrix>> NestedResidualProducts(
    const DesignMatrix& x, std::span<const std::span<const double>> ys) {
  for (const std::span<const double> y : ys) {
    CRYPTOMOOD_RETURN_IF_ERROR(CheckShape(x, y.size()));
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto factorized, Factorize(x));
  const auto n = static_cast<Eigen::Index>(x.rows());
  const auto k = static_cast<Eigen::Index>(x.columns());
  const auto m = static_cast<Eigen::Index>(ys.size());
  Eigen::MatrixXd rotated(n, m);
  for (Eigen::Index a = 0; a < m; ++a) {
    rotated.col(a) = ConstVectorMap(ys[static_cast<std::size_t>(a)].data(), n);
  }
  rotated.applyOnTheLeft(factorized.householderQ().adjoint());
  // Residuals on the first j columns are Q[:, j:] (Q'y)[j:], so their cross-products are the
  // cross-products of the rotated rows from j on: a running sum from the bottom.
  std::vector<SquareMatrix> out(static_cast<std::size_t>(k));
  Eigen::MatrixXd tail = rotated.bottomRows(n - k).transpose() * rotated.bottomRows(n - k);
  for (Eigen::Index j = k; j >= 1; --j) {
    out[static_cast<std::size_t>(j - 1)] = ToSquare(tail);
    tail += rotated.row(j - 1).transpose() * rotated.row(j - 1);
  }
  return out;
}

Result<std::vector<SquareMatrix>> NestedResidualProductsFromGram(const SquareMatrix& gram,
                                                                 std::size_t columns) {
  if (columns == 0 || columns >= gram.size) {
    return Error{"least squares from cross-products needs regressors and responses"};
  }
  const auto size = static_cast<Eigen::Index>(gram.size);
  const auto k = static_cast<Eigen::Index>(columns);
  const auto m = size - k;
  // Row-major and symmetric: the map reads it transposed, which is the same matrix.
  const ConstMatrixMap full(gram.values.data(), size, size);
  const Eigen::LLT<Eigen::MatrixXd> factor(full.topLeftCorner(k, k));
  if (factor.info() != Eigen::Success) {
    return Error{"least squares: the cross-products are not positive definite"};
  }
  const Eigen::MatrixXd lower = factor.matrixL();
  const Eigen::VectorXd diagonal = lower.diagonal().cwiseAbs();
  if (!(diagonal.maxCoeff() > 0.0) || diagonal.minCoeff() <= 1e-6 * diagonal.maxCoeff()) {
    return Error{"least squares: the design is rank deficient"};
  }
  // Rows of L^-1 X'Y are the rotated responses Q'Y of a QR with R = L'.
  const Eigen::MatrixXd rotated =
      lower.triangularView<Eigen::Lower>().solve(full.topRightCorner(k, m));
  std::vector<SquareMatrix> out(columns);
  Eigen::MatrixXd remaining = full.bottomRightCorner(m, m);
  for (Eigen::Index j = 0; j < k; ++j) {
    remaining -= rotated.row(j).transpose() * rotated.row(j);
    out[static_cast<std::size_t>(j)] = ToSquare(remaining);
  }
  return out;
}

}  // namespace cryptomood
