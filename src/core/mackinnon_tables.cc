#include "core/mackinnon_tables.h"

#include <cmath>
#include <numbers>

namespace cryptomood {
namespace {

// One regression's row (N = 1) of MacKinnon (1994), Table 3: the cut-offs and the two
// polynomials' coefficients, constant term first, already scaled as published
// (small p: the quadratic term by 1e-2; large p: the linear and quadratic by 1e-1, the cubic
// by 1e-2).
struct PValueSurface {
  double tau_min;
  double tau_star;
  double tau_max;
  std::array<double, 3> small_p;
  std::array<double, 4> large_p;
};

constexpr PValueSurface kConstantSurface{-18.83,
                                         -1.61,
                                         2.74,
                                         {2.1659, 1.4412, 3.8269 * 1e-2},
                                         {1.7339, 9.3202 * 1e-1, -1.2745 * 1e-1, -1.0368 * 1e-2}};
constexpr PValueSurface kConstantTrendSurface{
    -16.18,
    -2.89,
    0.7,
    {3.2512, 1.6047, 4.9588 * 1e-2},
    {2.5261, 6.1654 * 1e-1, -3.7956 * 1e-1, -6.0285 * 1e-2}};

// MacKinnon (2010), Table 2 (N = 1): per level (1%, 5%, 10%) the coefficients of 1/nobs,
// constant term first.
using CriticalSurface = std::array<std::array<double, 4>, 3>;
constexpr CriticalSurface kConstantCritical{{{-3.43035, -6.5393, -16.786, -79.433},
                                             {-2.86154, -2.8903, -4.234, -40.040},
                                             {-2.56677, -1.5384, -2.809, 0.0}}};
constexpr CriticalSurface kConstantTrendCritical{{{-3.95877, -9.0531, -28.428, -134.155},
                                                  {-3.41049, -4.3904, -9.036, -45.374},
                                                  {-3.12705, -2.5856, -3.925, -22.380}}};

// Horner's scheme from the highest power down, as numpy's polyval evaluates.
template <std::size_t N>
double Polynomial(const std::array<double, N>& coefficients, double x) {
  double value = 0.0;
  for (std::size_t i = N; i-- > 0;) value = value * x + coefficients[i];
  return value;
}

const PValueSurface& SurfaceOf(TrendTerms terms) {
  return terms == TrendTerms::kConstant ? kConstantSurface : kConstantTrendSurface;
}

}  // namespace

double StandardNormalCdf(double x) {
  const double scaled = x * std::numbers::sqrt2 / 2.0;
  if (std::fabs(scaled) < std::numbers::sqrt2 / 2.0) return 0.5 + 0.5 * std::erf(scaled);
  const double tail = 0.5 * std::erfc(std::fabs(scaled));
  return scaled > 0.0 ? 1.0 - tail : tail;
}

double MacKinnonPValue(double tau, TrendTerms terms) {
  const PValueSurface& surface = SurfaceOf(terms);
  if (tau > surface.tau_max) return 1.0;
  if (tau < surface.tau_min) return 0.0;
  const double index =
      tau <= surface.tau_star ? Polynomial(surface.small_p, tau) : Polynomial(surface.large_p, tau);
  return StandardNormalCdf(index);
}

std::array<double, 3> MacKinnonCriticalValues(TrendTerms terms, std::int64_t nobs) {
  const CriticalSurface& surface =
      terms == TrendTerms::kConstant ? kConstantCritical : kConstantTrendCritical;
  const double inverse = 1.0 / static_cast<double>(nobs);
  return {Polynomial(surface[0], inverse), Polynomial(surface[1], inverse),
          Polynomial(surface[2], inverse)};
}

}  // namespace cryptomood
