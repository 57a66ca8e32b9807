// Spearman's rank correlation: Pearson's r computed on the ranks of x and of y, where tied
// values share the mean of the ranks they span (average ranks). Ties are exact equality.
//
// Cost: O(n log n) for small n; large inputs are ranked with an LSD radix sort on the bits of
// the doubles, O(n). Memory is O(n) but kept small, 12 bytes a pair: the sort moves 32-bit
// positions only (each pass reads the key again from the input rather than carrying it), and
// ranks are kept as integers (twice the deviation from the mean rank). A server ranking two
// million pairs needs 24 MB for it, not the 80 MB that (key, position) entries took. The
// memory is held in a SpearmanScratch that callers computing many coefficients keep and pass
// in, so the hot loop stops allocating once the buffers have grown.
// Thread-safety: the functions are pure; a SpearmanScratch belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cryptomood {

// Reusable working memory for SpearmanRho. Its contents between calls are unspecified; it only
// ever grows, to the largest n seen.
class SpearmanScratch {
 private:
  friend std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                           SpearmanScratch& scratch);
  std::vector<std::uint32_t> order_;  // positions, sorted by key as the ranking proceeds
  std::vector<std::uint32_t> order_buffer_;
  std::vector<std::int32_t> twice_deviations_;  // of x, by position
  std::vector<std::size_t> radix_counts_;
};

// Null when x and y differ in length, n < 3, a value is NaN, or either side is constant (all
// ranks tied, so a rank variance is zero). Otherwise in [-1, 1].
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch);

// Convenience form for one-off calls; allocates its own scratch.
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y);

}  // namespace cryptomood
