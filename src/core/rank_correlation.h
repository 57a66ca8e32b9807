// Spearman's rank correlation: Pearson's r computed on the ranks of x and of y, where tied
// values share the mean of the ranks they span (average ranks). Ties are exact equality.
//
// Cost: O(n log n) for small n; large inputs are ranked with an LSD radix sort on the bits of
// the doubles, O(n). Memory is O(n), held in a SpearmanScratch that callers computing many
// coefficients keep and pass in, so the hot loop stops allocating once the buffers have grown.
// Up to about half a million pairs the sort moves (key, position) entries, 36 bytes a pair, reading
// memory in order. Beyond that it moves bare 32-bit positions and reads each key again from
// the input at every pass: 12 bytes a pair, and slower, since those reads are random. A
// server ranking the two million pooled pairs of a compat result then needs 24 MB, not 72.
// Ranks are kept as integers (twice the deviation from the mean rank) either way, and both
// ways give the same bits.
// Thread-safety: the functions are pure; a SpearmanScratch belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/cancellation.h"
#include "core/robust_inference.h"

namespace cryptomood {

// Reusable working memory for SpearmanRho. Its contents between calls are unspecified; it only
// ever grows, to the largest n seen.
class RankingHelpers;

// Spearman's rho with the robust inference of it computed on the ranks (core/robust_inference.h).
struct SpearmanInference {
  std::optional<double> rho;
  RobustInference robust;
};

class SpearmanScratch {
 public:
  // Up to this many pairs the faster (key, position) entries are used, beyond it the compact
  // ones. The default suits a server ranking several results at once within a memory budget;
  // a one-off run that has the memory may raise it.
  static constexpr std::size_t kDefaultCompactFrom = std::size_t{1} << 19;
  explicit SpearmanScratch(std::size_t compact_from = kDefaultCompactFrom)
      : compact_from_(compact_from) {}

  // A value's sort key (its bits, ordered like the double) and its position in the input.
  struct KeyedEntry {
    std::uint64_t key;
    std::uint64_t position;
  };

  // Rankings of at least kShareFrom pairs then sort y on an idle helper thread, if one is
  // free, while this thread sorts x: the same bits, sooner. Null (the default) never shares.
  static constexpr std::size_t kShareFrom = std::size_t{1} << 16;
  void ShareRankingsWith(RankingHelpers* helpers) { helpers_ = helpers; }

  // Rankings with this scratch poll `cancel` (borrowed; it must outlive the scratch's use)
  // between the passes of their sort, and give up (a null rho) once it is cancelled.
  void StopWhen(const CancellationToken& cancel) { cancel_ = &cancel; }

 private:
  friend SpearmanInference SpearmanWithInference(std::span<const double> x,
                                                 std::span<const double> y,
                                                 std::optional<PriceSide> price,
                                                 SpearmanScratch& scratch);
  friend struct SpearmanScratchAccess;
  // The faster way, for up to about half a million pairs.
  std::vector<KeyedEntry> keyed_;
  std::vector<KeyedEntry> keyed_buffer_;
  std::vector<std::int64_t> keyed_twice_deviations_;    // of x, by position
  std::vector<std::int64_t> keyed_y_twice_deviations_;  // of y, by position
  // The compact way, for more: positions only.
  std::vector<std::uint32_t> compact_;
  std::vector<std::uint32_t> compact_buffer_;
  std::vector<std::int32_t> compact_twice_deviations_;
  std::vector<std::int32_t> compact_y_twice_deviations_;
  std::vector<std::size_t> radix_counts_;
  std::size_t compact_from_;
  RankingHelpers* helpers_ = nullptr;
  const CancellationToken* cancel_ = &CancellationToken::Never();
};

// Null when x and y differ in length, n < 3, a value is NaN, or either side is constant (all
// ranks tied, so a rank variance is zero). Otherwise in [-1, 1].
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch);

// rho and, when `price` says which of x and y is the price side, the robust inference of rho on
// the average ranks in input order (the pairs must be in time order). Null as SpearmanRho.
SpearmanInference SpearmanWithInference(std::span<const double> x, std::span<const double> y,
                                        std::optional<PriceSide> price, SpearmanScratch& scratch);

// Convenience form for one-off calls; allocates its own scratch.
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y);

}  // namespace cryptomood
