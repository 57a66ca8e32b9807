// Request cost: the check a computed route runs before computing. It estimates what a
// /correlation or /series request would cost on the data it would run over
// (core/cost_estimate.h) and refuses one over the server's limits with a 413 "too_large"
// error naming the query parameter to change, the limit and the estimate, e.g.
//   {"error": {"code": "too_large", "parameter": "window", "message": "window=1ms implies
//    ~2,400,000 rows over the limit of 100,000 (max_rows); use a longer window or ..."}}
// The check costs O(symbols), never the request's own cost.
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <optional>

#include "core/cost_estimate.h"
#include "http/api_error.h"
#include "http/api_queries.h"
#include "http/computed_replies.h"

namespace cryptomood::http {

RowFormat RowFormatOf(ResponseFormat format);

// The estimates themselves, for a caller that reports or logs them.
CostEstimate EstimateCorrelationRequest(const StoredMarketData& stored,
                                        const CorrelationRequest& request);
CostEstimate EstimateSeriesRequest(const StoredMarketData& stored, const SeriesRequest& request);

// nullopt when the request is within `limits`; otherwise the 413 to send. `stored` is the data
// the request would be computed from (it holds request.range).
std::optional<ApiError> CheckCorrelationRequestCost(const StoredMarketData& stored,
                                                    const CorrelationRequest& request,
                                                    const CostLimits& limits);
// /causality costs what a bars-mode /correlation of the same coins, range, interval and window
// at lag 0 costs (the bars are built once per symbol either way).
std::optional<ApiError> CheckCausalityRequestCost(const StoredMarketData& stored,
                                                  const CausalityRequest& request,
                                                  const CostLimits& limits);
std::optional<ApiError> CheckSeriesRequestCost(const StoredMarketData& stored,
                                               const SeriesRequest& request,
                                               const CostLimits& limits);
// /diagnostics builds every bar of its symbols (as /series without max_points) and writes three
// small objects a symbol: only max_bars applies, blamed on the interval.
std::optional<ApiError> CheckDiagnosticsRequestCost(const StoredMarketData& stored,
                                                    const DiagnosticsRequest& request,
                                                    const CostLimits& limits);

}  // namespace cryptomood::http
