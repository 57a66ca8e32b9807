#include "http/api_queries.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <tuple>

#include "core/status_macros.h"
#include "core/stream_params_key.h"
#include "core/timestamp.h"

namespace cryptomood::http {

const std::vector<std::string_view> kFormatOnlyParameters = {"format"};
const std::vector<std::string_view> kRecordPageParameters = {"coin",  "from",   "to",
                                                             "limit", "cursor", "format"};
const std::vector<std::string_view> kMergedParameters = {
    "coin", "from", "to", "direction", "tolerance", "limit", "cursor", "format"};
const std::vector<std::string_view> kCorrelationParameters = {
    "coin",     "from", "to",     "mode",   "direction", "tolerance",
    "interval", "lags", "window", "format", "source"};
const std::vector<std::string_view> kEventsParameters = {
    "coin",      "from",     "to",   "mode",   "direction",
    "tolerance", "interval", "lags", "window", "last_event_id"};
const std::vector<std::string_view> kSeriesParameters = {"coin",     "from",       "to",
                                                         "interval", "max_points", "format"};
const std::vector<std::string_view> kDiagnosticsParameters = {"coin", "from", "to", "interval"};
const std::vector<std::string_view> kCausalityParameters = {"coin",     "from",   "to",
                                                            "interval", "window", "lags"};

namespace {

ApiError Bad(std::string_view parameter, const Error& error) {
  return ApiError::BadParameter(std::string(parameter), error.message);
}

// Parses the parameter when present with `parse` (returning Result<T>).
template <typename T, typename Parse>
ApiResult<std::optional<T>> Optional(const QueryParameters& parameters, std::string_view name,
                                     Parse parse) {
  const auto text = parameters.Get(name);
  if (!text) return std::optional<T>{};
  Result<T> value = parse(*text);
  if (!value) return Bad(name, value.error());
  return std::optional<T>{*value};
}

ApiResult<TimeRange> ParseRange(const QueryParameters& parameters) {
  TimeRange range;
  for (const auto& [name, bound] : {std::pair{"from", &range.from}, std::pair{"to", &range.to}}) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(*bound, Optional<TimestampNs>(parameters, name, ParseTimestamp));
  }
  if (range.from && range.to && *range.from >= *range.to) {
    return ApiError::BadParameter("to", "'to' must be later than 'from'");
  }
  return range;
}

// Parses `text`, the value of `name`, as an integer within [low, high].
ApiResult<std::int64_t> ParseIntegerWithin(std::string_view name, std::string_view text,
                                           std::int64_t low, std::int64_t high) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high) {
    return ApiError::BadParameter(
        std::string(name), std::string(name) + " must be an integer from " + std::to_string(low) +
                               " to " + std::to_string(high));
  }
  return value;
}

// Parses an integer parameter within [low, high].
ApiResult<std::optional<std::int64_t>> ParseBoundedInteger(const QueryParameters& parameters,
                                                           std::string_view name, std::int64_t low,
                                                           std::int64_t high) {
  const auto text = parameters.Get(name);
  if (!text) return std::optional<std::int64_t>{};
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto value, ParseIntegerWithin(name, *text, low, high));
  return std::optional<std::int64_t>{value};
}

std::vector<std::string> SortedCoins(const QueryParameters& parameters) {
  std::vector<std::string> coins = parameters.GetList("coin");
  std::sort(coins.begin(), coins.end());
  coins.erase(std::unique(coins.begin(), coins.end()), coins.end());
  return coins;
}

