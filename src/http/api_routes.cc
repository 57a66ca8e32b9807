#include "http/api_routes.h"

#include <fmt/format.h>
#include <malloc.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "http/api_queries.h"
#include "http/computed_replies.h"
#include "http/merged_page.h"
#include "http/openapi_document.h"
#include "http/record_replies.h"
#include "http/row_stream_writer.h"
#include "io/json_writer.h"

namespace cryptomood::http {
namespace {

constexpr std::array<std::string_view, 12> kRoutes = {
    "/symbols", "/coin",      "/sentiment",   "/merged",  "/correlation", "/events",
    "/series",  "/causality", "/diagnostics", "/healthz", "/metrics",     "/openapi.json"};

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kRetryAfterSeconds = "1";

// The query string's pairs in order, repeats included (a repeated single-valued parameter is
// an error, so none may be dropped). nullopt when the percent-encoding is malformed.
std::optional<QueryParameters::Pairs> PairsOf(std::string_view query) {
  QueryParameters::Pairs pairs;
  for (std::size_t start = 0; start <= query.size();) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const std::size_t equals = std::min(pair.find('='), pair.size());
    auto name = DecodePercent(pair.substr(0, equals), /*plus_is_space=*/true);
    auto value = DecodePercent(equals < pair.size() ? pair.substr(equals + 1) : std::string_view(),
                               /*plus_is_space=*/true);
    if (!name || !value) return std::nullopt;
    pairs.emplace_back(std::move(*name), std::move(*value));
  }
  return pairs;
}

// Checks the query string against the route's parameters and parses it with `parse`.
template <typename Parse>
auto ParseQuery(const HttpRequest& request, const std::vector<std::string_view>& allowed,
                Parse parse) -> decltype(parse(std::declval<const QueryParameters&>())) {
  auto pairs = PairsOf(request.query);
  if (!pairs) {
    return ApiError{400, "bad_request", {}, "the query string is not valid percent-encoding"};
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto parameters, QueryParameters::Check(std::move(*pairs), allowed));
  return parse(parameters);
}

ApiResult<bool> CheckNoParameters(const HttpRequest& request) {
  return ParseQuery(request, {}, [](const QueryParameters&) -> ApiResult<bool> { return true; });
}

ApiError StoreError(const Error& error) {
  if (error.kind == ErrorKind::kUsage) return ApiError::BadParameter("interval", error.message);
  return ApiError::Internal("store: " + error.message);
}

HttpResponse Busy(std::string message) {
  HttpResponse response = ErrorResponse(ApiError{503, "unavailable", {}, std::move(message)});
  response.SetHeader("Retry-After", std::string(kRetryAfterSeconds));
  return response;
}

HttpResponse Body(std::string text, std::string_view type) {
  HttpResponse response;
  response.SetBody(std::move(text), type);
  return response;
}

// The reply of a computation its token stopped.
HttpResponse CancelledResponse(const CancellationToken& token, std::chrono::milliseconds deadline) {
  switch (token.reason()) {
    case CancelReason::kDeadline:
      return ErrorResponse(
          ApiError{503,
                   "timeout",
                   {},
                   "the computation ran past the server's deadline of " +
                       fmt::format("{:g}", std::chrono::duration<double>(deadline).count()) +
                       " s (serve --compute-deadline); narrow the request (from/to, coin, lags)"});
    case CancelReason::kShutdown:
      return Busy("the server is shutting down");
    default:
      return Busy("the computation was cancelled");
  }
}

// A store lease shared by a handler and the streamer that writes its rows.
using SharedLease = std::shared_ptr<StorePool::Lease>;

Result<SharedLease, ApiError> BorrowShared(StorePool& stores) {
  auto lease = stores.Borrow();
  if (!lease) return ApiError::Internal("store: " + lease.error().message);
  return std::make_shared<StorePool::Lease>(std::move(*lease));
}

// A streamed page of rows: `write_rows(writer)` writes them and returns the next cursor.
template <typename WriteRows>
HttpResponse StreamRows(ResponseFormat format, WriteRows write_rows) {
  HttpResponse response;
  response.content_type = std::string(RowStreamWriter::ContentType(format));
  response.streamer = [format, write_rows](const ChunkWriter& write) -> Status {
    RowStreamWriter writer(format, /*paged=*/true, write);
    CRYPTOMOOD_ASSIGN_OR_RETURN(std::optional<RowCursor> next, write_rows(writer));
    std::optional<std::string> cursor;
    if (next) cursor = EncodeCursor(*next);
    if (!writer.Finish(cursor)) return Error{"the client stopped reading"};
    return Status::Ok();
  };
  return response;
}

// JSON carries the next cursor in its envelope; the other formats in a header, sent before
// the rows.
void SetCursorHeader(ResponseFormat format, const std::optional<RowCursor>& next,
                     HttpResponse& response) {
  if (format != ResponseFormat::kJson && next) {
    response.SetHeader("X-Next-Cursor", EncodeCursor(*next));
  }
}

// A page of stored records. `write_page(store, writer)` writes the rows and returns the next
// cursor; `next_cursor(store)` finds it without writing, for the cursor header.
template <typename WritePage, typename NextCursor>
HttpResponse StreamPage(StorePool& stores, ResponseFormat format, WritePage write_page,
                        NextCursor next_cursor) {
  auto lease = BorrowShared(stores);
  if (!lease) return ErrorResponse(lease.error());
  std::optional<RowCursor> header_cursor;
  if (format != ResponseFormat::kJson) {
    auto next = next_cursor(***lease);
    if (!next) return ErrorResponse(StoreError(next.error()));
    header_cursor = *next;
  }
  SharedLease shared = *lease;
  HttpResponse response = StreamRows(format, [shared, write_page](RowStreamWriter& writer) {
    return write_page(**shared, writer);
  });
  SetCursorHeader(format, header_cursor, response);
  return response;
}

// The rows a stream stored (source=stream): no trades loaded, nothing cached. The reply holds
// the rows committed through the sequence number in X-Last-Event-ID; /events resumes there.
// X-Stream-Params-Key is the key the rows are filed under, as /healthz's streams name it.
HttpResponse StreamStoredRows(StorePool& stores, const CorrelationRequest& parsed) {
  auto lease = BorrowShared(stores);
  if (!lease) return ErrorResponse(lease.error());
  SharedLease shared = *lease;
  auto last = (*shared)->LastStreamSequence();
  if (!last) return ErrorResponse(StoreError(last.error()));
  HttpResponse response;
  response.content_type = std::string(RowStreamWriter::ContentType(parsed.format));
  response.SetHeader("X-Last-Event-ID", std::to_string(*last));
  response.SetHeader("X-Stream-Params-Key", parsed.stream_key);
  response.streamer = [shared, parsed, through = *last](const ChunkWriter& write) {
    return WriteStreamCorrelationReply(**shared, parsed, through, write);
  };
  return response;
}

// /healthz's "streams": each stream checkpoint's last commit, and the liveness interval its
// member promised to commit within when the checkpoint records one.
void WriteStreamProgress(JsonWriter& writer, const std::vector<StreamProgress>& streams) {
  writer.Key("streams");
  writer.StartArray();
  for (const StreamProgress& stream : streams) {
    writer.StartObject();
    writer.Key("group");
    writer.String(stream.group);
    writer.Key("params_key");
    writer.String(stream.params_key);
    writer.Key("partition");
    writer.Int(stream.partition);
    writer.Key("consumer_lag");
    writer.Int(stream.consumer_lag);
    writer.Key("committed_at");
    writer.Timestamp(stream.committed_at);
    if (stream.liveness_interval_nanos > 0) {
      writer.Key("liveness_interval_seconds");
      writer.Double(static_cast<double>(stream.liveness_interval_nanos) / 1e9);
    }
    writer.EndObject();
  }
  writer.EndArray();
}

bool IsApiRoute(std::string_view path) { return std::ranges::find(kRoutes, path) != kRoutes.end(); }

HttpResponse MethodNotAllowed(const HttpRequest& request) {
  HttpResponse response = ErrorResponse(ApiError::MethodNotAllowed(
      request.method + " is not allowed on " + request.path + "; use GET"));
  response.SetHeader("Allow", "GET, HEAD");
  // A body the request may carry is left unread, so the connection cannot carry another.
  response.close = true;
  return response;
}

}  // namespace

