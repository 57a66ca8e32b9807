// The computed routes: /correlation runs the engine's Analyze over data loaded from the store
// (the same code path as `cryptomood analyze` over files), /series builds each symbol's bar
// series. Both produce a whole reply body (they are small: one row per symbol, window and
// lag, or at most max_points bars per symbol), which the server caches per data version.
// Thread-safety: each call uses the Store it is given from the calling thread.
#pragma once

#include <string>

#include "core/result.h"
#include "http/api_queries.h"
#include "store/store.h"

namespace cryptomood::http {

// kUsage errors are the caller's fault (e.g. too many bars), the rest are the store's.
Result<std::string> ComputeCorrelationReply(Store& store, const CorrelationRequest& request);
Result<std::string> ComputeSeriesReply(Store& store, const SeriesRequest& request);
// /symbols: every symbol with its coin and quote, by symbol_id.
Result<std::string> ComputeSymbolsReply(Store& store, ResponseFormat format);

}  // namespace cryptomood::http