// Coins, range, limit and cursor: what every page of records shares.
ApiResult<RecordQuery> ParseRecordQuery(const QueryParameters& parameters) {
  RecordQuery query;
  query.coins = SortedCoins(parameters);
  CRYPTOMOOD_ASSIGN_OR_RETURN(query.range, ParseRange(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto limit,
                              ParseBoundedInteger(parameters, "limit", 1, kMaxPageLimit));
  query.limit = limit.value_or(kDefaultPageLimit);
  if (const auto cursor = parameters.Get("cursor")) {
    query.after = DecodeCursor(*cursor);
    if (!query.after) {
      return ApiError::BadParameter("cursor", "not a cursor this server issued (use next_cursor)");
    }
  }
  return query;
}

std::string FormatKey(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + std::string(value) + "&";
}

std::string RangeKey(const TimeRange& range) {
  return FormatKey("from", range.from ? std::to_string(*range.from) : "") +
         FormatKey("to", range.to ? std::to_string(*range.to) : "");
}

std::string CoinsKey(const std::vector<std::string>& coins) {
  std::string key = "coin=";
  for (const std::string& coin : coins) key += coin + ",";
  return key + "&";
}

// The analysis combinations the engine forbids, blamed on the parameter that does not fit.
std::optional<ApiError> CheckCombination(const AnalysisParams& params) {
  const bool bars = params.mode == AnalysisMode::kBars;
  if (!bars && (params.lags.first != 0 || params.lags.last != 0)) {
    return ApiError::BadParameter("lags", "lags other than 0:0 need mode=bars (a lag counts bars)");
  }
  if (bars && params.direction) {
    return ApiError::BadParameter("direction",
                                  "direction applies to tick and compat modes, not bars");
  }
  if (bars && params.tolerance_nanos) {
    return ApiError::BadParameter("tolerance",
                                  "tolerance applies to tick and compat modes, not bars");
  }
  if (params.mode == AnalysisMode::kCompat && params.direction &&
      *params.direction != JoinDirection::kNearest) {
    return ApiError::BadParameter("direction",
                                  "compat mode reproduces the notebook's nearest join");
  }
  if (params.tolerance_nanos && *params.tolerance_nanos < 0) {
    return ApiError::BadParameter("tolerance", "tolerance must not be negative");
  }
  return std::nullopt;
}

ApiResult<std::optional<JoinDirection>> ParseDirection(const QueryParameters& parameters) {
  return Optional<JoinDirection>(parameters, "direction", ParseJoinDirection);
}

ApiResult<std::optional<std::int64_t>> ParseTolerance(const QueryParameters& parameters) {
  return Optional<std::int64_t>(parameters, "tolerance", ParseFixedDuration);
}

ApiResult<Interval> ParseInterval(const QueryParameters& parameters) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto interval,
                              Optional<Interval>(parameters, "interval", Interval::Parse));
  return interval.value_or(Interval::Fixed(60 * kNanosPerSecond));
}