HttpResponse ErrorResponse(const ApiError& error) {
  HttpResponse response;
  response.status = error.status;
  response.SetBody(error.ToJson(), kJson);
  return response;
}

std::string ApiRoutes::RouteLabel(std::string_view path) {
  if (IsApiRoute(path)) return std::string(path);
  if (path == "/" || path == "/index.html") return "/";
  return "other";
}

ApiRoutes::ApiRoutes(StorePool& stores, ResponseCache& cache, Metrics& metrics, StaticFiles files,
                     const RouteLimits& limits)
    : stores_(stores),
      cache_(cache),
      metrics_(metrics),
      files_(std::move(files)),
      limits_(limits),
      data_version_([&stores]() -> Result<std::int64_t> {
        CRYPTOMOOD_ASSIGN_OR_RETURN(auto lease, stores.Borrow());
        return lease->DataVersion();
      }),
      events_(stores, limits.events),
      compute_pool_(limits.compute_threads, limits.compute_queue),
      page_pool_(limits.page_threads, limits.page_queue) {}

void ApiRoutes::Preload() {
  auto lease = stores_.Borrow();
  if (!lease) return;
  auto version = (*lease)->DataVersion();
  if (!version) return;
  (void)data_cache_.Get(**lease, TimeRange{}, *version);
}

