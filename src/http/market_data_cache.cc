#include "http/market_data_cache.h"

#include "core/status_macros.h"

namespace cryptomood::http {

Result<std::shared_ptr<const StoredMarketData>> MarketDataCache::Get(Store& store,
                                                                     const TimeRange& range,
                                                                     std::int64_t data_version) {
  MutexLock lock(mutex_);
  if (!whole_ || data_version_ != data_version) {
    // Dropped before loading: the old and the new copy never sit in memory together.
    whole_.reset();
    cut_.reset();
    CRYPTOMOOD_ASSIGN_OR_RETURN(whole_, LoadStoredMarketData(store, TimeRange{}));
    data_version_ = data_version;
  }
  if (!range.from && !range.to) return whole_;
  if (!cut_ || cut_range_.from != range.from || cut_range_.to != range.to) {
    cut_.reset();
    auto cut = std::make_shared<StoredMarketData>();
    cut->data = whole_->data.Within(range);
    cut->data_end = whole_->data_end;
    cut_ = std::move(cut);
    cut_range_ = range;
  }
  return cut_;
}

}  // namespace cryptomood::http