// Mode, join, bars, lags and window of /correlation.
std::optional<ApiError> ParseAnalysisOptions(const QueryParameters& parameters,
                                             CorrelationRequest& request) {
  AnalysisParams& params = request.params;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto mode,
                              Optional<AnalysisMode>(parameters, "mode", ParseAnalysisMode));
  params.mode = mode.value_or(AnalysisMode::kTick);
  request.with_compat = !mode.has_value() && params.coins.empty();
  CRYPTOMOOD_ASSIGN_OR_RETURN(params.direction, ParseDirection(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(params.tolerance_nanos, ParseTolerance(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(params.interval, ParseInterval(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto lags, Optional<LagRange>(parameters, "lags", ParseLagRange));
  params.lags = lags.value_or(LagRange{});
  CRYPTOMOOD_ASSIGN_OR_RETURN(params.window,
                              Optional<Interval>(parameters, "window", Interval::Parse));
  if (auto error = CheckCombination(params)) return error;
  if (Status status = ValidateAnalysisParams(params); !status) return Bad("mode", status.error());
  return std::nullopt;
}

ApiResult<CorrelationSource> ParseSource(const QueryParameters& parameters) {
  const auto text = parameters.Get("source");
  if (!text || *text == "computed") return CorrelationSource::kComputed;
  if (*text == "stream") return CorrelationSource::kStream;
  return ApiError::BadParameter("source", "source must be computed or stream");
}

// What source=stream adds to the analysis options: stored rows exist per closed window only,
// as JSON objects, and a stream never computes the pooled compat row.
std::optional<ApiError> PrepareStreamSource(CorrelationRequest& request) {
  if (!request.params.window) {
    return ApiError::BadParameter("window",
                                  "source=stream needs window (a stream stores closed "
                                  "windows only)");
  }
  if (request.format == ResponseFormat::kCsv) {
    return ApiError::BadParameter("format", "source=stream serves json or ndjson");
  }
  request.with_compat = false;
  request.stream_key = StreamParamsKey(request.params);
  return std::nullopt;
}

std::string CorrelationKey(const CorrelationRequest& request) {
  const AnalysisParams& params = request.params;
  std::string key = "correlation?" + CoinsKey(params.coins) + RangeKey(request.range);
  key += FormatKey("mode", request.with_compat ? "compat+tick" : ToString(params.mode));
  key += FormatKey("direction", params.direction ? ToString(*params.direction) : "");
  key +=
      FormatKey("tolerance", params.tolerance_nanos ? std::to_string(*params.tolerance_nanos) : "");
  key +=
      FormatKey("interval", params.mode == AnalysisMode::kBars ? params.interval.ToString() : "");
  key +=
      FormatKey("lags", std::to_string(params.lags.first) + ":" + std::to_string(params.lags.last));
  key += FormatKey("window", params.window ? params.window->ToString() : "");
  key += FormatKey("format", std::to_string(static_cast<int>(request.format)));
  if (request.source == CorrelationSource::kStream) key += FormatKey("source", "stream");
  return key;
}

}  // namespace

ApiResult<ResponseFormat> ParseResponseFormat(const QueryParameters& parameters) {
  const auto text = parameters.Get("format");
  if (!text || *text == "json") return ResponseFormat::kJson;
  if (*text == "csv") return ResponseFormat::kCsv;
  if (*text == "ndjson") return ResponseFormat::kNdjson;
  return ApiError::BadParameter("format", "format must be json, csv or ndjson");
}

ApiResult<RecordPageRequest> ParseRecordPageRequest(const QueryParameters& parameters) {
  RecordPageRequest request;
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.query, ParseRecordQuery(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.format, ParseResponseFormat(parameters));
  return request;
}

ApiResult<MergedRequest> ParseMergedRequest(const QueryParameters& parameters) {
  MergedRequest request;
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.trades, ParseRecordQuery(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto direction, ParseDirection(parameters));
  request.direction = direction.value_or(JoinDirection::kBackward);
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.tolerance_nanos, ParseTolerance(parameters));
  if (request.tolerance_nanos && *request.tolerance_nanos < 0) {
    return ApiError::BadParameter("tolerance", "tolerance must not be negative");
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.format, ParseResponseFormat(parameters));
  return request;
}

ApiResult<CorrelationRequest> ParseCorrelationRequest(const QueryParameters& parameters) {
  CorrelationRequest request;
  request.params.coins = SortedCoins(parameters);
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.range, ParseRange(parameters));
  if (auto error = ParseAnalysisOptions(parameters, request)) return *error;
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.format, ParseResponseFormat(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.source, ParseSource(parameters));
  if (request.source == CorrelationSource::kStream) {
    if (auto error = PrepareStreamSource(request)) return *error;
  }
  request.cache_key = CorrelationKey(request);
  return request;
}

ApiResult<EventsRequest> ParseEventsRequest(const QueryParameters& parameters,
                                            std::optional<std::string_view> last_event_id_header) {
  EventsRequest request;
  CorrelationRequest& rows = request.rows;
  rows.params.coins = SortedCoins(parameters);
  CRYPTOMOOD_ASSIGN_OR_RETURN(rows.range, ParseRange(parameters));
  if (auto error = ParseAnalysisOptions(parameters, rows)) return *error;
  rows.source = CorrelationSource::kStream;
  if (auto error = PrepareStreamSource(rows)) return *error;
  constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.last_event_id,
                              ParseBoundedInteger(parameters, "last_event_id", 0, kMaxId));
  if (last_event_id_header) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        request.last_event_id,
        ParseIntegerWithin("Last-Event-ID", *last_event_id_header, 0, kMaxId));
  }
  return request;
}

