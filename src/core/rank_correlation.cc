#include "core/rank_correlation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <utility>

namespace cryptomood {

// Ranks with deviations from the mean rank rather than raw ranks: the mean of average ranks is
// always (n + 1) / 2, ties or not, so each deviation is an exact multiple of 0.5 and Pearson on
// the ranks needs no separate mean pass.
class SpearmanRanker {
 public:
  explicit SpearmanRanker(SpearmanScratch& scratch) : scratch_(scratch) {}

  std::optional<double> Rho(std::span<const double> x, std::span<const double> y) {
    const std::size_t n = x.size();
    if (y.size() != n || n < 3 || HasNaN(x) || HasNaN(y)) return std::nullopt;

    std::vector<double>& deviations_x = scratch_.rank_deviations_;
    deviations_x.resize(n);
    double sum_squares_x = 0.0;
    VisitRankDeviations(x, [&](std::size_t position, double deviation) {
      deviations_x[position] = deviation;
      sum_squares_x += deviation * deviation;
    });
    double sum_squares_y = 0.0;
    double sum_products = 0.0;
    VisitRankDeviations(y, [&](std::size_t position, double deviation) {
      sum_squares_y += deviation * deviation;
      sum_products += deviations_x[position] * deviation;
    });

    if (sum_squares_x <= 0.0 || sum_squares_y <= 0.0) return std::nullopt;
    const double rho = sum_products / (std::sqrt(sum_squares_x) * std::sqrt(sum_squares_y));
    return std::clamp(rho, -1.0, 1.0);
  }

 private:
  using Entry = SpearmanScratch::Entry;
  static constexpr int kDigitBits = 11;
  static constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  static constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
  // Below this, the fixed cost of the radix histograms outweighs comparison sorting.
  static constexpr std::size_t kRadixThreshold = 4096;

  static bool HasNaN(std::span<const double> values) {
    return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  }

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

  // Fills scratch_.sorted_ with (key, position) for every value, ordered by key.
  void SortByKey(std::span<const double> values) {
    const std::size_t n = values.size();
    std::vector<Entry>& sorted = scratch_.sorted_;
    sorted.resize(n);
    if (n < kRadixThreshold) {
      for (std::size_t i = 0; i < n; ++i) sorted[i] = {OrderedKey(values[i]), i};
      std::sort(sorted.begin(), sorted.end(),
                [](const Entry& a, const Entry& b) { return a.key < b.key; });
      return;
    }
    // One pass builds the histograms of every digit at once.
    std::vector<std::size_t>& counts = scratch_.radix_counts_;
    counts.assign(kBuckets * kDigits, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t key = OrderedKey(values[i]);
      sorted[i] = {key, i};
      for (int digit = 0; digit < kDigits; ++digit) ++counts[digit * kBuckets + Digit(key, digit)];
    }
    std::vector<Entry>& buffer = scratch_.radix_buffer_;
    buffer.resize(n);
    for (int digit = 0; digit < kDigits; ++digit) {
      std::size_t* bucket_start = counts.data() + digit * kBuckets;
      // A digit that all keys share (sign and exponent bits of similar values) cannot reorder.
      if (bucket_start[Digit(sorted[0].key, digit)] == n) continue;
      std::size_t offset = 0;
      for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
        offset += std::exchange(bucket_start[bucket], offset);
      }
      // Stable scatter: equal digits keep the order of the previous pass, as LSD requires.
      for (const Entry& entry : sorted) buffer[bucket_start[Digit(entry.key, digit)]++] = entry;
      sorted.swap(buffer);
    }
  }

  // Calls visit(position, average rank - (n + 1) / 2) once for every element of values.
  template <typename Visit>
  void VisitRankDeviations(std::span<const double> values, Visit visit) {
    SortByKey(values);
    const std::vector<Entry>& sorted = scratch_.sorted_;
    const std::size_t n = sorted.size();
    const auto count = static_cast<double>(n);
    std::size_t group_begin = 0;
    while (group_begin < n) {
      std::size_t group_end = group_begin + 1;
      while (group_end < n && sorted[group_end].key == sorted[group_begin].key) ++group_end;
      // The group holds 1-based ranks group_begin + 1 .. group_end; their mean minus (n + 1) / 2.
      const double deviation = 0.5 * (static_cast<double>(group_begin + group_end) - count);
      for (std::size_t i = group_begin; i < group_end; ++i) visit(sorted[i].position, deviation);
      group_begin = group_end;
    }
  }

  SpearmanScratch& scratch_;
};

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch) {
  return SpearmanRanker(scratch).Rho(x, y);
}

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y) {
  SpearmanScratch scratch;
  return SpearmanRho(x, y, scratch);
}

}  // namespace cryptomood
