#include "core/co_moments.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace cryptomood {
namespace {

struct Pairs {
  std::vector<double> x;
  std::vector<double> y;
};

// y = slope * x + noise, so r is far from 0 and a relative comparison of r is meaningful.
Pairs CorrelatedPairs(std::size_t n, double offset_x, double spread_x, double offset_y,
                      double spread_y, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Pairs pairs;
  for (std::size_t i = 0; i < n; ++i) {
    const double common = normal(engine);
    pairs.x.push_back(offset_x + spread_x * common);
    pairs.y.push_back(offset_y + spread_y * (0.6 * common + 0.8 * normal(engine)));
  }
  return pairs;
}

CoMoments Accumulate(const Pairs& pairs, std::size_t begin, std::size_t end) {
  CoMoments moments;
  for (std::size_t i = begin; i < end; ++i) moments.Add(pairs.x[i], pairs.y[i]);
  return moments;
}

// Independent reference: the textbook two-pass formula in long double (64-bit mantissa).
struct TwoPass {
  long double mean_x = 0, mean_y = 0, m2_x = 0, m2_y = 0, c_xy = 0;
  double r = 0;
};

TwoPass TwoPassReference(const Pairs& pairs) {
  TwoPass result;
  const auto n = static_cast<long double>(pairs.x.size());
  for (std::size_t i = 0; i < pairs.x.size(); ++i) {
    result.mean_x += pairs.x[i];
    result.mean_y += pairs.y[i];
  }
  result.mean_x /= n;
  result.mean_y /= n;
  for (std::size_t i = 0; i < pairs.x.size(); ++i) {
    const long double dx = pairs.x[i] - result.mean_x;
    const long double dy = pairs.y[i] - result.mean_y;
    result.m2_x += dx * dx;
    result.m2_y += dy * dy;
    result.c_xy += dx * dy;
  }
  result.r = static_cast<double>(result.c_xy / std::sqrt(result.m2_x * result.m2_y));
  return result;
}

// The one-pass sum-of-products formula that the accumulator exists to avoid.
double NaivePearson(const Pairs& pairs) {
  double sum_x = 0, sum_y = 0, sum_xx = 0, sum_yy = 0, sum_xy = 0;
  for (std::size_t i = 0; i < pairs.x.size(); ++i) {
    sum_x += pairs.x[i];
    sum_y += pairs.y[i];
    sum_xx += pairs.x[i] * pairs.x[i];
    sum_yy += pairs.y[i] * pairs.y[i];
    sum_xy += pairs.x[i] * pairs.y[i];
  }
  const auto n = static_cast<double>(pairs.x.size());
  return (n * sum_xy - sum_x * sum_y) /
         std::sqrt((n * sum_xx - sum_x * sum_x) * (n * sum_yy - sum_y * sum_y));
}

void ExpectRelativelyNear(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected))
      << "expected " << expected << ", got " << actual;
}

void ExpectSameMoments(const CoMoments& actual, const CoMoments& expected, double tolerance) {
  EXPECT_EQ(actual.count(), expected.count());
  ExpectRelativelyNear(actual.mean_x(), expected.mean_x(), tolerance);
  ExpectRelativelyNear(actual.mean_y(), expected.mean_y(), tolerance);
  ExpectRelativelyNear(actual.m2_x(), expected.m2_x(), tolerance);
  ExpectRelativelyNear(actual.m2_y(), expected.m2_y(), tolerance);
  ExpectRelativelyNear(actual.c_xy(), expected.c_xy(), tolerance);
  ASSERT_TRUE(actual.Pearson().has_value());
  ASSERT_TRUE(expected.Pearson().has_value());
  ExpectRelativelyNear(*actual.Pearson(), *expected.Pearson(), tolerance);
}

TEST(CoMomentsTest, HandWorkedFivePoints) {
  // x = 1..5, y = (2, 4, 5, 4, 5): mean_x = 15/5 = 3, mean_y = 20/5 = 4.
  // dx = (-2, -1, 0, 1, 2), dy = (-2, 0, 1, 0, 1).
  // m2_x = 4+1+0+1+4 = 10, m2_y = 4+0+1+0+1 = 6, c_xy = 4+0+0+0+2 = 6.
  // r = 6 / sqrt(10 * 6) = 6 / sqrt(60) = sqrt(36/60) = sqrt(0.6).
  CoMoments moments;
  const double ys[] = {2, 4, 5, 4, 5};
  for (int i = 0; i < 5; ++i) moments.Add(i + 1.0, ys[i]);
  EXPECT_EQ(moments.count(), 5);
  EXPECT_NEAR(moments.mean_x(), 3.0, 1e-15);
  EXPECT_NEAR(moments.mean_y(), 4.0, 1e-15);
  EXPECT_NEAR(moments.m2_x(), 10.0, 1e-14);
  EXPECT_NEAR(moments.m2_y(), 6.0, 1e-14);
  EXPECT_NEAR(moments.c_xy(), 6.0, 1e-14);
  ASSERT_TRUE(moments.Pearson().has_value());
  EXPECT_NEAR(*moments.Pearson(), 0.7745966692414834, 1e-15);
}

