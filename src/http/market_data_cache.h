// MarketDataCache: the data set the computed replies read, loaded from the store once per
// (time range, data version) and shared, so the dashboard's four requests for one view (the
// series, the windowed correlation, the lag scan, the summary) load the store once, not four
// times. Holds one entry, the latest: a server's RSS budget has room for one copy of the data
// (24 bytes a trade), not several.
// Thread-safety: Get may be called from any thread; loads are serialized.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "core/result.h"
#include "http/computed_replies.h"
#include "store/store.h"

namespace cryptomood::http {

class MarketDataCache {
 public:
  Result<std::shared_ptr<const StoredMarketData>> Get(Store& store, const TimeRange& range,
                                                      std::int64_t data_version);

 private:
  std::mutex mutex_;
  TimeRange range_;
  std::int64_t data_version_ = -1;
  std::shared_ptr<const StoredMarketData> data_;
};

}  // namespace cryptomood::http
