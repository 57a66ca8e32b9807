// The computed routes: /correlation runs the engine's Analyze over data loaded from the store
// (the same code path as `cryptomood analyze` over files), /series builds each symbol's bar
// series. Both produce a whole reply body (they are small: one row per symbol, window and
// lag, or at most max_points bars per symbol), which the server caches per data version.
// Thread-safety: each call uses the Store it is given from the calling thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/market_data.h"
#include "core/result.h"
#include "http/api_queries.h"
#include "store/market_data_from_store.h"
#include "store/store.h"

namespace cryptomood::http {

// What the computed replies read: every stored trade and tweet within a time range, loaded
// as `analyze` loads files (all coins; each reply selects its own), and the latest trade
// timestamp of the whole store (where bars stop being complete).
struct StoredMarketData {
  MarketData data;
  std::optional<TimestampNs> data_end;
  // Each trade's store order, parallel to data.trades(symbol), for /merged's cursors. Only
  // the whole data set (LoadStoredMarketData) carries them; a time-range cut does not.
  TradeOrders trade_orders;
};
Result<std::shared_ptr<const StoredMarketData>> LoadStoredMarketData(Store& store,
                                                                     const TimeRange& range);

// kUsage errors are the caller's fault (e.g. too many bars). `stored` must hold request.range.
Result<std::string> ComputeCorrelationReply(const StoredMarketData& stored,
                                            const CorrelationRequest& request);
Result<std::string> ComputeSeriesReply(const StoredMarketData& stored,
                                       const SeriesRequest& request);
// /symbols: every symbol with its coin and quote, by symbol_id.
Result<std::string> ComputeSymbolsReply(Store& store, ResponseFormat format);

}  // namespace cryptomood::http
