#include "core/rank_correlation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "core/ranking_helpers.h"

namespace cryptomood {
namespace {

// Independent reference, quadratic on purpose: the average rank of v[i] is 1 + (number of
// values below it) + (number of other values equal to it) / 2.
std::vector<double> AverageRanksByCounting(const std::vector<double>& values) {
  std::vector<double> ranks;
  for (const double value : values) {
    double below = 0;
    double equal = 0;
    for (const double other : values) {
      below += other < value ? 1 : 0;
      equal += other == value ? 1 : 0;
    }
    ranks.push_back(1.0 + below + (equal - 1.0) / 2.0);
  }
  return ranks;
}

double TwoPassPearson(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  double mean_x = 0, mean_y = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean_x += x[i] / n;
    mean_y += y[i] / n;
  }
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    syy += (y[i] - mean_y) * (y[i] - mean_y);
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> RandomIntegers(std::size_t n, int largest, std::mt19937_64& engine) {
  std::uniform_int_distribution<int> draw(0, largest);
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) values.push_back(draw(engine));
  return values;
}

TEST(SpearmanRhoTest, HandWorkedWithTiesOnBothSides) {
  // x = (1, 2, 2, 3, 4)  -> ranks (1, 2.5, 2.5, 4, 5)   (the two 2s share ranks 2 and 3)
  // y = (3, 1, 4, 1, 5)  -> ranks (3, 1.5, 4, 1.5, 5)   (the two 1s share ranks 1 and 2)
  // Mean rank 3. Deviations: dx = (-2, -0.5, -0.5, 1, 2), dy = (0, -1.5, 1, -1.5, 2).
  // sum dx^2 = 4 + 0.25 + 0.25 + 1 + 4 = 9.5; sum dy^2 = 0 + 2.25 + 1 + 2.25 + 4 = 9.5;
  // sum dx*dy = 0 + 0.75 - 0.5 - 1.5 + 4 = 2.75.  rho = 2.75 / 9.5 = 11 / 38.
  const std::vector<double> x = {1, 2, 2, 3, 4};
  const std::vector<double> y = {3, 1, 4, 1, 5};
  const auto rho = SpearmanRho(x, y);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, 11.0 / 38.0, 1e-15);
}

TEST(SpearmanRhoTest, HandWorkedWithTiesOnOneSide) {
  // x = 1..5 -> ranks 1..5, deviations (-2, -1, 0, 1, 2), sum of squares 10.
  // y = (2, 4, 5, 4, 5) -> ranks (1, 2.5, 4.5, 2.5, 4.5), deviations (-2, -0.5, 1.5, -0.5, 1.5),
  // sum of squares 4 + 0.25 + 2.25 + 0.25 + 2.25 = 9; products 4 + 0.5 + 0 - 0.5 + 3 = 7.
  // rho = 7 / sqrt(90).
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {2, 4, 5, 4, 5};
  const auto rho = SpearmanRho(x, y);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, 7.0 / std::sqrt(90.0), 1e-15);
}

TEST(SpearmanRhoTest, HandWorkedWithoutTiesMatchesClassicFormula) {
  // y ranks (2, 1, 4, 3, 5) against x ranks 1..5: d = (-1, 1, -1, 1, 0), sum d^2 = 4.
  // rho = 1 - 6 * 4 / (5 * (25 - 1)) = 1 - 24 / 120 = 0.8.
  const std::vector<double> x = {10, 20, 30, 40, 50};
  const std::vector<double> y = {0.2, 0.1, 0.4, 0.3, 0.5};
  const auto rho = SpearmanRho(x, y);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, 0.8, 1e-15);
}

