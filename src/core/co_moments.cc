#include "core/co_moments.h"

#include <algorithm>
#include <cmath>

namespace cryptomood {

void CoMoments::Merge(const CoMoments& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const auto total = static_cast<double>(count_ + other.count_);
  const double other_fraction = static_cast<double>(other.count_) / total;
  // n_a * n_b / n, written so that it cannot overflow for any realistic count.
  const double cross_weight = static_cast<double>(count_) * other_fraction;
  // The shifts differ by about the spread of the data, so this difference is (nearly) exact and
  // the offset never meets the small deviations in one rounding.
  const double delta_x = (other.shift_x_ - shift_x_) + (other.shifted_mean_x_ - shifted_mean_x_);
  const double delta_y = (other.shift_y_ - shift_y_) + (other.shifted_mean_y_ - shifted_mean_y_);
  shifted_mean_x_ += delta_x * other_fraction;
  shifted_mean_y_ += delta_y * other_fraction;
  m2_x_ += other.m2_x_ + delta_x * delta_x * cross_weight;
  m2_y_ += other.m2_y_ + delta_y * delta_y * cross_weight;
  c_xy_ += other.c_xy_ + delta_x * delta_y * cross_weight;
  count_ += other.count_;
}

void CoMoments::EncodeState(StateWriter& writer) const {
  EncodeValue(writer, count_);
  for (const double* field : DoubleFields(*this)) EncodeValue(writer, *field);
}

Status CoMoments::DecodeState(StateReader& reader) {
  CoMoments decoded;
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.count_));
  if (decoded.count_ < 0) return CorruptState("a negative pair count");
  for (double* field : DoubleFields(decoded))
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, *field));
  *this = decoded;
  return Status::Ok();
}

std::optional<double> CoMoments::Pearson() const {
  if (count_ < 3) return std::nullopt;
  // Written as negations so that NaN moments (non-finite inputs) also give null.
  if (!(m2_x_ > 0.0) || !(m2_y_ > 0.0)) return std::nullopt;
  const double r = c_xy_ / (std::sqrt(m2_x_) * std::sqrt(m2_y_));
  if (!std::isfinite(r)) return std::nullopt;
  return std::clamp(r, -1.0, 1.0);
}

}  // namespace cryptomood
