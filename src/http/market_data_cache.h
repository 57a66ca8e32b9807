// MarketDataCache: the data set the computed replies read, loaded from the store once per
// data version and shared, so the dashboard's requests (the series, the windowed correlation,
// the lag scan, the summary, every zoom) load the store once, not each time. A request for a
// time range gets a cut of the whole (MarketData::Within: binary searches, no store access);
// the latest cut is kept too, as a view's four requests share their range. The whole data
// set costs 24 bytes a trade and about 50 a tweet.
// Thread-safety: Get may be called from any thread; loads are serialized.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/mutex.h"
#include "core/result.h"
#include "core/thread_annotations.h"
#include "http/computed_replies.h"
#include "store/store.h"

namespace cryptomood::http {

class MarketDataCache {
 public:
  Result<std::shared_ptr<const StoredMarketData>> Get(Store& store, const TimeRange& range,
                                                      std::int64_t data_version) EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  std::int64_t data_version_ GUARDED_BY(mutex_) = -1;
  std::shared_ptr<const StoredMarketData> whole_ GUARDED_BY(mutex_);
  TimeRange cut_range_ GUARDED_BY(mutex_);
  std::shared_ptr<const StoredMarketData> cut_ GUARDED_BY(mutex_);
};

}  // namespace cryptomood::http