TEST(CoMomentsTest, HandWorkedThreePoints) {
  // x = (1, 2, 3), y = (1, 3, 2): dx = (-1, 0, 1), dy = (-1, 1, 0).
  // c_xy = 1, m2_x = 2, m2_y = 2, r = 1 / 2.
  CoMoments moments;
  moments.Add(1, 1);
  moments.Add(2, 3);
  moments.Add(3, 2);
  ASSERT_TRUE(moments.Pearson().has_value());
  EXPECT_NEAR(*moments.Pearson(), 0.5, 1e-15);
}

TEST(CoMomentsTest, ExactLinearRelationIsPlusOrMinusOneAndNeverBeyond) {
  CoMoments rising;
  CoMoments falling;
  for (int i = 0; i < 1000; ++i) {
    const double x = 0.1 * i;
    rising.Add(x, 7.0 + 3.0 * x);
    falling.Add(x, 3.0 - 2.0 * x);
  }
  ASSERT_TRUE(rising.Pearson().has_value());
  ASSERT_TRUE(falling.Pearson().has_value());
  EXPECT_NEAR(*rising.Pearson(), 1.0, 1e-14);
  EXPECT_NEAR(*falling.Pearson(), -1.0, 1e-14);
  EXPECT_LE(*rising.Pearson(), 1.0);
  EXPECT_GE(*falling.Pearson(), -1.0);
}

TEST(CoMomentsTest, EmptyAccumulatorIsAllZeroAndNull) {
  const CoMoments moments;
  EXPECT_EQ(moments.count(), 0);
  EXPECT_EQ(moments.mean_x(), 0.0);
  EXPECT_EQ(moments.m2_y(), 0.0);
  EXPECT_EQ(moments.c_xy(), 0.0);
  EXPECT_FALSE(moments.Pearson().has_value());
}

TEST(CoMomentsTest, PearsonIsNullBelowThreePairs) {
  CoMoments moments;
  moments.Add(1, 5);
  EXPECT_FALSE(moments.Pearson().has_value());
  moments.Add(2, 7);  // two distinct points: a line fits exactly, but r is not meaningful
  EXPECT_FALSE(moments.Pearson().has_value());
  moments.Add(3, 6);
  EXPECT_TRUE(moments.Pearson().has_value());
}

TEST(CoMomentsTest, PearsonIsNullWhenEitherSideIsConstant) {
  CoMoments constant_x;
  CoMoments constant_y;
  for (int i = 0; i < 10; ++i) {
    constant_x.Add(0.1, i);
    constant_y.Add(i, 12345.678);
  }
  EXPECT_EQ(constant_x.m2_x(), 0.0);
  EXPECT_EQ(constant_y.m2_y(), 0.0);
  EXPECT_FALSE(constant_x.Pearson().has_value());
  EXPECT_FALSE(constant_y.Pearson().has_value());

  // Constant halves merged stay exactly constant.
  CoMoments merged = constant_y;
  merged.Merge(constant_y);
  EXPECT_EQ(merged.m2_y(), 0.0);
  EXPECT_FALSE(merged.Pearson().has_value());
}

TEST(CoMomentsTest, PearsonIsNullForNonFiniteInput) {
  CoMoments moments;
  moments.Add(1, 1);
  moments.Add(2, std::numeric_limits<double>::quiet_NaN());
  moments.Add(3, 2);
  EXPECT_FALSE(moments.Pearson().has_value());

  CoMoments infinite;
  infinite.Add(1, 1);
  infinite.Add(std::numeric_limits<double>::infinity(), 3);
  infinite.Add(3, 2);
  EXPECT_FALSE(infinite.Pearson().has_value());
}

TEST(CoMomentsTest, OnePassMatchesTwoPassReferenceOnRandomData) {
  const Pairs pairs = CorrelatedPairs(100000, 3.0, 2.0, -1.0, 0.5, 1);
  const CoMoments moments = Accumulate(pairs, 0, pairs.x.size());
  const TwoPass reference = TwoPassReference(pairs);
  ExpectRelativelyNear(moments.mean_x(), static_cast<double>(reference.mean_x), 1e-12);
  ExpectRelativelyNear(moments.mean_y(), static_cast<double>(reference.mean_y), 1e-12);
  ExpectRelativelyNear(moments.m2_x(), static_cast<double>(reference.m2_x), 1e-12);
  ExpectRelativelyNear(moments.m2_y(), static_cast<double>(reference.m2_y), 1e-12);
  ExpectRelativelyNear(moments.c_xy(), static_cast<double>(reference.c_xy), 1e-12);
  ASSERT_TRUE(moments.Pearson().has_value());
  ExpectRelativelyNear(*moments.Pearson(), reference.r, 1e-12);
  EXPECT_NEAR(*moments.Pearson(), 0.6, 0.01);  // the correlation that was planted
}