namespace {

// What /series, /diagnostics and /causality share: the coins, the range and the bar length,
// and the start of their cache keys.
struct BarsScope {
  std::vector<std::string> coins;
  TimeRange range;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  std::string KeyFor(std::string_view route) const {
    return std::string(route) + "?" + CoinsKey(coins) + RangeKey(range) +
           FormatKey("interval", interval.ToString());
  }
};

ApiResult<BarsScope> ParseBarsScope(const QueryParameters& parameters) {
  BarsScope scope;
  scope.coins = SortedCoins(parameters);
  CRYPTOMOOD_ASSIGN_OR_RETURN(scope.range, ParseRange(parameters));
  CRYPTOMOOD_ASSIGN_OR_RETURN(scope.interval, ParseInterval(parameters));
  return scope;
}

}  // namespace

ApiResult<CausalityRequest> ParseCausalityRequest(const QueryParameters& parameters) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto scope, ParseBarsScope(parameters));
  CausalityRequest request;
  request.params.mode = AnalysisMode::kBars;
  request.params.coins = scope.coins;
  request.range = scope.range;
  request.params.interval = scope.interval;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto window,
                              Optional<Interval>(parameters, "window", Interval::Parse));
  request.params.window = window;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto lags,
                              Optional<GrangerLags>(parameters, "lags", ParseGrangerLags));
  request.lags = lags.value_or(GrangerLags{});
  request.cache_key = scope.KeyFor("causality") +
                      FormatKey("window", window.has_value() ? window->ToString() : "") +
                      FormatKey("lags", request.lags.ToString());
  return request;
}

ApiResult<SeriesRequest> ParseSeriesRequest(const QueryParameters& parameters) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto scope, ParseBarsScope(parameters));
  SeriesRequest request;
  request.coins = scope.coins;
  request.range = scope.range;
  request.interval = scope.interval;
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.max_points,
                              ParseBoundedInteger(parameters, "max_points", 2, kMaxPageLimit));
  CRYPTOMOOD_ASSIGN_OR_RETURN(request.format, ParseResponseFormat(parameters));
  request.cache_key = scope.KeyFor("series") +
                      FormatKey("max_points", std::to_string(request.max_points.value_or(0))) +
                      FormatKey("format", std::to_string(static_cast<int>(request.format)));
  return request;
}

ApiResult<DiagnosticsRequest> ParseDiagnosticsRequest(const QueryParameters& parameters) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto scope, ParseBarsScope(parameters));
  DiagnosticsRequest request;
  request.coins = scope.coins;
  request.range = scope.range;
  request.interval = scope.interval;
  request.cache_key = scope.KeyFor("diagnostics");
  return request;
}

std::string EncodeCursor(const RowCursor& cursor) {
  char text[40];
  std::snprintf(text, sizeof text, "v1%016llx%016llx",
                static_cast<unsigned long long>(cursor.timestamp),
                static_cast<unsigned long long>(cursor.order));
  return text;
}

std::optional<RowCursor> DecodeCursor(std::string_view text) {
  constexpr std::size_t kDigits = 16;
  if (text.size() != 2 + 2 * kDigits || text.substr(0, 2) != "v1") return std::nullopt;
  std::uint64_t parts[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const char* begin = text.data() + 2 + i * kDigits;
    const auto [end, error] = std::from_chars(begin, begin + kDigits, parts[i], 16);
    if (error != std::errc{} || end != begin + kDigits) return std::nullopt;
  }
  return RowCursor{static_cast<TimestampNs>(parts[0]), static_cast<std::int64_t>(parts[1])};
}

}  // namespace cryptomood::http
