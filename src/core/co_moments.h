// CoMoments: a streaming, mergeable accumulator of the centred first and second moments of
// (x, y) pairs, from which Pearson's r follows. Windows, lags and the stream engine add
// pairs one at a time and combine partial accumulators, so both operations must be cheap and
// numerically stable.
//
// Why not sums of x, x^2, xy: with prices near 1e4 and a spread of cents, sum(x^2) - n*mean^2
// cancels almost every significant digit. We keep centred sums instead (Welford/West update,
// Chan et al. pairwise merge) and additionally store every value relative to the first x and y
// seen (the shift), so that the running means stay near zero and their rounding error scales
// with the spread of the data, not with its offset.
//
// Invariants: count() == 0 implies every moment is 0; m2_x() >= 0 and m2_y() >= 0 always (every
// increment is a square times a non-negative weight).
// State: EncodeState/DecodeState save and restore every field bit for bit (core/state_codec.h).
// Thread-safety: a plain value type; concurrent reads are fine, writes need external locking.
// Inputs must be finite (the parsers guarantee it); a NaN or infinity poisons the accumulator
// and Pearson() then reports null.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/result.h"
#include "core/state_codec.h"

namespace cryptomood {

class CoMoments {
 public:
  // Hot path (millions of calls per second), hence inline. The increments use
  // dx * dx * (n - 1) / n rather than dx * (x - new_mean) so that the rounding of the new mean
  // does not enter the sums to first order.
  void Add(double x, double y) {
    if (count_ == 0) [[unlikely]] {
      shift_x_ = x;
      shift_y_ = y;
    }
    ++count_;
    const double inverse_count = 1.0 / static_cast<double>(count_);
    const double weight = 1.0 - inverse_count;  // (n - 1) / n
    const double dx = (x - shift_x_) - shifted_mean_x_;
    const double dy = (y - shift_y_) - shifted_mean_y_;
    shifted_mean_x_ += dx * inverse_count;
    shifted_mean_y_ += dy * inverse_count;
    const double weighted_dx = dx * weight;
    m2_x_ += weighted_dx * dx;
    m2_y_ += dy * weight * dy;
    c_xy_ += weighted_dx * dy;
  }

  // Combines the pairs of other into this one, as if they had been added here; merging an empty
  // accumulator on either side is exact.
  void Merge(const CoMoments& other);
  // The same as Merge, under the name aggregate-function interfaces use (DuckDB's Combine).
  void Combine(const CoMoments& other) { Merge(other); }

  void EncodeState(StateWriter& writer) const;
  // Replaces this accumulator with the saved one; unchanged on error.
  Status DecodeState(StateReader& reader);

  std::int64_t count() const { return count_; }
  double mean_x() const { return shift_x_ + shifted_mean_x_; }
  double mean_y() const { return shift_y_ + shifted_mean_y_; }
  // Sums of squared deviations from the mean (n times the population variance).
  double m2_x() const { return m2_x_; }
  double m2_y() const { return m2_y_; }
  // Sum of co-deviations (n times the population covariance).
  double c_xy() const { return c_xy_; }

  // Pearson's r clamped to [-1, 1]; null when n < 3, when either variance is zero, or when the
  // inputs were not finite.
  std::optional<double> Pearson() const;

 private:
  // The floating-point fields in encoding order (const or not with self).
  template <typename Self>
  static auto DoubleFields(Self& self) {
    return std::array{
        &self.shift_x_, &self.shift_y_, &self.shifted_mean_x_, &self.shifted_mean_y_, &self.m2_x_,
        &self.m2_y_,    &self.c_xy_};
  }

  std::int64_t count_ = 0;
  double shift_x_ = 0.0;
  double shift_y_ = 0.0;
  double shifted_mean_x_ = 0.0;  // mean of (x - shift_x_)
  double shifted_mean_y_ = 0.0;
  double m2_x_ = 0.0;
  double m2_y_ = 0.0;
  double c_xy_ = 0.0;
};

}  // namespace cryptomood