void ApiRoutes::BeginShutdown() {
  shutting_down_ = true;
  events_.Stop();
}

void ApiRoutes::Handle(const HttpRequest& request, const Responder& responder) {
  if (shutting_down_) {
    HttpResponse response = Busy("the server is shutting down");
    response.close = true;
    return responder.Send(std::move(response));
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return responder.Send(MethodNotAllowed(request));
  }
  const std::string_view path = request.path;
  if (path == "/correlation") return Correlation(request, responder);
  if (path == "/events") return Events(request, responder);
  if (path == "/series") return Series(request, responder);
  if (path == "/diagnostics") return Diagnostics(request, responder);
  if (path == "/causality") return Causality(request, responder);
  if (path == "/coin") return OnPagePool(responder, [this, request] { return Trades(request); });
  if (path == "/sentiment") {
    return OnPagePool(responder, [this, request] { return Sentiment(request); });
  }
  if (path == "/merged") return OnPagePool(responder, [this, request] { return Merged(request); });
  if (path == "/symbols") return responder.Send(Symbols(request));
  if (path == "/healthz") return responder.Send(Health(request));
  if (path == "/metrics") return responder.Send(MetricsText(request));
  if (path == "/openapi.json") return responder.Send(OpenApi(request));
  if (auto file = files_.Find(path)) {
    HttpResponse response;
    response.body = file->body;
    response.content_type = file->content_type;
    return responder.Send(std::move(response));
  }
  responder.Send(ErrorResponse(ApiError::NotFound("no route or file at " + request.path)));
}

template <typename MakeResponse>
void ApiRoutes::OnPagePool(const Responder& responder, MakeResponse make_response) {
  if (!page_pool_.TryPost([responder, make_response] { responder.Send(make_response()); })) {
    responder.Send(Busy("every page writer is busy; retry shortly"));
  }
}

