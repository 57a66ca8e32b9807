#include "io/content_keys.h"

#include <algorithm>
#include <bit>
#include <cstdint>

#include "io/content_hash.h"

namespace cryptomood {

void SortedCoinSet(std::span<const std::string_view> coins,
                   std::vector<std::string_view>& coin_set) {
  coin_set.assign(coins.begin(), coins.end());
  std::sort(coin_set.begin(), coin_set.end());
  coin_set.erase(std::unique(coin_set.begin(), coin_set.end()), coin_set.end());
}

Key128 SentimentContentKey(TimestampNs timestamp, std::span<const std::string_view> coin_set,
                           double polarity, std::string_view text) {
  ContentHasher hasher;
  hasher.AddWord(static_cast<std::uint64_t>(timestamp));
  hasher.AddWord(coin_set.size());
  for (std::string_view coin : coin_set) hasher.AddBytes(coin);
  const double normalized = polarity == 0 ? 0.0 : polarity;
  hasher.AddWord(std::bit_cast<std::uint64_t>(normalized));
  hasher.AddBytes(text);
  return hasher.Finish();
}

Key128 RejectedLineKey(std::string_view raw_line) {
  ContentHasher hasher;
  hasher.AddBytes(raw_line);
  return hasher.Finish();
}

}  // namespace cryptomood
