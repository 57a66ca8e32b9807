// CorrelationAccumulator: everything one result row needs from its pairs. Centred co-moments
// give Pearson incrementally and merge exactly; Spearman needs ranks, so the pairs themselves
// are kept too (16 bytes a pair). Also tracks the first and last timestamp that entered.
// Invariant: the pair buffers hold count() pairs each; the timestamps are set iff count() > 0.
// State: EncodeState/DecodeState save and restore all of it (core/state_codec.h).
// Ownership: owns its pair buffers. Thread-safety: none.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/co_moments.h"
#include "core/correlation_statistics.h"
#include "core/rank_correlation.h"
#include "core/reserve_hint.h"
#include "core/result.h"
#include "core/state_codec.h"
#include "core/timestamp.h"

namespace cryptomood {

class CorrelationAccumulator {
 public:
  void Add(TimestampNs timestamp, double x, double y) {
    moments_.Add(x, y);
    xs_.push_back(x);
    ys_.push_back(y);
    first_ = first_ ? std::min(*first_, timestamp) : timestamp;
    last_ = last_ ? std::max(*last_, timestamp) : timestamp;
  }

  void Merge(const CorrelationAccumulator& other) {
    moments_.Merge(other.moments_);
    xs_.insert(xs_.end(), other.xs_.begin(), other.xs_.end());
    ys_.insert(ys_.end(), other.ys_.begin(), other.ys_.end());
    if (other.first_) first_ = first_ ? std::min(*first_, *other.first_) : *other.first_;
    if (other.last_) last_ = last_ ? std::max(*last_, *other.last_) : *other.last_;
  }
  // The same as Merge, under the name aggregate-function interfaces use (DuckDB's Combine).
  void Combine(const CorrelationAccumulator& other) { Merge(other); }

  // Room for `pairs` pairs up front, as a hint: a run that knows how many pairs at most will
  // come (its trades) saves the copies of growing, and pages it never fills are never touched.
  void Reserve(std::size_t pairs) {
    ReserveHint(xs_, pairs);
    ReserveHint(ys_, pairs);
  }
  std::int64_t count() const { return moments_.count(); }
  const CoMoments& moments() const { return moments_; }
  std::optional<TimestampNs> first_timestamp() const { return first_; }
  std::optional<TimestampNs> last_timestamp() const { return last_; }
  // `price` names the price side of the pairs as added. The scratch is the ranking's working
  // memory; reuse one per thread across many calls.
  CorrelationStatistics Summarize(PriceSide price, SpearmanScratch& scratch) const {
    return cryptomood::Summarize(moments_, xs_, ys_, price, scratch);
  }

  // Estimate of the heap bytes held: the pair buffers' capacity.
  std::size_t heap_bytes() const { return (xs_.capacity() + ys_.capacity()) * sizeof(double); }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, moments_);
    EncodeValue(writer, xs_);
    EncodeValue(writer, ys_);
    EncodeValue(writer, first_);
    EncodeValue(writer, last_);
  }

  // Replaces this accumulator with the saved one; unchanged on error.
  Status DecodeState(StateReader& reader) {
    CorrelationAccumulator decoded;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.moments_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.xs_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.ys_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.first_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.last_));
    const auto count = static_cast<std::uint64_t>(decoded.count());
    const bool has_pairs = count > 0;
    if (decoded.xs_.size() != count || decoded.ys_.size() != count ||
        decoded.first_.has_value() != has_pairs || decoded.last_.has_value() != has_pairs) {
      return CorruptState("an accumulator's pairs, count and timestamps disagree");
    }
    *this = std::move(decoded);
    return Status::Ok();
  }

 private:
  CoMoments moments_;
  std::vector<double> xs_;
  std::vector<double> ys_;
  std::optional<TimestampNs> first_;
  std::optional<TimestampNs> last_;
};

}  // namespace cryptomood
