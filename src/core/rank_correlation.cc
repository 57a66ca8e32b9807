#include "core/rank_correlation.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <latch>
#include <limits>
#include <type_traits>
#include <utility>

#include "core/ranking_helpers.h"

namespace cryptomood {

namespace {

// Unsigned integer that sorts like the (non-NaN) double: flip all bits of negatives, only the
// sign bit of positives. Adding 0.0 turns -0.0 into +0.0 so that the two, equal as doubles,
// also tie as keys.
std::uint64_t OrderedKey(double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value + 0.0);
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

// What the radix sort moves: an entry that carries its key, or a bare position whose key is
// read again from the input (see the header). TwiceDeviation holds twice a rank deviation.
using KeyedEntry = SpearmanScratch::KeyedEntry;
using CompactEntry = std::uint32_t;

template <typename Entry>
struct EntryKind;

template <>
struct EntryKind<KeyedEntry> {
  using TwiceDeviation = std::int64_t;
  static KeyedEntry Make(std::size_t position, std::uint64_t key) { return {key, position}; }
  static std::uint64_t Key(const KeyedEntry& entry, std::span<const double> /*values*/) {
    return entry.key;
  }
  static std::size_t Position(const KeyedEntry& entry) { return entry.position; }
};

template <>
struct EntryKind<CompactEntry> {
  using TwiceDeviation = std::int32_t;
  static CompactEntry Make(std::size_t position, std::uint64_t /*key*/) {
    return static_cast<CompactEntry>(position);
  }
  static std::uint64_t Key(CompactEntry entry, std::span<const double> values) {
    return OrderedKey(values[entry]);
  }
  static std::size_t Position(CompactEntry entry) { return entry; }
};

template <typename Entry>
class SpearmanRanker;

}  // namespace

// Builds rankers over a scratch's buffers (it may read the scratch's private members).
struct SpearmanScratchAccess {
  template <typename Entry>
  static SpearmanRanker<Entry> Ranker(SpearmanScratch& scratch);
};

namespace {

// Ranks with deviations from the mean rank rather than raw ranks: the mean of average ranks is
// always (n + 1) / 2, ties or not, so each deviation is an exact multiple of 0.5 and Pearson on
// the ranks needs no separate mean pass. They are kept doubled, as integers; doubling scales
// every sum by exactly 4, which the ratio cancels exactly.
template <typename Entry>
class SpearmanRanker {
 public:
  using Kind = EntryKind<Entry>;
  using TwiceDeviation = typename Kind::TwiceDeviation;

  SpearmanRanker(std::vector<Entry>& sorted, std::vector<Entry>& buffer,
                 std::vector<TwiceDeviation>& twice_deviations,
                 std::vector<TwiceDeviation>& y_twice_deviations, std::vector<std::size_t>& counts,
                 const CancellationToken& cancel)
      : sorted_(sorted),
        buffer_(buffer),
        twice_deviations_(twice_deviations),
        y_twice_deviations_(y_twice_deviations),
        counts_(counts),
        cancel_(cancel) {}

  // After a successful Rho: the robust inference of rho on the ranks, in position (time) order.
  RobustInference Robust(PriceSide price, double rho) const {
    const std::vector<TwiceDeviation>& first = twice_deviations_;
    const std::vector<TwiceDeviation>& second = y_twice_deviations_;
    const std::vector<TwiceDeviation>& sentiment = price == PriceSide::kFirst ? second : first;
    const std::vector<TwiceDeviation>& prices = price == PriceSide::kFirst ? first : second;
    return RobustInferenceOf(
        static_cast<std::int64_t>(first.size()),
        [&](std::int64_t i) { return static_cast<double>(sentiment[static_cast<std::size_t>(i)]); },
        [&](std::int64_t i) { return static_cast<double>(prices[static_cast<std::size_t>(i)]); },
        rho);
  }

