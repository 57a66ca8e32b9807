// The typed requests of each data route, parsed from its query string with the same names
// and value syntax as the command line (`coin`, `from`, `to`, `mode`, `interval`, `lags`, ...).
// Every failure names the parameter to blame, so the page can point at the right control.
// Cache keys are canonical: the same request spelled differently (parameter order, coin
// order, `1h` vs `60m`) maps to the same key.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis.h"
#include "core/causality.h"
#include "core/interval.h"
#include "http/query_parameters.h"
#include "store/store_records.h"

namespace cryptomood::http {

enum class ResponseFormat { kJson, kCsv, kNdjson };

inline constexpr std::int64_t kDefaultPageLimit = 1000;
inline constexpr std::int64_t kMaxPageLimit = 100'000;

// The parameters each route accepts (also what the OpenAPI document lists).
extern const std::vector<std::string_view> kRecordPageParameters;  // /coin, /sentiment
extern const std::vector<std::string_view> kMergedParameters;
extern const std::vector<std::string_view> kCorrelationParameters;
extern const std::vector<std::string_view> kEventsParameters;
extern const std::vector<std::string_view> kSeriesParameters;
extern const std::vector<std::string_view> kDiagnosticsParameters;
extern const std::vector<std::string_view> kCausalityParameters;
extern const std::vector<std::string_view> kFormatOnlyParameters;  // /symbols

// A page of stored records (/coin, /sentiment).
struct RecordPageRequest {
  RecordQuery query;
  ResponseFormat format = ResponseFormat::kJson;
};
ApiResult<RecordPageRequest> ParseRecordPageRequest(const QueryParameters& parameters);

// A page of tick-mode pairs (/merged): query selects the page's trades.
struct MergedRequest {
  RecordQuery trades;
  JoinDirection direction = JoinDirection::kBackward;
  std::optional<std::int64_t> tolerance_nanos;
  ResponseFormat format = ResponseFormat::kJson;
};
ApiResult<MergedRequest> ParseMergedRequest(const QueryParameters& parameters);

// Where /correlation's rows come from (`source`): computed from the stored trades and tweets
// (the default), or read from the rows a stream stored under the parameters' StreamParamsKey.
enum class CorrelationSource { kComputed, kStream };

// /correlation. With no `mode` and no `coin`, the computed reply is the compat row and then
// the tick rows (the original endpoint's answer); `with_compat` says so. source=stream needs
// `window` (a stream only closes windows), serves json or ndjson, never compat rows, and
// filters `from`/`to` on the window start.
struct CorrelationRequest {
  AnalysisParams params;
  TimeRange range;
  bool with_compat = false;
  ResponseFormat format = ResponseFormat::kJson;
  CorrelationSource source = CorrelationSource::kComputed;
  std::string stream_key;  // StreamParamsKey(params) for source=stream, else empty
  std::string cache_key;
};
ApiResult<CorrelationRequest> ParseCorrelationRequest(const QueryParameters& parameters);

// /events (event_hub.h): the rows a stream stores, pushed as they are committed. `rows` is
// parsed as /correlation?source=stream (window required; no format or source parameter).
// The client's last event id comes from the Last-Event-ID header, which an EventSource sends
// when it reconnects, else from `last_event_id` (for a first connection that resumes after
// the X-Last-Event-ID of a /correlation?source=stream reply); the header wins.
struct EventsRequest {
  CorrelationRequest rows;
  std::optional<std::int64_t> last_event_id;
};
ApiResult<EventsRequest> ParseEventsRequest(const QueryParameters& parameters,
                                            std::optional<std::string_view> last_event_id_header);

struct SeriesRequest {
  std::vector<std::string> coins;
  TimeRange range;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  std::optional<std::int64_t> max_points;
  ResponseFormat format = ResponseFormat::kJson;
  std::string cache_key;
};
ApiResult<SeriesRequest> ParseSeriesRequest(const QueryParameters& parameters);

// /diagnostics: the stationarity tests of each selected symbol's bars (JSON only; `format`
// is always kJson).
struct DiagnosticsRequest {
  std::vector<std::string> coins;
  TimeRange range;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  ResponseFormat format = ResponseFormat::kJson;
  std::string cache_key;
};
ApiResult<DiagnosticsRequest> ParseDiagnosticsRequest(const QueryParameters& parameters);
// /causality: Granger tests both ways per symbol and window over bars (core/causality.h).
// params is a bars-mode analysis (coin, interval, window); `lags` is the Granger order, P or
// auto (the default). The reply is JSON only.
struct CausalityRequest {
  AnalysisParams params;
  TimeRange range;
  GrangerLags lags;
  ResponseFormat format = ResponseFormat::kJson;
  std::string cache_key;
};
ApiResult<CausalityRequest> ParseCausalityRequest(const QueryParameters& parameters);

ApiResult<ResponseFormat> ParseResponseFormat(const QueryParameters& parameters);

// Pagination cursors are opaque to clients: "v1" and 32 hex digits (timestamp, order).
std::string EncodeCursor(const RowCursor& cursor);
std::optional<RowCursor> DecodeCursor(std::string_view text);

}  // namespace cryptomood::http