TEST(CoMomentsTest, MergedHalvesMatchOnePassAtEverySplit) {
  const Pairs pairs = CorrelatedPairs(20000, 0.0, 1.0, 0.0, 0.3, 2);
  const std::size_t n = pairs.x.size();
  const CoMoments one_pass = Accumulate(pairs, 0, n);
  for (const std::size_t split : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3},
                                  n / 3, n / 2, n - 3, n - 1, n}) {
    SCOPED_TRACE(split);
    CoMoments merged = Accumulate(pairs, 0, split);
    merged.Merge(Accumulate(pairs, split, n));
    ExpectSameMoments(merged, one_pass, 1e-12);
  }
}

TEST(CoMomentsTest, MergingEmptyAccumulatorsChangesNothing) {
  const Pairs pairs = CorrelatedPairs(1000, 5.0, 1.0, 0.0, 1.0, 3);
  const CoMoments full = Accumulate(pairs, 0, pairs.x.size());

  CoMoments into_empty;
  into_empty.Merge(full);
  ExpectSameMoments(into_empty, full, 0.0);

  CoMoments empty_into_full = full;
  empty_into_full.Merge(CoMoments{});
  ExpectSameMoments(empty_into_full, full, 0.0);

  CoMoments both_empty;
  both_empty.Merge(CoMoments{});
  EXPECT_EQ(both_empty.count(), 0);
  EXPECT_FALSE(both_empty.Pearson().has_value());
}

TEST(CoMomentsTest, ManyUnevenChunksMergedInATreeMatchOnePass) {
  const Pairs pairs = CorrelatedPairs(50000, -2.0, 3.0, 1.0, 0.1, 4);
  const std::size_t n = pairs.x.size();
  std::mt19937_64 engine(5);
  std::uniform_int_distribution<std::size_t> chunk_length(0, 200);
  std::vector<CoMoments> chunks;
  for (std::size_t begin = 0; begin < n;) {
    const std::size_t end = std::min(n, begin + chunk_length(engine));
    chunks.push_back(Accumulate(pairs, begin, end));
    begin = end;
  }
  while (chunks.size() > 1) {  // pairwise, as a parallel reduction would
    std::vector<CoMoments> next;
    for (std::size_t i = 0; i + 1 < chunks.size(); i += 2) {
      next.push_back(chunks[i]);
      next.back().Merge(chunks[i + 1]);
    }
    if (chunks.size() % 2 == 1) next.push_back(chunks.back());
    chunks = std::move(next);
  }
  ExpectSameMoments(chunks.front(), Accumulate(pairs, 0, n), 1e-12);
}

TEST(CoMomentsTest, HugeOffsetWithTinySpreadStaysAccurateWhereNaiveFormulaFails) {
  // Prices around 1e4 that move by about a thousandth; sentiment-like y in [-1, 1] scale.
  const Pairs pairs = CorrelatedPairs(100000, 1e4, 1e-3, 0.1, 0.3, 6);
  const std::size_t n = pairs.x.size();
  const TwoPass reference = TwoPassReference(pairs);

  // The data really is hard: the sum-of-products formula is off by far more than 1e-6
  // (or is NaN from a negative "variance"; the negated comparison counts that as a failure).
  EXPECT_FALSE(std::abs(NaivePearson(pairs) - reference.r) < 1e-6);

  const CoMoments one_pass = Accumulate(pairs, 0, n);
  ASSERT_TRUE(one_pass.Pearson().has_value());
  ExpectRelativelyNear(*one_pass.Pearson(), reference.r, 1e-12);
  ExpectRelativelyNear(one_pass.m2_x(), static_cast<double>(reference.m2_x), 1e-12);
  ExpectRelativelyNear(one_pass.c_xy(), static_cast<double>(reference.c_xy), 1e-12);
  for (const std::size_t split : {std::size_t{1}, n / 7, n / 2, n - 1}) {
    SCOPED_TRACE(split);
    CoMoments merged = Accumulate(pairs, 0, split);
    merged.Merge(Accumulate(pairs, split, n));
    ExpectSameMoments(merged, one_pass, 1e-12);
  }
}

TEST(CoMomentsTest, HalvesWithDifferentOffsetsMergeCorrectly) {
  // The second half sits 1e4 higher in x: the merge must add the between-halves spread,
  // which the two-pass reference sees directly.
  Pairs pairs = CorrelatedPairs(10000, 1e4, 1e-2, 0.0, 0.5, 7);
  for (std::size_t i = pairs.x.size() / 2; i < pairs.x.size(); ++i) pairs.x[i] += 1e4;
  const std::size_t n = pairs.x.size();
  CoMoments merged = Accumulate(pairs, 0, n / 2);
  merged.Merge(Accumulate(pairs, n / 2, n));
  const TwoPass reference = TwoPassReference(pairs);
  ExpectRelativelyNear(merged.mean_x(), static_cast<double>(reference.mean_x), 1e-14);
  ExpectRelativelyNear(merged.m2_x(), static_cast<double>(reference.m2_x), 1e-12);
  ExpectRelativelyNear(merged.c_xy(), static_cast<double>(reference.c_xy), 1e-12);
  ASSERT_TRUE(merged.Pearson().has_value());
  EXPECT_NEAR(*merged.Pearson(), reference.r, 1e-12);
}

}  // namespace
}  // namespace cryptomood
