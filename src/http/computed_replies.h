// The computed routes: /correlation runs the engine's Analyze over data loaded from the store
// (the same code path as `cryptomood analyze` over files), /series builds each symbol's bar
// series. Both produce a whole reply body (they are small: one row per symbol, window and
// lag, or at most max_points bars per symbol), which the server caches per data version.
// /correlation?source=stream instead reads the rows a stream stored, streamed and uncached.
// Thread-safety: each call uses the Store it is given from the calling thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/cancellation.h"
#include "core/diagnostics.h"
#include "core/market_data.h"
#include "core/result.h"
#include "http/api_queries.h"
#include "store/market_data_from_store.h"
#include "store/store.h"

namespace cryptomood::http {

// The core parameters of a /diagnostics request (shared with its cost check).
DiagnosticsParams DiagnosticsParamsOf(const DiagnosticsRequest& request,
                                      std::optional<TimestampNs> data_end);

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
// The work has no bound of its own: a server checks the request's cost first
// (http/request_cost.h). Both computed replies poll `cancel` every few milliseconds of work
// and, once it is cancelled, free what they built and fail with its CancelledError (kCancelled).
Result<std::string> ComputeCorrelationReply(const StoredMarketData& stored,
                                            const CorrelationRequest& request,
                                            const CancellationToken& cancel);
// /correlation?source=stream: the rows a stream stored under request.stream_key, of the
// request's coins and with window starts in its range, in (symbol_id, window start, lag)
// order, as {"data": [...]} (json) or one object a line (ndjson). Reads only stream rows (no
// trade or tweet is loaded) and hands the reply to `write` piece by piece, so memory stays
// flat however many rows match; `write` returning false stops it with an error. With
// `through_sequence` only rows committed up to that sequence number are written (rows
// re-committed since then come with the /events that follow it).
using ReplyWriter = std::function<bool(std::string_view bytes)>;
Status WriteStreamCorrelationReply(Store& store, const CorrelationRequest& request,
                                   std::optional<std::int64_t> through_sequence,
                                   const ReplyWriter& write);
Result<std::string> ComputeSeriesReply(const StoredMarketData& stored, const SeriesRequest& request,
                                       const CancellationToken& cancel);
// /diagnostics: {"diagnostics": [...]}, the rows of core/diagnostics.h as the CLI writes them
// (io/diagnostics_writer.h).
Result<std::string> ComputeDiagnosticsReply(const StoredMarketData& stored,
                                            const DiagnosticsRequest& request,
                                            const CancellationToken& cancel);
// /causality: {"causality": [...]}, the rows `analyze --granger` prints (io/causality_writer.h).
Result<std::string> ComputeCausalityReply(const StoredMarketData& stored,
                                          const CausalityRequest& request,
                                          const CancellationToken& cancel);
// /symbols: every symbol with its coin and quote, by symbol_id.
Result<std::string> ComputeSymbolsReply(Store& store, ResponseFormat format);

}  // namespace cryptomood::http