HttpResponse ApiRoutes::Symbols(const HttpRequest& request) {
  auto format = ParseQuery(request, kFormatOnlyParameters, ParseResponseFormat);
  if (!format) return ErrorResponse(format.error());
  auto lease = stores_.Borrow();
  if (!lease) return ErrorResponse(StoreError(lease.error()));
  auto body = ComputeSymbolsReply(**lease, *format);
  if (!body) return ErrorResponse(StoreError(body.error()));
  return Body(std::move(*body), RowStreamWriter::ContentType(*format));
}

HttpResponse ApiRoutes::Trades(const HttpRequest& request) {
  auto parsed = ParseQuery(request, kRecordPageParameters, ParseRecordPageRequest);
  if (!parsed) return ErrorResponse(parsed.error());
  const RecordQuery query = parsed->query;
  return StreamPage(
      stores_, parsed->format,
      [query](Store& store, RowStreamWriter& writer) {
        return WriteTradePage(store, query, writer);
      },
      [query](Store& store) { return NextTradeCursor(store, query); });
}

HttpResponse ApiRoutes::Sentiment(const HttpRequest& request) {
  auto parsed = ParseQuery(request, kRecordPageParameters, ParseRecordPageRequest);
  if (!parsed) return ErrorResponse(parsed.error());
  const RecordQuery query = parsed->query;
  return StreamPage(
      stores_, parsed->format,
      [query](Store& store, RowStreamWriter& writer) {
        return WriteSentimentPage(store, query, writer);
      },
      [query](Store& store) { return NextSentimentCursor(store, query); });
}

HttpResponse ApiRoutes::Merged(const HttpRequest& request) {
  auto parsed = ParseQuery(request, kMergedParameters, ParseMergedRequest);
  if (!parsed) return ErrorResponse(parsed.error());
  auto data = CurrentMarketData();
  if (!data) return ErrorResponse(StoreError(data.error()));
  auto page = std::make_shared<const MergedPage>(std::move(*data), *parsed);
  HttpResponse response = StreamRows(
      parsed->format, [page](RowStreamWriter& writer) -> Result<std::optional<RowCursor>> {
        page->Write(writer);
        return page->next_cursor();
      });
  SetCursorHeader(parsed->format, page->next_cursor(), response);
  return response;
}

Result<std::shared_ptr<const StoredMarketData>> ApiRoutes::CurrentMarketData() {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto version, data_version_.Get());
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto lease, stores_.Borrow());
  return data_cache_.Get(*lease, TimeRange{}, version);
}

std::shared_ptr<CancellationToken> ApiRoutes::WatchComputation(const Responder& responder) {
  auto token = std::make_shared<CancellationToken>();
  responder.OnCancel([token, this](std::string_view /*reason*/) {
    token->Cancel(shutting_down_ ? CancelReason::kShutdown : CancelReason::kClientGone);
  });
  return token;
}