TEST(SpearmanRhoTest, MonotoneTransformsGiveExactlyPlusOrMinusOne) {
  std::mt19937_64 engine(11);
  std::normal_distribution<double> normal;
  std::vector<double> x, increasing, decreasing;
  for (int i = 0; i < 500; ++i) {
    x.push_back(normal(engine));
    increasing.push_back(std::exp(3.0 * x.back()));  // nonlinear, so Pearson would be < 1
    decreasing.push_back(-std::pow(x.back(), 3));
  }
  EXPECT_NEAR(SpearmanRho(x, increasing).value_or(99), 1.0, 1e-15);
  EXPECT_NEAR(SpearmanRho(x, decreasing).value_or(99), -1.0, 1e-15);
}

TEST(SpearmanRhoTest, NullWhenUndefined) {
  const std::vector<double> two = {1, 2};
  EXPECT_FALSE(SpearmanRho(two, two).has_value());
  const std::vector<double> empty;
  EXPECT_FALSE(SpearmanRho(empty, empty).has_value());

  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> constant = {7, 7, 7, 7};
  EXPECT_FALSE(SpearmanRho(x, constant).has_value());
  EXPECT_FALSE(SpearmanRho(constant, x).has_value());

  const std::vector<double> shorter = {1, 2, 3};
  EXPECT_FALSE(SpearmanRho(x, shorter).has_value());

  const std::vector<double> with_nan = {1, std::numeric_limits<double>::quiet_NaN(), 3, 4};
  EXPECT_FALSE(SpearmanRho(x, with_nan).has_value());
  EXPECT_FALSE(SpearmanRho(with_nan, x).has_value());
}

TEST(SpearmanRhoTest, ThreeDistinctPairsAreEnough) {
  // Ranks (1, 2, 3) against (1, 3, 2): deviations (-1, 0, 1), (-1, 1, 0); rho = 1 / 2.
  const std::vector<double> x = {5, 6, 7};
  const std::vector<double> y = {0, 9, 1};
  EXPECT_NEAR(SpearmanRho(x, y).value_or(99), 0.5, 1e-15);
}

TEST(SpearmanRhoTest, RandomDataWithManyTiesMatchesCountingReference) {
  std::mt19937_64 engine(12);
  SpearmanScratch scratch;  // reused across sizes, largest first, to catch stale contents
  for (const std::size_t n :
       {std::size_t{2000}, std::size_t{3}, std::size_t{17}, std::size_t{300}, std::size_t{1000}}) {
    SCOPED_TRACE(n);
    const std::vector<double> x = RandomIntegers(n, 9, engine);
    std::vector<double> y = RandomIntegers(n, 4, engine);
    for (std::size_t i = 0; i < n; ++i) y[i] += x[i] / 3.0;  // some genuine association
    const auto rho = SpearmanRho(x, y, scratch);
    const std::vector<double> rank_x = AverageRanksByCounting(x);
    const std::vector<double> rank_y = AverageRanksByCounting(y);
    const double expected = TwoPassPearson(rank_x, rank_y);
    if (std::isnan(expected)) {  // a tiny sample can come out constant
      EXPECT_FALSE(rho.has_value());
      continue;
    }
    ASSERT_TRUE(rho.has_value());
    EXPECT_NEAR(*rho, expected, 1e-12);
    EXPECT_EQ(SpearmanRho(x, y), rho);  // with or without a scratch: same arithmetic
  }
}

