#include "core/correlation_statistics.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>
#include <cerrno>
#include <cmath>

namespace cryptomood {
namespace {

// Errors become quiet return values (NaN, infinity or 0), which we then turn into nullopt:
// an exception or errno would cross into callers that expect neither.
namespace policies = boost::math::policies;
using QuietPolicy = policies::policy<policies::domain_error<policies::ignore_error>,
                                     policies::pole_error<policies::ignore_error>,
                                     policies::overflow_error<policies::ignore_error>,
                                     policies::underflow_error<policies::ignore_error>,
                                     policies::denorm_error<policies::ignore_error>,
                                     policies::evaluation_error<policies::ignore_error>,
                                     policies::rounding_error<policies::ignore_error>,
                                     policies::indeterminate_result_error<policies::ignore_error>>;

using StudentsT = boost::math::students_t_distribution<double, QuietPolicy>;

std::optional<double> FiniteOrNull(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> PearsonPValue(double r, std::int64_t n) {
  if (n < 3 || std::isnan(r)) return std::nullopt;
  const double magnitude = std::abs(r);
  if (magnitude >= 1.0) return 0.0;
  const auto degrees_of_freedom = static_cast<double>(n - 2);
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
    // Unreachable under QuietPolicy; kept so that a Boost change cannot leak an exception.
  }
  errno = saved_errno;
  return p_value;
}

std::optional<std::pair<double, double>> FisherConfidenceInterval(double r, std::int64_t n,
                                                                  double z) {
  if (n < 4 || std::isnan(r) || std::isnan(z)) return std::nullopt;
  if (std::abs(r) >= 1.0) {
    const double bound = std::clamp(r, -1.0, 1.0);
    return std::pair{bound, bound};
  }
  const double centre = std::atanh(r);
  const double half_width = z / std::sqrt(static_cast<double>(n - 3));
  return std::pair{std::tanh(centre - half_width), std::tanh(centre + half_width)};
}

CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y, SpearmanScratch& scratch) {
  CorrelationStatistics statistics;
  statistics.n = moments.count();
  statistics.pearson = moments.Pearson();
  if (x.size() == static_cast<std::size_t>(statistics.n)) {
    statistics.spearman = SpearmanRho(x, y, scratch);
  }
  if (!statistics.pearson) return statistics;
  statistics.p_value = PearsonPValue(*statistics.pearson, statistics.n);
  if (const auto interval = FisherConfidenceInterval(*statistics.pearson, statistics.n)) {
    statistics.ci_low = interval->first;
    statistics.ci_high = interval->second;
  }
  return statistics;
}

CorrelationStatistics Summarize(const CoMoments& moments, std::span<const double> x,
                                std::span<const double> y) {
  SpearmanScratch scratch;
  return Summarize(moments, x, y, scratch);
}

}  // namespace cryptomood
