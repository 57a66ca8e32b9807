#include "core/correlation_statistics.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cerrno>
#include <cmath>

#include "core/quiet_math_policy.h"

namespace cryptomood {
namespace {

using StudentsT = boost::math::students_t_distribution<double, QuietMathPolicy>;

std::optional<double> FiniteOrNull(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> PearsonPValue(double r, std::int64_t n) {
  if (n < 3) return std::nullopt;
  return CorrelationTPValue(r, static_cast<double>(n - 2));
}

std::optional<double> CorrelationTPValue(double r, double degrees_of_freedom) {
  if (!(degrees_of_freedom >= 1.0) || std::isnan(r)) return std::nullopt;
  const double magnitude = std::abs(r);
  if (magnitude >= 1.0) return 0.0;
  // (1 - r)(1 + r) keeps its relative accuracy as |r| approaches 1, where 1 - r*r does not.
  const double one_minus_r_squared = (1.0 - magnitude) * (1.0 + magnitude);
  const double t = magnitude * std::sqrt(degrees_of_freedom / one_minus_r_squared);
  // The policy keeps Boost itself quiet, but the libm calls inside it still set ERANGE when a
  // tiny tail underflows; callers must not see that.
  const int saved_errno = errno;
  std::optional<double> p_value;
  try {
    // The complement keeps full relative accuracy for tiny upper-tail probabilities.
    const StudentsT distribution(degrees_of_freedom);
    const double upper_tail = boost::math::cdf(boost::math::complement(distribution, t));
    p_value = FiniteOrNull(std::clamp(2.0 * upper_tail, 0.0, 1.0));
  } catch (...) {
    // Unreachable under QuietMathPolicy; kept so that a Boost change cannot leak an exception.
  }
  errno = saved_errno;
  return p_value;
}

std::optional<std::pair<double, double>> FisherConfidenceInterval(double r, std::int64_t n,
                                                                  double z) {
  if (n < 4) return std::nullopt;
  return FisherIntervalOfSize(r, static_cast<double>(n), z);
}

std::optional<std::pair<double, double>> FisherIntervalOfSize(double r, double sample_size,
                                                              double z) {
  if (!(sample_size >= 3.0) || std::isnan(r) || std::isnan(z)) return std::nullopt;
  if (std::abs(r) >= 1.0) {
    const double bound = std::clamp(r, -1.0, 1.0);
    return std::pair{bound, bound};
  }
  if (sample_size == 3.0) return std::pair{-1.0, 1.0};
  const double centre = std::atanh(r);
  const double half_width = z / std::sqrt(sample_size - 3.0);
  return std::pair{std::tanh(centre - half_width), std::tanh(centre + half_width)};
}

namespace {

RobustInference PearsonRobustInference(const CoMoments& moments, std::span<const double> x,
                                       std::span<const double> y, PriceSide price,
                                       std::optional<double> r) {
  const std::span<const double> sentiment = price == PriceSide::kFirst ? y : x;
  const std::span<const double> prices = price == PriceSide::kFirst ? x : y;
  const double sentiment_mean = price == PriceSide::kFirst ? moments.mean_y() : moments.mean_x();
  const double price_mean = price == PriceSide::kFirst ? moments.mean_x() : moments.mean_y();
  return RobustInferenceOf(
      static_cast<std::int64_t>(x.size()),
      [&](std::int64_t i) { return sentiment[static_cast<std::size_t>(i)] - sentiment_mean; },
      [&](std::int64_t i) { return prices[static_cast<std::size_t>(i)] - price_mean; }, r);
}

}  // namespace

CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y, PriceSide price,
                                SpearmanScratch& scratch) {
  CorrelationStatistics statistics;
  statistics.n = moments.count();
  statistics.pearson = moments.Pearson();
  const bool pairs_kept = x.size() == static_cast<std::size_t>(statistics.n) &&
                          y.size() == static_cast<std::size_t>(statistics.n);
  if (pairs_kept) {
    SpearmanInference spearman = SpearmanWithInference(x, y, price, scratch);
    statistics.spearman = spearman.rho;
    statistics.spearman_robust = spearman.robust;
  }
  if (!statistics.pearson) return statistics;
  statistics.p_value = PearsonPValue(*statistics.pearson, statistics.n);
  if (const auto interval = FisherConfidenceInterval(*statistics.pearson, statistics.n)) {
    statistics.ci_low = interval->first;
    statistics.ci_high = interval->second;
  }
  if (pairs_kept) {
    statistics.robust = PearsonRobustInference(moments, x, y, price, statistics.pearson);
  }
  return statistics;
}

CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y, PriceSide price) {
  SpearmanScratch scratch;
  return Summarize(moments, x, y, price, scratch);
}

}  // namespace cryptomood
