#include "core/least_squares.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "core/random.h"

namespace cryptomood {
namespace {

// A constant column and x, for y = a + b x.
DesignMatrix LineDesign(const std::vector<double>& x) {
  DesignMatrix design(x.size(), 2);
  for (std::size_t i = 0; i < x.size(); ++i) {
    design.at(i, 0) = 1.0;
    design.at(i, 1) = x[i];
  }
  return design;
}

// Columns 1, u, v, w of seeded noise, and y = 1 + 2u + noise.
struct RandomProblem {
  DesignMatrix design{200, 4};
  std::vector<double> y = std::vector<double>(200);
};

RandomProblem MakeRandomProblem() {
  RandomProblem problem;
  RandomGenerator random(11);
  for (std::size_t i = 0; i < problem.y.size(); ++i) {
    problem.design.at(i, 0) = 1.0;
    for (std::size_t j = 1; j < 4; ++j) problem.design.at(i, j) = random.Normal();
    problem.y[i] = 1.0 + 2.0 * problem.design.at(i, 1) + random.Normal();
  }
  return problem;
}

// The first `columns` columns of a design.
DesignMatrix Leading(const DesignMatrix& design, std::size_t columns) {
  DesignMatrix out(design.rows(), columns);
  for (std::size_t j = 0; j < columns; ++j) {
    for (std::size_t i = 0; i < design.rows(); ++i) out.at(i, j) = design.at(i, j);
  }
  return out;
}

TEST(LeastSquaresTest, HandWorkedLine) {
  // x = 1..4, y = (1, 2, 2, 4): slope = Sxy / Sxx = 4.5 / 5 = 0.9, intercept 2.25 - 0.9 * 2.5 = 0;
  // residuals (0.1, 0.2, -0.7, 0.4), SSR 0.7.
  const std::vector<double> y = {1, 2, 2, 4};
  const Result<LeastSquaresFit> fit = FitLeastSquares(LineDesign({1, 2, 3, 4}), y);
  ASSERT_TRUE(fit.ok()) << fit.error().message;
  EXPECT_NEAR(fit->coefficients[0], 0.0, 1e-14);
  EXPECT_NEAR(fit->coefficients[1], 0.9, 1e-14);
  EXPECT_NEAR(fit->residuals[2], -0.7, 1e-14);
  EXPECT_NEAR(fit->residual_sum_of_squares, 0.7, 1e-14);
  // Classical variance of the slope: SSR / (n - 2) / Sxx = 0.35 / 5.
  EXPECT_NEAR(ClassicalCovariance(*fit).at(1, 1), 0.07, 1e-14);
}

TEST(LeastSquaresTest, Hc1OfAMeanIsTheSampleVarianceOverN) {
  // y on a constant: b = mean, HC1 variance = n / (n - 1) * sum e^2 / n^2 = sum e^2 / (n (n - 1)).
  // y = (1, 2, 2, 4): e = (-1.25, -0.25, -0.25, 1.75), sum e^2 = 4.75, variance 4.75 / 12.
  DesignMatrix design(4, 1);
  for (std::size_t i = 0; i < 4; ++i) design.at(i, 0) = 1.0;
  const std::vector<double> y = {1, 2, 2, 4};
  const Result<LeastSquaresFit> fit = FitLeastSquares(design, y);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(Hc1Covariance(design, *fit).at(0, 0), 4.75 / 12.0, 1e-15);
}

TEST(LeastSquaresTest, Hc1MatchesTheSandwichOfASimpleRegression) {
  // Slope of y on (1, x): HC1 variance = n / (n - 2) * sum (x - mean)^2 e^2 / Sxx^2.
  // x = 1..4, e = (0.1, 0.2, -0.7, 0.4): sum = 2.25 * 0.01 + 0.25 * 0.04 + 0.25 * 0.49 + 2.25 *
  // 0.16 = 0.515, Sxx = 5: 2 * 0.515 / 25.
  const DesignMatrix design = LineDesign({1, 2, 3, 4});
  const std::vector<double> y = {1, 2, 2, 4};
  const Result<LeastSquaresFit> fit = FitLeastSquares(design, y);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(Hc1Covariance(design, *fit).at(1, 1), 2.0 * 0.515 / 25.0, 1e-15);
}

TEST(LeastSquaresTest, RefusesTooFewRowsAndRankDeficientDesigns) {
  EXPECT_FALSE(FitLeastSquares(LineDesign({1, 2}), std::vector<double>{1, 2}).ok());
  EXPECT_FALSE(FitLeastSquares(LineDesign({3, 3, 3, 3}), std::vector<double>{1, 2, 3, 4}).ok());
  EXPECT_FALSE(FitLeastSquares(LineDesign({1, 2, 3}), std::vector<double>{1, 2}).ok());
}

TEST(LeastSquaresTest, NestedQuantitiesEqualSeparateFits) {
  const RandomProblem problem = MakeRandomProblem();
  const Result<LeastSquaresFit> full = FitLeastSquares(problem.design, problem.y);
  ASSERT_TRUE(full.ok());
  const std::span<const double> responses[] = {problem.y};
  const Result<std::vector<SquareMatrix>> nested =
      NestedResidualProducts(problem.design, responses);
  ASSERT_TRUE(nested.ok());
  ASSERT_EQ(nested->size(), 4u);
  std::vector<double> ssr(5, 0.0);
  for (std::size_t k = 1; k <= 4; ++k) {
    const Result<LeastSquaresFit> fit = FitLeastSquares(Leading(problem.design, k), problem.y);
    ASSERT_TRUE(fit.ok());
    ssr[k] = fit->residual_sum_of_squares;
    EXPECT_NEAR((*nested)[k - 1].at(0, 0), ssr[k], 1e-10 * ssr[k]) << k;
  }
  EXPECT_NEAR(ResidualReduction(*full, 1, 4), ssr[1] - ssr[4], 1e-10 * ssr[1]);
  EXPECT_NEAR(ResidualReduction(*full, 2, 3), ssr[2] - ssr[3], 1e-10 * ssr[1]);
}

TEST(LeastSquaresTest, NestedProductsFromCrossProductsEqualTheQrOnes) {
  // Two responses: y and the design's last column (its residual vanishes once that column is in,
  // which the Cholesky path must reproduce, not blur).
  const RandomProblem problem = MakeRandomProblem();
  std::vector<double> second(problem.y.size());
  for (std::size_t i = 0; i < second.size(); ++i) second[i] = problem.design.at(i, 3);
  const std::span<const double> responses[] = {problem.y, second};
  const Result<std::vector<SquareMatrix>> by_qr = NestedResidualProducts(problem.design, responses);
  ASSERT_TRUE(by_qr.ok());
  SquareMatrix gram;
  gram.size = 6;
  gram.values.assign(36, 0.0);
  const auto column = [&](std::size_t j, std::size_t i) {
    return j < 4 ? problem.design.at(i, j) : (j == 4 ? problem.y[i] : second[i]);
  };
  for (std::size_t a = 0; a < 6; ++a) {
    for (std::size_t b = 0; b < 6; ++b) {
      for (std::size_t i = 0; i < problem.y.size(); ++i) {
        gram.values[a * 6 + b] += column(a, i) * column(b, i);
      }
    }
  }
  const Result<std::vector<SquareMatrix>> by_gram = NestedResidualProductsFromGram(gram, 4);
  ASSERT_TRUE(by_gram.ok()) << by_gram.error().message;
  ASSERT_EQ(by_gram->size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t a = 0; a < 2; ++a) {
      for (std::size_t b = 0; b < 2; ++b) {
        EXPECT_NEAR((*by_gram)[k].at(a, b), (*by_qr)[k].at(a, b), 1e-9 * (*by_qr)[0].at(a, a))
            << k << " " << a << " " << b;
      }
    }
  }
  EXPECT_NEAR((*by_gram)[3].at(1, 1), 0.0, 1e-9 * (*by_qr)[0].at(1, 1));
  // A repeated regressor is rank deficient.
  SquareMatrix repeated = gram;
  const auto entry = [](SquareMatrix& matrix, std::size_t a, std::size_t b) -> double& {
    return matrix.values[a * matrix.size + b];
  };
  for (std::size_t b = 0; b < 6; ++b) {
    entry(repeated, 3, b) = gram.at(2, b);
    entry(repeated, b, 3) = gram.at(b, 2);
  }
  entry(repeated, 3, 3) = gram.at(2, 2);
  EXPECT_FALSE(NestedResidualProductsFromGram(repeated, 4).ok());
  EXPECT_FALSE(NestedResidualProductsFromGram(gram, 6).ok());
}

TEST(LeastSquaresTest, ClassicalWaldFEqualsTheResidualSumF) {
  // Testing columns 2 and 3: F = ((SSR_r - SSR_u) / 2) / (SSR_u / (n - 4)).
  const RandomProblem problem = MakeRandomProblem();
  const Result<LeastSquaresFit> full = FitLeastSquares(problem.design, problem.y);
  const Result<LeastSquaresFit> restricted = FitLeastSquares(Leading(problem.design, 2), problem.y);
  ASSERT_TRUE(full.ok() && restricted.ok());
  const double expected =
      ((restricted->residual_sum_of_squares - full->residual_sum_of_squares) / 2.0) /
      (full->residual_sum_of_squares / 196.0);
  const std::size_t tested[] = {2, 3};
  const Result<double> wald = WaldF(*full, ClassicalCovariance(*full), tested);
  ASSERT_TRUE(wald.ok());
  EXPECT_NEAR(*wald, expected, 1e-10 * expected);
  EXPECT_FALSE(WaldF(*full, ClassicalCovariance(*full), {}).ok());
}

TEST(LeastSquaresTest, FisherFUpperTailHasTheClosedFormOfTwoNumeratorDegrees) {
  // F(2, d) survival: (1 + 2 f / d)^(-d / 2); d = 10, f = 3: 1.6^-5.
  const std::optional<double> tail = FisherFUpperTail(3.0, 2.0, 10.0);
  ASSERT_TRUE(tail.has_value());
  EXPECT_NEAR(*tail, std::pow(1.6, -5.0), 1e-15);
  EXPECT_EQ(FisherFUpperTail(0.0, 2.0, 10.0), 1.0);
  EXPECT_FALSE(FisherFUpperTail(-1.0, 2.0, 10.0).has_value());
  EXPECT_FALSE(FisherFUpperTail(std::nan(""), 2.0, 10.0).has_value());
  EXPECT_FALSE(FisherFUpperTail(1.0, 2.0, 0.0).has_value());
}

}  // namespace
}  // namespace cryptomood