  // `helpers` may sort y on another thread meanwhile (see SpearmanScratch::kShareFrom).
  std::optional<double> Rho(std::span<const double> x, std::span<const double> y,
                            RankingHelpers* helpers) {
    const std::size_t n = x.size();
    twice_deviations_.resize(n);
    y_twice_deviations_.resize(n);
    // Each sum runs in the same order whichever thread ranks y (x's sum in x's rank order,
    // y's sums in y's), so sharing cannot change a bit of the result.
    YSums y_sums;
    std::latch x_ranked(1);
    std::latch y_summed(1);
    const bool shared = helpers != nullptr && n >= SpearmanScratch::kShareFrom &&
                        helpers->TryHandOff([&](SpearmanScratch& helper_scratch) {
                          SpearmanRanker helper =
                              SpearmanScratchAccess::Ranker<Entry>(helper_scratch);
                          helper.SortByKey(y);
                          x_ranked.wait();
                          y_sums = helper.SumSortedY(y, twice_deviations_, y_twice_deviations_);
                          y_summed.count_down();
                        });
    double sum_squares_x = 0.0;
    SortByKey(x);
    VisitSortedGroups(x, [&](std::size_t position, TwiceDeviation deviation) {
      twice_deviations_[position] = deviation;
      sum_squares_x += static_cast<double>(deviation) * static_cast<double>(deviation);
    });
    if (shared) {
      x_ranked.count_down();
      y_summed.wait();
    } else {
      if (cancel_.StopRequested()) return std::nullopt;
      SortByKey(y);
      y_sums = SumSortedY(y, twice_deviations_, y_twice_deviations_);
    }
    if (cancel_.StopRequested()) return std::nullopt;

    if (sum_squares_x <= 0.0 || y_sums.squares <= 0.0) return std::nullopt;
    const double rho = y_sums.products / (std::sqrt(sum_squares_x) * std::sqrt(y_sums.squares));
    return std::clamp(rho, -1.0, 1.0);
  }

