// Spearman's rank correlation: Pearson's r computed on the ranks of x and of y, where tied
// values share the mean of the ranks they span (average ranks). Ties are exact equality.
//
// Cost: O(n log n) for small n; large inputs are ranked with an LSD radix sort on the bits of
// the doubles, O(n). Memory is O(n) (40 bytes a pair), held in a SpearmanScratch that callers
// computing many coefficients keep and pass in, so the hot loop stops allocating once the
// buffers have grown.
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
  friend class SpearmanRanker;  // defined in rank_correlation.cc
  struct Entry {
    std::uint64_t key;  // orders like the double it encodes
    std::size_t position;
  };
  std::vector<Entry> sorted_;
  std::vector<Entry> radix_buffer_;
  std::vector<std::size_t> radix_counts_;
  std::vector<double> rank_deviations_;
};

// Null when x and y differ in length, n < 3, a value is NaN, or either side is constant (all
// ranks tied, so a rank variance is zero). Otherwise in [-1, 1].
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y,
                                  SpearmanScratch& scratch);

// Convenience form for one-off calls; allocates its own scratch.
std::optional<double> SpearmanRho(std::span<const double> x, std::span<const double> y);

}  // namespace cryptomood
