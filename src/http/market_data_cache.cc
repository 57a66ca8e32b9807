#include "http/market_data_cache.h"

namespace cryptomood::http {

Result<std::shared_ptr<const StoredMarketData>> MarketDataCache::Get(Store& store,
                                                                     const TimeRange& range,
                                                                     std::int64_t data_version) {
  std::lock_guard lock(mutex_);
  if (data_ && data_version_ == data_version && range_.from == range.from &&
      range_.to == range.to) {
    return data_;
  }
  // Dropped before loading: the old and the new copy never sit in memory together.
  data_.reset();
  auto loaded = LoadStoredMarketData(store, range);
  if (!loaded) return loaded.error();
  data_ = *loaded;
  range_ = range;
  data_version_ = data_version;
  return data_;
}

}  // namespace cryptomood::http
