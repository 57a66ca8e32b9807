#include "http/request_cost.h"

namespace cryptomood::http {
namespace {

SeriesParams SeriesParamsOf(const SeriesRequest& request) {
  SeriesParams params;
  params.coins = request.coins;
  params.range = request.range;
  params.interval = request.interval;
  params.max_points = request.max_points;
  return params;
}

std::optional<ApiError> AsTooLarge(const std::optional<CostRefusal>& refusal) {
  if (!refusal) return std::nullopt;
  return ApiError::TooLarge(refusal->parameter, refusal->Describe(NameStyle::kQuery));
}

}  // namespace

RowFormat RowFormatOf(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kJson:
      return RowFormat::kJson;
    case ResponseFormat::kCsv:
      return RowFormat::kCsv;
    case ResponseFormat::kNdjson:
      return RowFormat::kNdjson;
  }
  return RowFormat::kJson;
}

CostEstimate EstimateCorrelationRequest(const StoredMarketData& stored,
                                        const CorrelationRequest& request) {
  return EstimateCorrelationCost(ShapeOf(stored.data), request.params, request.range,
                                 request.with_compat, RowFormatOf(request.format));
}

CostEstimate EstimateSeriesRequest(const StoredMarketData& stored, const SeriesRequest& request) {
  return EstimateSeriesCost(ShapeOf(stored.data), SeriesParamsOf(request),
                            RowFormatOf(request.format));
}

std::optional<ApiError> CheckCorrelationRequestCost(const StoredMarketData& stored,
                                                    const CorrelationRequest& request,
                                                    const CostLimits& limits) {
  return AsTooLarge(
      CheckCorrelationCost(EstimateCorrelationRequest(stored, request), limits, request.params));
}

std::optional<ApiError> CheckCausalityRequestCost(const StoredMarketData& stored,
                                                  const CausalityRequest& request,
                                                  const CostLimits& limits) {
  CorrelationRequest bars;
  bars.params = request.params;
  bars.range = request.range;
  bars.format = request.format;
  return CheckCorrelationRequestCost(stored, bars, limits);
}

std::optional<ApiError> CheckSeriesRequestCost(const StoredMarketData& stored,
                                               const SeriesRequest& request,
                                               const CostLimits& limits) {
  return AsTooLarge(
      CheckSeriesCost(EstimateSeriesRequest(stored, request), limits, SeriesParamsOf(request)));
}

std::optional<ApiError> CheckDiagnosticsRequestCost(const StoredMarketData& stored,
                                                    const DiagnosticsRequest& request,
                                                    const CostLimits& limits) {
  return AsTooLarge(CheckDiagnosticsCost(ShapeOf(stored.data),
                                         DiagnosticsParamsOf(request, stored.data_end), limits));
}

}  // namespace cryptomood::http