TEST(SpearmanRhoTest, LargeInputsWithSignsZerosAndMagnitudesMatchCountingReference) {
  // Large enough for the radix-sort path; the values cross zero (with both -0.0 and +0.0,
  // which are equal and must tie), span many exponents and repeat often.
  const std::vector<double> palette = {-1e300, -2.5,  -1.0, -1e-300, -0.0, 0.0, 4.9e-324,
                                       1e-10,  0.123, 0.5,  1.0,     1e5,  3e4, 3e4 + 1e-11,
                                       1e308,  -7.0,  2.0,  -0.5,    1e-5, 42.0};
  std::mt19937_64 engine(14);
  std::uniform_int_distribution<std::size_t> pick(0, palette.size() - 1);
  std::normal_distribution<double> normal;
  const std::size_t n = 6000;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(palette[pick(engine)]);
    // y: half ties from the palette, half continuous values loosely following x's sign.
    y.push_back(i % 2 == 0 ? palette[pick(engine)] : std::copysign(1.0, x.back()) + normal(engine));
  }
  const double expected = TwoPassPearson(AverageRanksByCounting(x), AverageRanksByCounting(y));
  SpearmanScratch scratch;
  const auto rho = SpearmanRho(x, y, scratch);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, expected, 1e-12);
  EXPECT_GT(*rho, 0.1);  // the association that was built in, so the comparison is not vacuous

  // The same data ranked the compact way (a scratch that switches at 1000 pairs): the same
  // bits, as both ways keep ranks as integers.
  SpearmanScratch compact_scratch(1000);
  const auto compact_rho = SpearmanRho(x, y, compact_scratch);
  ASSERT_TRUE(compact_rho.has_value());
  EXPECT_EQ(*compact_rho, *rho);

  // Exact ties between -0.0 and +0.0: with only those two values in x, it is constant.
  std::vector<double> zeros(n);
  for (std::size_t i = 0; i < n; ++i) zeros[i] = i % 3 == 0 ? -0.0 : 0.0;
  EXPECT_FALSE(SpearmanRho(zeros, y, scratch).has_value());
}

TEST(SpearmanRhoTest, LargeMonotoneInputsGivePlusOrMinusOne) {
  std::mt19937_64 engine(15);
  std::normal_distribution<double> normal;
  std::vector<double> x, increasing, decreasing;
  for (int i = 0; i < 50000; ++i) {
    x.push_back(1e4 + normal(engine));
    increasing.push_back(std::log(x.back()));
    decreasing.push_back(-x.back() * 1e-3);
  }
  EXPECT_NEAR(SpearmanRho(x, increasing).value_or(99), 1.0, 1e-15);
  EXPECT_NEAR(SpearmanRho(x, decreasing).value_or(99), -1.0, 1e-15);
}

TEST(SpearmanRhoTest, RandomDataWithoutTiesMatchesSumOfSquaredRankDifferences) {
  // Without ties rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)), d = rank difference; a formula the
  // implementation does not use.
  std::mt19937_64 engine(13);
  std::normal_distribution<double> normal;
  const std::size_t n = 1500;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(normal(engine));
    y.push_back(0.3 * x.back() + normal(engine));
  }
  const std::vector<double> rank_x = AverageRanksByCounting(x);
  const std::vector<double> rank_y = AverageRanksByCounting(y);
  double sum_squared_differences = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum_squared_differences += (rank_x[i] - rank_y[i]) * (rank_x[i] - rank_y[i]);
  }
  const auto count = static_cast<double>(n);
  const double expected = 1.0 - 6.0 * sum_squared_differences / (count * (count * count - 1.0));
  const auto rho = SpearmanRho(x, y);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, expected, 1e-12);
}