template <typename Request, typename Compute, typename CheckCost>
void ApiRoutes::ServeComputed(const Request& parsed, const Responder& responder, Compute compute,
                              CheckCost check_cost) {
  auto version = data_version_.Get();
  if (!version) return responder.Send(ErrorResponse(StoreError(version.error())));
  const std::string type(RowStreamWriter::ContentType(parsed.format));
  const auto send = [this, responder, type](std::shared_ptr<const std::string> body, bool hit) {
    metrics_.RecordCache(hit);
    HttpResponse response;
    response.body = std::move(body);
    response.content_type = type;
    response.SetHeader("X-Cache", hit ? "hit" : "miss");
    responder.Send(std::move(response));
  };
  if (auto body = cache_.Get(parsed.cache_key, *version)) return send(body, true);
  auto lease = stores_.Borrow();
  if (!lease) return responder.Send(ErrorResponse(StoreError(lease.error())));
  auto stored = (*lease)->GetCachedResult(parsed.cache_key, *version);
  if (!stored) return responder.Send(ErrorResponse(StoreError(stored.error())));
  if (*stored) {
    auto body = std::make_shared<const std::string>(std::move(**stored));
    cache_.Put(parsed.cache_key, *version, *body);
    return send(std::move(body), true);
  }
  auto data = data_cache_.Get(**lease, parsed.range, *version);
  if (!data) return responder.Send(ErrorResponse(StoreError(data.error())));
  if (auto too_costly = check_cost(**data, parsed, limits_.cost)) {
    return responder.Send(ErrorResponse(*too_costly));
  }
  auto token = WatchComputation(responder);
  const auto task = [this, parsed, compute, send, responder, token, version = *version,
                     data = *data] {
    const auto deadline = deadlines_.Add(DeadlineWatch::Clock::now() + limits_.compute_deadline,
                                         [token] { token->Cancel(CancelReason::kDeadline); });
    auto body = token->cancelled() ? Result<std::string>(token->CancelledError())
                                   : compute(*data, parsed, *token);
    deadlines_.Remove(deadline);
    if (!body) {
      if (body.error().kind == ErrorKind::kCancelled) {
        return responder.Send(CancelledResponse(*token, limits_.compute_deadline));
      }
      return responder.Send(ErrorResponse(StoreError(body.error())));
    }
    if (auto store = stores_.Borrow()) {
      (void)(*store)->PutCachedResult(parsed.cache_key, version, *body);
    }
    cache_.Put(parsed.cache_key, version, *body);
    send(std::make_shared<const std::string>(std::move(*body)), false);
    // A computation frees tens of MB of scratch: give it back to the system rather than let
    // the idle server keep it.
    malloc_trim(0);
  };
  if (!compute_pool_.TryPost(task)) {
    responder.Send(
        Busy("every computation slot and queue place is taken (serve "
             "--compute-threads, --compute-queue); retry shortly"));
  }
}

void ApiRoutes::Correlation(const HttpRequest& request, const Responder& responder) {
  auto parsed = ParseQuery(request, kCorrelationParameters, ParseCorrelationRequest);
  if (!parsed) return responder.Send(ErrorResponse(parsed.error()));
  if (parsed->source == CorrelationSource::kStream) {
    const CorrelationRequest stream_request = *parsed;
    return OnPagePool(responder,
                      [this, stream_request] { return StreamStoredRows(stores_, stream_request); });
  }
  ServeComputed(*parsed, responder, ComputeCorrelationReply, CheckCorrelationRequestCost);
}

void ApiRoutes::Events(const HttpRequest& request, const Responder& responder) {
  auto parsed = ParseQuery(request, kEventsParameters, [&request](const QueryParameters& query) {
    return ParseEventsRequest(query, request.Header("Last-Event-ID"));
  });
  if (!parsed) return responder.Send(ErrorResponse(parsed.error()));
  // Without a last event id the feed starts after every row committed before this request.
  std::int64_t last = 0;
  if (parsed->last_event_id) {
    last = *parsed->last_event_id;
  } else {
    auto lease = stores_.Borrow();
    if (!lease) return responder.Send(ErrorResponse(StoreError(lease.error())));
    auto stored = (*lease)->LastStreamSequence();
    if (!stored) return responder.Send(ErrorResponse(StoreError(stored.error())));
    last = *stored;
  }
  EventFilter filter{parsed->rows.stream_key, parsed->rows.params.coins, parsed->rows.range};
  HttpResponse response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Accel-Buffering", "no");  // proxies: pass events on as they come
  response.push_queue_bytes = events_.options().client_queue_bytes;
  response.pusher = [this, filter = std::move(filter),
                     last](std::shared_ptr<PushedBody> body) mutable {
    events_.Subscribe(std::move(filter), last, std::move(body));
  };
  responder.Send(std::move(response));
}

void ApiRoutes::Series(const HttpRequest& request, const Responder& responder) {
  auto parsed = ParseQuery(request, kSeriesParameters, ParseSeriesRequest);
  if (!parsed) return responder.Send(ErrorResponse(parsed.error()));
  ServeComputed(*parsed, responder, ComputeSeriesReply, CheckSeriesRequestCost);
}