  // Fills sorted_ with an entry for every value, ordered by key. Ties may come in any order:
  // they share a rank.
  void SortByKey(std::span<const double> values) {
    const std::size_t n = values.size();
    sorted_.resize(n);
    const auto key = [&](const Entry& entry) { return Kind::Key(entry, values); };
    if (n < kRadixThreshold) {
      for (std::size_t i = 0; i < n; ++i) sorted_[i] = Kind::Make(i, OrderedKey(values[i]));
      std::sort(sorted_.begin(), sorted_.end(),
                [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
      return;
    }
    // One pass builds the histograms of every digit at once.
    counts_.assign(kBuckets * kDigits, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t value_key = OrderedKey(values[i]);
      sorted_[i] = Kind::Make(i, value_key);
      for (int digit = 0; digit < kDigits; ++digit) {
        ++counts_[digit * kBuckets + Digit(value_key, digit)];
      }
    }
    buffer_.resize(n);
    for (int digit = 0; digit < kDigits; ++digit) {
      // Each pass is one stretch of work; once cancelled the order no longer matters.
      if (cancel_.StopRequested()) return;
      std::size_t* bucket_start = counts_.data() + digit * kBuckets;
      // A digit that all keys share (sign and exponent bits of similar values) cannot reorder.
      if (bucket_start[Digit(key(sorted_[0]), digit)] == n) continue;
      std::size_t offset = 0;
      for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
        offset += std::exchange(bucket_start[bucket], offset);
      }
      // Stable scatter: equal digits keep the order of the previous pass, as LSD requires.
      for (const Entry& entry : sorted_) buffer_[bucket_start[Digit(key(entry), digit)]++] = entry;
      sorted_.swap(buffer_);
    }
  }

  struct YSums {
    double squares = 0.0;   // of y's twice deviations
    double products = 0.0;  // of x's and y's, position by position
  };

  // After SortByKey(y): y's sums, in y's rank order, against x's twice deviations; y's own
  // deviations go to y_deviations by position.
  YSums SumSortedY(std::span<const double> y, std::span<const TwiceDeviation> x_deviations,
                   std::span<TwiceDeviation> y_deviations) {
    YSums sums;
    VisitSortedGroups(y, [&](std::size_t position, TwiceDeviation deviation) {
      y_deviations[position] = deviation;
      const auto dy = static_cast<double>(deviation);
      sums.squares += dy * dy;
      sums.products += static_cast<double>(x_deviations[position]) * dy;
    });
    return sums;
  }

 private:
  static constexpr int kDigitBits = 11;
  static constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  static constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
  // Below this, the fixed cost of the radix histograms outweighs comparison sorting.
  static constexpr std::size_t kRadixThreshold = 4096;

  static std::size_t Digit(std::uint64_t key, int digit) {
    return static_cast<std::size_t>(key >> (digit * kDigitBits)) & (kBuckets - 1);
  }

  // After SortByKey(values): calls visit(position, 2 * (average rank - (n + 1) / 2)) once
  // for every element of values, in rank order.
  template <typename Visit>
  void VisitSortedGroups(std::span<const double> values, Visit visit) {
    const std::size_t n = sorted_.size();
    std::size_t group_begin = 0;
    while (group_begin < n) {
      const std::uint64_t group_key = Kind::Key(sorted_[group_begin], values);
      std::size_t group_end = group_begin + 1;
      while (group_end < n && Kind::Key(sorted_[group_end], values) == group_key) ++group_end;
      // The group holds 1-based ranks group_begin + 1 .. group_end; twice their mean minus
      // (n + 1): an integer within +-(n - 1).
      const auto deviation =
          static_cast<TwiceDeviation>(group_begin + group_end) - static_cast<TwiceDeviation>(n);
      for (std::size_t i = group_begin; i < group_end; ++i) {
        visit(Kind::Position(sorted_[i]), deviation);
      }
      group_begin = group_end;
    }
  }

  std::vector<Entry>& sorted_;
  std::vector<Entry>& buffer_;
  std::vector<TwiceDeviation>& twice_deviations_;
  std::vector<TwiceDeviation>& y_twice_deviations_;
  std::vector<std::size_t>& counts_;
  const CancellationToken& cancel_;
};

}  // namespace

template <typename Entry>
SpearmanRanker<Entry> SpearmanScratchAccess::Ranker(SpearmanScratch& scratch) {
  if constexpr (std::is_same_v<Entry, KeyedEntry>) {
    return {scratch.keyed_,
            scratch.keyed_buffer_,
            scratch.keyed_twice_deviations_,
            scratch.keyed_y_twice_deviations_,
            scratch.radix_counts_,
            *scratch.cancel_};
  } else {
    return {scratch.compact_,
            scratch.compact_buffer_,
            scratch.compact_twice_deviations_,
            scratch.compact_y_twice_deviations_,
            scratch.radix_counts_,
            *scratch.cancel_};
  }
}

namespace {

bool HasNaN(std::span<const double> values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

}  // namespace

namespace {

template <typename Entry>
SpearmanInference RankAndInfer(std::span<const double> x, std::span<const double> y,
                               std::optional<PriceSide> price, SpearmanScratch& scratch,
                               RankingHelpers* helpers) {
  SpearmanRanker<Entry> ranker = SpearmanScratchAccess::Ranker<Entry>(scratch);
  SpearmanInference out;
  out.rho = ranker.Rho(x, y, helpers);
  if (out.rho && price) out.robust = ranker.Robust(*price, *out.rho);
  return out;
}

}  // namespace

SpearmanInference SpearmanWithInference(std::span<const double> x, std::span<const double> y,
                                        std::optional<PriceSide> price, SpearmanScratch& scratch) {
  const std::size_t n = x.size();
  if (y.size() != n || n < 3 || HasNaN(x) || HasNaN(y)) return {};
  // From the default threshold on, (key, position) entries would take 18 MB or more (the
  // compact way a third): a server ranking a few symbols' pairs at once on each core stays
  // light.
  const bool compact = n >= scratch.compact_from_ &&
                       n <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  if (compact) return RankAndInfer<CompactEntry>(x, y, price, scratch, scratch.helpers_);
  return RankAndInfer<KeyedEntry>(x, y, price, scratch, scratch.helpers_);
}

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch) {
  return SpearmanWithInference(x, y, std::nullopt, scratch).rho;
}

std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y) {
  SpearmanScratch scratch;
  return SpearmanRho(x, y, scratch);
}

}  // namespace cryptomood
