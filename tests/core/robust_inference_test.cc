#include "core/robust_inference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

#include "core/correlation_statistics.h"
#include "core/random.h"

namespace cryptomood {
namespace {

TEST(HacLagCountTest, HandWorkedValues) {
  // floor(4 (n/100)^(2/9)).
  EXPECT_EQ(HacLagCount(100), 4);
  EXPECT_EQ(HacLagCount(10), 2);       // 4 * 0.1^(2/9) = 2.40
  EXPECT_EQ(HacLagCount(1000), 6);     // 4 * 10^(2/9) = 6.67
  EXPECT_EQ(HacLagCount(100000), 18);  // 4 * 1000^(2/9) = 18.57
  EXPECT_EQ(HacLagCount(3), 1);        // 4 * 0.03^(2/9) = 1.84
  EXPECT_EQ(HacLagCount(2), 1);        // capped at n - 1
  EXPECT_EQ(HacLagCount(1), 0);
}

TEST(RobustInferenceTest, EffectiveSampleSizeHandWorked) {
  // r1_x = 0.5, r1_y = 0.5: n_eff = 100 * 0.75 / 1.25 = 60.
  DependenceSums sums;
  sums.n = 100;
  sums.squares_x = 2.0;
  sums.squares_y = 4.0;
  sums.lag1_x = 1.0;
  sums.lag1_y = 2.0;
  sums.hac_lags = 4;
  sums.long_run_variance = 100.0 * 100.0 * 0.01;  // se_hac = 0.1
  const RobustInference robust = FinishRobustInference(sums, 0.3);
  EXPECT_DOUBLE_EQ(robust.r1_x.value_or(0), 0.5);
  EXPECT_DOUBLE_EQ(robust.n_eff.value_or(0), 60.0);
  EXPECT_EQ(robust.p_value_neff, CorrelationTPValue(0.3, 58.0));
  EXPECT_DOUBLE_EQ(robust.se_hac.value_or(0), 0.1);
  // z = 3: 2 * Phi(-3) = 0.0026997960632601866.
  EXPECT_NEAR(robust.p_value_hac.value_or(1), 0.0026997960632601866, 1e-15);
  EXPECT_EQ(robust.p_value_robust, std::max(robust.p_value_hac, robust.p_value_neff));
  // Both perfectly persistent: n_eff clamps to 3, the interval spans everything.
  sums.lag1_x = 2.0;
  sums.lag1_y = 4.0;
  const RobustInference persistent = FinishRobustInference(sums, 0.3);
  EXPECT_EQ(persistent.n_eff, 3.0);
  EXPECT_EQ(persistent.ci_low_neff, -1.0);
  EXPECT_EQ(persistent.ci_high_neff, 1.0);
  // Alternating against persistent: n_eff = n (1 + 1) / (1 - 1) is unbounded, clamped to n.
  sums.lag1_x = -2.0;
  EXPECT_EQ(FinishRobustInference(sums, 0.3).n_eff, 100.0);
  // No r: only the autocorrelations.
  const RobustInference no_r = FinishRobustInference(sums, std::nullopt);
  EXPECT_TRUE(no_r.r1_x.has_value());
  EXPECT_FALSE(no_r.n_eff.has_value());
  EXPECT_FALSE(no_r.p_value_robust.has_value());
}

// One replication's pair of series with no relation between them.
using PairGenerator =
    std::function<void(RandomGenerator&, std::vector<double>&, std::vector<double>&)>;

void Ar1(RandomGenerator& random, double phi, std::vector<double>& out) {
  double level = random.Normal();
  const double innovation_scale = std::sqrt(1.0 - phi * phi);
  for (double& value : out) {
    level = phi * level + innovation_scale * random.Normal();
    value = level;
  }
}

struct RejectionRates {
  double naive = 0.0;
  double robust = 0.0;
};

RejectionRates RejectionRatesUnderNull(const PairGenerator& generate, int replications,
                                       std::size_t n) {
  RandomGenerator random(20261203);
  std::vector<double> sentiment(n);
  std::vector<double> price(n);
  int naive = 0;
  int robust = 0;
  for (int replication = 0; replication < replications; ++replication) {
    generate(random, sentiment, price);
    CoMoments moments;
    for (std::size_t i = 0; i < n; ++i) moments.Add(price[i], sentiment[i]);
    const CorrelationStatistics statistics =
        Summarize(moments, price, sentiment, PriceSide::kFirst);
    naive += statistics.p_value.value_or(1.0) < 0.05 ? 1 : 0;
    robust += statistics.robust.p_value_robust.value_or(1.0) < 0.05 ? 1 : 0;
  }
  return {static_cast<double>(naive) / replications, static_cast<double>(robust) / replications};
}

// Size by simulation: with no relation, the robust test rejects at 5% in 2-9% of replications
// (a few hundred, fixed seeds), where the naive one rejects far more often.
void ExpectSize(const char* name, const PairGenerator& generate, double naive_at_least) {
  const RejectionRates rates = RejectionRatesUnderNull(generate, 400, 500);
  std::printf("size at 5%%, %s: naive %.3f, robust %.3f\n", name, rates.naive, rates.robust);
  EXPECT_GE(rates.robust, 0.02) << name;
  EXPECT_LE(rates.robust, 0.09) << name;
  EXPECT_GE(rates.naive, naive_at_least) << name;
}

TEST(RobustInferenceSizeTest, PersistentPairs) {
  ExpectSize(
      "AR 0.9 vs AR 0.9",
      [](RandomGenerator& random, std::vector<double>& x, std::vector<double>& y) {
        Ar1(random, 0.9, x);
        Ar1(random, 0.9, y);
      },
      0.25);
}

TEST(RobustInferenceSizeTest, RandomWalkAgainstNearUnitRoot) {
  ExpectSize(
      "AR 0.99 vs random walk",
      [](RandomGenerator& random, std::vector<double>& x, std::vector<double>& y) {
        Ar1(random, 0.99, x);
        double level = 6000.0;
        for (double& value : y) value = level += random.Normal();
      },
      0.5);
}

TEST(RobustInferenceSizeTest, SharedVolatility) {
  // GARCH(1,1) returns, sigma_t^2 = 0.02 + 0.2 r_(t-1)^2 + 0.78 sigma_(t-1)^2, and a
  // sentiment series whose swings scale with the same sigma_t: bursts in both at once, no
  // relation between their signs.
  ExpectSize(
      "shared volatility (GARCH)",
      [](RandomGenerator& random, std::vector<double>& x, std::vector<double>& y) {
        double variance = 1.0;
        double previous_return = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
          variance = 0.02 + 0.2 * previous_return * previous_return + 0.78 * variance;
          const double volatility = std::sqrt(variance);
          y[i] = previous_return = volatility * random.Normal();
          x[i] = volatility * random.Normal();
        }
      },
      0.08);
}

}  // namespace
}  // namespace cryptomood