void ApiRoutes::Diagnostics(const HttpRequest& request, const Responder& responder) {
  auto parsed = ParseQuery(request, kDiagnosticsParameters, ParseDiagnosticsRequest);
  if (!parsed) return responder.Send(ErrorResponse(parsed.error()));
  ServeComputed(*parsed, responder, ComputeDiagnosticsReply, CheckDiagnosticsRequestCost);
}

void ApiRoutes::Causality(const HttpRequest& request, const Responder& responder) {
  auto parsed = ParseQuery(request, kCausalityParameters, ParseCausalityRequest);
  if (!parsed) return responder.Send(ErrorResponse(parsed.error()));
  ServeComputed(*parsed, responder, ComputeCausalityReply, CheckCausalityRequestCost);
}

HttpResponse ApiRoutes::OpenApi(const HttpRequest& request) {
  if (auto none = CheckNoParameters(request); !none) return ErrorResponse(none.error());
  return Body(std::string(OpenApiDocument()), kJson);
}

HttpResponse ApiRoutes::Health(const HttpRequest& request) {
  if (auto none = CheckNoParameters(request); !none) return ErrorResponse(none.error());
  auto lease = stores_.Borrow();
  Result<std::int64_t> schema =
      lease ? (*lease)->SchemaVersion() : Result<std::int64_t>(lease.error());
  Result<std::int64_t> data = lease ? (*lease)->DataVersion() : Result<std::int64_t>(lease.error());
  using Progress = std::vector<StreamProgress>;
  Result<Progress> streams =
      lease ? (*lease)->ListStreamProgress() : Result<Progress>(lease.error());
  JsonWriter writer;
  writer.StartObject();
  if (!schema || !data || !streams) {
    writer.Key("status");
    writer.String("unavailable");
    writer.Key("message");
    writer.String(!schema ? schema.error().message
                  : !data ? data.error().message
                          : streams.error().message);
    writer.EndObject();
    HttpResponse response = Body(std::string(writer.view()), kJson);
    response.status = 503;
    return response;
  }
  writer.Key("status");
  writer.String("ok");
  writer.Key("backend");
  writer.String((*lease)->backend());
  writer.Key("schema_version");
  writer.Int(*schema);
  writer.Key("data_version");
  writer.Int(*data);
  if (!streams->empty()) WriteStreamProgress(writer, *streams);
  writer.EndObject();
  return Body(std::string(writer.view()), kJson);
}

HttpResponse ApiRoutes::MetricsText(const HttpRequest& request) {
  if (auto none = CheckNoParameters(request); !none) return ErrorResponse(none.error());
  std::string text;
  metrics_.Render(text);
  auto lease = stores_.Borrow();
  if (lease) {
    if (auto counts = (*lease)->Counts()) {
      const std::pair<const char*, std::int64_t> gauges[] = {
          {"cryptomood_store_trades", counts->trades},
          {"cryptomood_store_sentiment", counts->sentiment},
          {"cryptomood_store_rejected_lines", counts->rejected_lines},
          {"cryptomood_store_symbols", counts->symbols},
          {"cryptomood_store_data_version", counts->data_version},
          {"cryptomood_ingest_runs", counts->ingest_runs},
          {"cryptomood_store_cached_results", counts->cached_results}};
      for (const auto& [name, value] : gauges) {
        text +=
            std::string("# TYPE ") + name + " gauge\n" + name + " " + std::to_string(value) + "\n";
      }
    }
  }
  const EventHub::Counters events = events_.counters();
  text += "# TYPE cryptomood_sse_clients gauge\ncryptomood_sse_clients " +
          std::to_string(events.clients) + "\n";
  text += "# TYPE cryptomood_sse_events_sent_total counter\ncryptomood_sse_events_sent_total " +
          std::to_string(events.events_sent) + "\n";
  text +=
      "# TYPE cryptomood_sse_clients_dropped_total counter\ncryptomood_sse_clients_dropped_total " +
      std::to_string(events.clients_dropped) + "\n";
  return Body(std::move(text), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace cryptomood::http
