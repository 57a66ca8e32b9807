#include "core/multiple_testing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <random>
#include <vector>

namespace cryptomood {
namespace {

using Optional = std::optional<double>;

void ExpectAdjusted(const std::vector<Optional>& actual, const std::vector<Optional>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(actual[i].has_value(), expected[i].has_value());
    if (expected[i]) {
      EXPECT_NEAR(*actual[i], *expected[i], 1e-15);
    }
  }
}

TEST(HolmAdjustTest, HandWorkedExampleWithANull) {
  // Non-null p = (0.01, 0.04, 0.03, 0.005): m = 4. Ascending with multipliers m, m-1, ...:
  //   0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04
  // Running maximum: 0.02, 0.03, 0.06, 0.06. Back in input order, the null untouched.
  const std::vector<Optional> p = {0.01, 0.04, std::nullopt, 0.03, 0.005};
  ExpectAdjusted(HolmAdjust(p), {0.03, 0.06, std::nullopt, 0.06, 0.02});
}

TEST(HolmAdjustTest, RunningMaximumAndCap) {
  // (0.3, 0.5, 0.2), m = 3: 0.2 * 3 = 0.6, 0.3 * 2 = 0.6, 0.5 * 1 = 0.5 -> max 0.6.
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.3, 0.5, 0.2}), {0.6, 0.6, 0.6});
  // (0.6, 0.7): 0.6 * 2 = 1.2 capped to 1; 0.7 raised to 1 by the running maximum.
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.6, 0.7}), {1.0, 1.0});
  // (0.02, 0.9): 0.04, 0.9.
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.9, 0.02}), {0.9, 0.04});
}

TEST(HolmAdjustTest, TiesGetEqualAdjustedValues) {
  // (0.01, 0.01, 0.04): 0.01 * 3 = 0.03, 0.01 * 2 = 0.02 -> 0.03, 0.04 * 1 = 0.04.
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.01, 0.04, 0.01}), {0.03, 0.04, 0.03});
}

TEST(HolmAdjustTest, DegenerateInputs) {
  EXPECT_TRUE(HolmAdjust(std::vector<Optional>{}).empty());
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{std::nullopt, std::nullopt}),
                 {std::nullopt, std::nullopt});
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.037}), {0.037});  // one test: unchanged
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{std::nullopt, 0.2, std::nullopt}),
                 {std::nullopt, 0.2, std::nullopt});  // nulls do not count towards m
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{std::numeric_limits<double>::quiet_NaN(), 0.2}),
                 {std::nullopt, 0.2});
  ExpectAdjusted(HolmAdjust(std::vector<Optional>{0.0, 1.0}), {0.0, 1.0});
}

// Holm's procedure as originally stated: walk the sorted p-values and reject while
// p_(k) <= alpha / (m - k + 1); stop at the first acceptance. An adjusted p-value is correct
// exactly when "adjusted <= alpha" reproduces this decision for every alpha.
std::vector<bool> HolmRejections(const std::vector<double>& p, double alpha) {
  std::vector<std::size_t> order(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<bool> rejected(p.size(), false);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (p[order[k]] > alpha / static_cast<double>(p.size() - k)) break;
    rejected[order[k]] = true;
  }
  return rejected;
}

TEST(HolmAdjustTest, AgreesWithSequentialRejectionOnRandomFamilies) {
  std::mt19937_64 engine(21);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int family = 0; family < 200; ++family) {
    const std::size_t m = 1 + family % 25;
    std::vector<double> p;
    std::vector<Optional> input;
    for (std::size_t i = 0; i < m; ++i) {
      // Cubed, so that many are small and the step-down actually rejects some.
      const double u = uniform(engine);
      p.push_back(u * u * u);
      input.push_back(p.back());
    }
    const std::vector<Optional> adjusted = HolmAdjust(input);
    for (const double alpha : {0.001, 0.01, 0.05, 0.2}) {
      const std::vector<bool> rejected = HolmRejections(p, alpha);
      for (std::size_t i = 0; i < m; ++i) {
        ASSERT_TRUE(adjusted[i].has_value());
        EXPECT_EQ(*adjusted[i] <= alpha, rejected[i]) << "family " << family << " alpha " << alpha;
        EXPECT_GE(*adjusted[i], p[i]);
        EXPECT_LE(*adjusted[i], 1.0);
      }
    }
    for (std::size_t i = 0; i < m; ++i) {  // monotone: a smaller raw p never adjusts higher
      for (std::size_t j = 0; j < m; ++j) {
        if (p[i] < p[j]) {
          EXPECT_LE(*adjusted[i], *adjusted[j]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace cryptomood
