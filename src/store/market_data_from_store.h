// LoadMarketDataFromStore: builds the analysis input (MarketData) from a Store instead of
// from files, so `analyze` over stored data gives the same numbers as over the files that
// were ingested: the same points per symbol and per coin, in the same order (timestamp, then
// input order, which the store keeps as arrival order).
// Selection: trades of symbols whose base is in `coins` (empty: all) within `range`; tweets
// within `range`, all of them when `all_sentiment` (compat mode pools every tweet, whatever
// coin it names, as analyze does) or only those naming one of `coins`.
// Memory: the MarketData itself (plus 4 bytes a trade when trade orders are asked for, 8 while
// loading); rows stream from the store.
// Thread-safety: uses the store from the calling thread only.
#pragma once

#include <string>
#include <vector>

#include "core/market_data.h"
#include "core/result.h"
#include "core/trade_orders.h"
#include "io/market_data_loader.h"
#include "store/store.h"

namespace cryptomood {

struct StoreLoadOptions {
  std::vector<std::string> coins;
  TimeRange range;
  bool all_sentiment = true;
};

// The counts report what was loaded: lines = accepted = points read, nothing rejected.
// `orders`, when given, receives each loaded trade's store order.
Result<LoadedInput> LoadMarketDataFromStore(Store& store, const StoreLoadOptions& options,
                                            TradeOrders* orders = nullptr);

}  // namespace cryptomood
