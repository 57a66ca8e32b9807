#include "core/rank_correlation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

namespace cryptomood {

// Ranks with deviations from the mean rank rather than raw ranks: the mean of average ranks is
// always (n + 1) / 2, ties or not, so each deviation is an exact multiple of 0.5 and Pearson on
// the ranks needs no separate mean pass. They are kept doubled, as integers of the signed
// form of Index; doubling scales every sum by exactly 4, which the ratio cancels exactly.
// Index is the position type: 32 bits (the scratch's vectors) up to 2^31 - 1 pairs, 64 bits
// in vectors of the ranker's own beyond that.
template <typename Index>
class SpearmanRanker {
 public:
  using TwiceDeviation = std::make_signed_t<Index>;

  SpearmanRanker(std::vector<Index>& order, std::vector<Index>& order_buffer,
                 std::vector<TwiceDeviation>& twice_deviations, std::vector<std::size_t>& counts)
      : order_(order),
        order_buffer_(order_buffer),
        twice_deviations_(twice_deviations),
        counts_(counts) {}

  std::optional<double> Rho(std::span<const double> x, std::span<const double> y) {
    const std::size_t n = x.size();
    twice_deviations_.resize(n);
    double sum_squares_x = 0.0;
    VisitTwiceDeviations(x, [&](Index position, TwiceDeviation deviation) {
      twice_deviations_[position] = deviation;
      sum_squares_x += static_cast<double>(deviation) * static_cast<double>(deviation);
    });
    double sum_squares_y = 0.0;
    double sum_products = 0.0;
    VisitTwiceDeviations(y, [&](Index position, TwiceDeviation deviation) {
      const auto dy = static_cast<double>(deviation);
      sum_squares_y += dy * dy;
      sum_products += static_cast<double>(twice_deviations_[position]) * dy;
    });

    if (sum_squares_x <= 0.0 || sum_squares_y <= 0.0) return std::nullopt;
    const double rho = sum_products / (std::sqrt(sum_squares_x) * std::sqrt(sum_squares_y));
    return std::clamp(rho, -1.0, 1.0);
  }

 private:
  static constexpr int kDigitBits = 11;
  static constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  static constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
  // Below this, the fixed cost of the radix histograms outweighs comparison sorting.
  static constexpr std::size_t kRadixThreshold = 4096;

  // Unsigned integer that sorts like the (non-NaN) double: flip all bits of negatives, only the
  // sign bit of positives. Adding 0.0 turns -0.0 into +0.0 so that the two, equal as doubles,
  // also tie as keys.
  static std::uint64_t OrderedKey(double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value + 0.0);
    constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
    return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
  }

  static std::size_t Digit(std::uint64_t key, int digit) {
    return static_cast<std::size_t>(key >> (digit * kDigitBits)) & (kBuckets - 1);
  }

  // Fills order_ with every position, ordered by key. Ties may come in any order: they share
  // a rank.
  void SortByKey(std::span<const double> values) {
    const std::size_t n = values.size();
    order_.resize(n);
    const auto key_at = [&](Index position) { return OrderedKey(values[position]); };
    if (n < kRadixThreshold) {
      for (std::size_t i = 0; i < n; ++i) order_[i] = static_cast<Index>(i);
      std::sort(order_.begin(), order_.end(),
                [&](Index a, Index b) { return key_at(a) < key_at(b); });
      return;
    }
    // One pass builds the histograms of every digit at once.
    counts_.assign(kBuckets * kDigits, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t key = OrderedKey(values[i]);
      order_[i] = static_cast<Index>(i);
      for (int digit = 0; digit < kDigits; ++digit) ++counts_[digit * kBuckets + Digit(key, digit)];
    }
    order_buffer_.resize(n);
    for (int digit = 0; digit < kDigits; ++digit) {
      std::size_t* bucket_start = counts_.data() + digit * kBuckets;
      // A digit that all keys share (sign and exponent bits of similar values) cannot reorder.
      if (bucket_start[Digit(key_at(order_[0]), digit)] == n) continue;
      std::size_t offset = 0;
      for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
        offset += std::exchange(bucket_start[bucket], offset);
      }
      // Stable scatter: equal digits keep the order of the previous pass, as LSD requires.
      for (const Index position : order_) {
        order_buffer_[bucket_start[Digit(key_at(position), digit)]++] = position;
      }
      order_.swap(order_buffer_);
    }
  }

  // Calls visit(position, 2 * (average rank - (n + 1) / 2)) once for every element of values.
  template <typename Visit>
  void VisitTwiceDeviations(std::span<const double> values, Visit visit) {
    SortByKey(values);
    const std::size_t n = order_.size();
    std::size_t group_begin = 0;
    std::uint64_t group_key = 0;
    while (group_begin < n) {
      group_key = OrderedKey(values[order_[group_begin]]);
      std::size_t group_end = group_begin + 1;
      while (group_end < n && OrderedKey(values[order_[group_end]]) == group_key) ++group_end;
      // The group holds 1-based ranks group_begin + 1 .. group_end; twice their mean minus
      // (n + 1): an integer, odd or even, within +-(n - 1).
      const auto deviation =
          static_cast<TwiceDeviation>(group_begin + group_end) - static_cast<TwiceDeviation>(n);
      for (std::size_t i = group_begin; i < group_end; ++i) visit(order_[i], deviation);
      group_begin = group_end;
    }
  }

  std::vector<Index>& order_;
  std::vector<Index>& order_buffer_;
  std::vector<TwiceDeviation>& twice_deviations_;
  std::vector<std::size_t>& counts_;
};

namespace {

bool HasNaN(std::span<const double> values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

}  // namespace

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch) {
  const std::size_t n = x.size();
  if (y.size() != n || n < 3 || HasNaN(x) || HasNaN(y)) return std::nullopt;
  if (n <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return SpearmanRanker<std::uint32_t>(scratch.order_, scratch.order_buffer_,
                                         scratch.twice_deviations_, scratch.radix_counts_)
        .Rho(x, y);
  }
  std::vector<std::uint64_t> order;
  std::vector<std::uint64_t> order_buffer;
  std::vector<std::int64_t> twice_deviations;
  return SpearmanRanker<std::uint64_t>(order, order_buffer, twice_deviations, scratch.radix_counts_)
      .Rho(x, y);
}

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y) {
  SpearmanScratch scratch;
  return SpearmanRho(x, y, scratch);
}

}  // namespace cryptomood