// Beyond about half a million pairs the ranking switches to its compact form (positions only).
// The input is a shuffled 0..n-1 and its partner reverses every block of 1024 ranks (v XOR
// 1023), so a block's rank differences are 1023, 1021, ..., -1023 with squares summing to
// 1024 (1024^2 - 1) / 3 and, without ties, rho = 1 - 6 sum(d^2) / (n (n^2 - 1))
// = 1 - 2 (1024^2 - 1) / (n^2 - 1). Then ties in pairs on both sides, identical: exactly 1,
// and -1 against the negation.
TEST(SpearmanRhoTest, OverAMillionPairsTheCompactRankingGivesTheClosedForms) {
  const std::size_t n = (std::size_t{1} << 20) + 1024;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  std::mt19937_64 engine(16);
  std::shuffle(x.begin(), x.end(), engine);
  std::vector<double> swapped(n);
  for (std::size_t i = 0; i < n; ++i) {
    swapped[i] = static_cast<double>(static_cast<std::uint64_t>(x[i]) ^ 1023U);
  }
  SpearmanScratch scratch;
  EXPECT_TRUE(SpearmanRho(std::span(x).first(1000), std::span(swapped).first(1000), scratch));
  const auto count = static_cast<double>(n);
  const double block = 1024.0;
  // Summing a million squared deviations in double leaves about 1e-11 of rounding.
  EXPECT_NEAR(SpearmanRho(x, swapped, scratch).value_or(99),
              1.0 - 2.0 * (block * block - 1.0) / (count * count - 1.0), 1e-9);

  std::vector<double> paired(n);
  std::vector<double> negated(n);
  for (std::size_t i = 0; i < n; ++i) {
    paired[i] = std::floor(x[i] / 2.0);
    negated[i] = -paired[i];
  }
  EXPECT_NEAR(SpearmanRho(paired, paired, scratch).value_or(99), 1.0, 1e-15);
  EXPECT_NEAR(SpearmanRho(paired, negated, scratch).value_or(99), -1.0, 1e-15);
  // Back below the switch with the same scratch: the small form is unaffected.
  const std::vector<double> small_x = {1, 2, 3, 4};
  const std::vector<double> small_y = {1, 3, 2, 4};  // d = (0, 1, -1, 0): rho = 1 - 12 / 60
  EXPECT_NEAR(SpearmanRho(small_x, small_y, scratch).value_or(99), 0.8, 1e-15);
}

// A ranking whose y half runs on a helper thread gives the same bits as one ranked alone,
// with either entry form, and the helper does take part.
TEST(SpearmanRhoTest, SharedRankingsGiveTheSameBits) {
  const std::size_t n = 3 * SpearmanScratch::kShareFrom;
  std::mt19937_64 engine(7);
  std::normal_distribution<double> normal;
  std::vector<double> x(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = std::round(normal(engine) * 1000.0) / 1000.0;  // ties
    y[i] = std::round((0.3 * x[i] + normal(engine)) * 100.0) / 100.0;
  }
  for (const std::size_t compact_from : {SpearmanScratch::kDefaultCompactFrom, std::size_t{1000}}) {
    SpearmanScratch alone(compact_from);
    const std::optional<double> expected = SpearmanRho(x, y, alone);
    ASSERT_TRUE(expected.has_value());

    RankingHelpers helpers;
    std::thread server([&] {
      SpearmanScratch helper_scratch(compact_from);
      helpers.Serve(helper_scratch);
    });
    SpearmanScratch shared(compact_from);
    shared.ShareRankingsWith(&helpers);
    // The server may not be waiting yet at the first call; then the ranking runs alone.
    for (int attempt = 0; attempt < 200 && helpers.jobs_served() == 0; ++attempt) {
      const std::optional<double> actual = SpearmanRho(x, y, shared);
      ASSERT_TRUE(actual.has_value());
      EXPECT_EQ(std::bit_cast<std::uint64_t>(*actual), std::bit_cast<std::uint64_t>(*expected));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GT(helpers.jobs_served(), 0u) << compact_from;
    // Once more with the helper surely idle, then below the sharing size (ranked alone).
    const std::optional<double> again = SpearmanRho(x, y, shared);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(again.value_or(99)),
              std::bit_cast<std::uint64_t>(*expected));
    const std::size_t small = SpearmanScratch::kShareFrom - 1;
    const std::size_t served = helpers.jobs_served();
    EXPECT_EQ(SpearmanRho(std::span(x).first(small), std::span(y).first(small), shared),
              SpearmanRho(std::span(x).first(small), std::span(y).first(small), alone));
    EXPECT_EQ(helpers.jobs_served(), served);
    helpers.Close();
    server.join();
  }
}

}  // namespace
}  // namespace cryptomood
