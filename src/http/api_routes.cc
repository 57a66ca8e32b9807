#include "http/api_routes.h"

#include <httplib.h>
#include <malloc.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "http/api_queries.h"
#include "http/computed_replies.h"
#include "http/merged_page.h"
#include "http/openapi_document.h"
#include "http/record_replies.h"
#include "http/row_stream_writer.h"
#include "io/json_writer.h"

namespace cryptomood::http {
namespace {

constexpr std::array<std::string_view, 9> kRoutes = {"/symbols", "/coin",        "/sentiment",
                                                     "/merged",  "/correlation", "/series",
                                                     "/healthz", "/metrics",     "/openapi.json"};

constexpr std::string_view kJson = "application/json";

// The query string's pairs in order, repeats included. cpp-httplib's own `params` drops a
// pair identical to an earlier one, which would hide `limit=5&limit=5` from the repeat check.
QueryParameters::Pairs PairsOf(const httplib::Request& request) {
  QueryParameters::Pairs pairs;
  const std::size_t question = request.target.find('?');
  if (question == std::string::npos) return pairs;
  const std::string_view query = std::string_view(request.target).substr(question + 1);
  for (std::size_t start = 0; start <= query.size();) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const std::size_t equals = std::min(pair.find('='), pair.size());
    const auto decode = [](std::string_view text) {
      return httplib::detail::decode_url(std::string(text), /*convert_plus_to_space=*/true);
    };
    pairs.emplace_back(decode(pair.substr(0, equals)),
                       equals < pair.size() ? decode(pair.substr(equals + 1)) : std::string());
  }
  return pairs;
}

// Checks the query string against the route's parameters and parses it with `parse`.
template <typename Parse>
auto ParseQuery(const httplib::Request& request, const std::vector<std::string_view>& allowed,
                Parse parse) -> decltype(parse(std::declval<const QueryParameters&>())) {
  auto parameters = QueryParameters::Check(PairsOf(request), allowed);
  if (!parameters) return parameters.error();
  return parse(*parameters);
}

ApiError StoreError(const Error& error) {
  if (error.kind == ErrorKind::kUsage) return ApiError::BadParameter("interval", error.message);
  return ApiError::Internal("store: " + error.message);
}

// A store lease shared by a handler and the content provider that streams its rows.
using SharedLease = std::shared_ptr<StorePool::Lease>;

Result<SharedLease, ApiError> BorrowShared(StorePool& stores) {
  auto lease = stores.Borrow();
  if (!lease) return ApiError::Internal("store: " + lease.error().message);
  return std::make_shared<StorePool::Lease>(std::move(*lease));
}

// Streams a paged reply (chunked) whose rows `write_rows(writer)` writes, returning the next
// page's cursor.
template <typename WriteRows>
void StreamRows(ResponseFormat format, httplib::Response& response, WriteRows write_rows) {
  response.set_chunked_content_provider(
      std::string(RowStreamWriter::ContentType(format)),
      [format, write_rows](std::size_t /*offset*/, httplib::DataSink& sink) {
        RowStreamWriter writer(format, /*paged=*/true, [&sink](std::string_view bytes) {
          return sink.write(bytes.data(), bytes.size());
        });
        Result<std::optional<RowCursor>> next = write_rows(writer);
        if (!next) {
          // The status line is gone already: cutting the chunked stream short is the only
          // way left to tell the client the reply is incomplete.
          std::fprintf(stderr, "cryptomood serve: reply aborted: %s\n",
                       next.error().message.c_str());
          return false;
        }
        std::optional<std::string> cursor;
        if (*next) cursor = EncodeCursor(**next);
        if (!writer.Finish(cursor)) return false;
        sink.done();
        return true;
      });
}

// JSON carries the next cursor in its envelope; the other formats in a header, sent before
// the rows.
void SetCursorHeader(ResponseFormat format, const std::optional<RowCursor>& next,
                     httplib::Response& response) {
  if (format != ResponseFormat::kJson && next) {
    response.set_header("X-Next-Cursor", EncodeCursor(*next));
  }
}

// Streams a page of stored rows. `write_page(store, writer)` writes the rows and returns the
// next cursor; `next_cursor(store)` finds it without writing, for the cursor header.
template <typename WritePage, typename NextCursor>
void StreamPage(StorePool& stores, ResponseFormat format, httplib::Response& response,
                WritePage write_page, NextCursor next_cursor) {
  auto lease = BorrowShared(stores);
  if (!lease) return SendError(response, lease.error());
  if (format != ResponseFormat::kJson) {
    auto next = next_cursor(***lease);
    if (!next) return SendError(response, StoreError(next.error()));
    SetCursorHeader(format, *next, response);
  }
  SharedLease shared = *lease;
  StreamRows(format, response, [shared, write_page](RowStreamWriter& writer) {
    return write_page(**shared, writer);
  });
}

void SendBody(httplib::Response& response, const std::string& body, std::string_view type) {
  response.set_content(body, std::string(type));
}

std::string_view ComputedContentType(ResponseFormat format) {
  return RowStreamWriter::ContentType(format);
}

// Streams the rows a stream stored (source=stream): no trades loaded, nothing cached.
void ServeStreamRows(StorePool& stores, const CorrelationRequest& parsed,
                     httplib::Response& response) {
  auto lease = BorrowShared(stores);
  if (!lease) return SendError(response, lease.error());
  SharedLease shared = *lease;
  response.set_chunked_content_provider(
      std::string(RowStreamWriter::ContentType(parsed.format)),
      [shared, parsed](std::size_t /*offset*/, httplib::DataSink& sink) {
        Status written = WriteStreamCorrelationReply(
            **shared, parsed,
            [&sink](std::string_view bytes) { return sink.write(bytes.data(), bytes.size()); });
        if (!written) {
          // As in StreamRows: the status line is gone, so the reply is cut short.
          std::fprintf(stderr, "cryptomood serve: reply aborted: %s\n",
                       written.error().message.c_str());
          return false;
        }
        sink.done();
        return true;
      });
}

// /healthz's "streams": each stream checkpoint's last commit.
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
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace

void SendError(httplib::Response& response, const ApiError& error) {
  response.status = error.status;
  SendBody(response, error.ToJson(), kJson);
}

bool ApiRoutes::RejectOtherMethods(const httplib::Request& request, httplib::Response& response) {
  if (request.method == "GET" || request.method == "HEAD") return false;
  if (RouteLabel(request.path) == "other") return false;
  response.set_header("Allow", "GET, HEAD");
  // The request's body (if any) is left unread, so the connection cannot carry another one.
  response.set_header("Connection", "close");
  SendError(response, ApiError::MethodNotAllowed(request.method + " is not allowed on " +
                                                 request.path + "; use GET"));
  return true;
}

std::string ApiRoutes::RouteLabel(const std::string& path) {
  for (std::string_view route : kRoutes) {
    if (path == route) return path;
  }
  if (path == "/" || path == "/index.html") return "/";
  return "other";
}

void ApiRoutes::Register(httplib::Server& server) {
  const auto bind =
      [this](void (ApiRoutes::*handler)(const httplib::Request&, httplib::Response&)) {
        return [this, handler](const httplib::Request& request, httplib::Response& response) {
          (this->*handler)(request, response);
        };
      };
  server.Get("/symbols", bind(&ApiRoutes::Symbols));
  server.Get("/coin", bind(&ApiRoutes::Trades));
  server.Get("/sentiment", bind(&ApiRoutes::Sentiment));
  server.Get("/merged", bind(&ApiRoutes::Merged));
  server.Get("/correlation", bind(&ApiRoutes::Correlation));
  server.Get("/series", bind(&ApiRoutes::Series));
  server.Get("/healthz", bind(&ApiRoutes::Health));
  server.Get("/metrics", bind(&ApiRoutes::MetricsText));
  server.Get("/openapi.json", [](const httplib::Request&, httplib::Response& response) {
    SendBody(response, std::string(OpenApiDocument()), kJson);
  });
}

ApiRoutes::ApiRoutes(StorePool& stores, ResponseCache& cache, Metrics& metrics)
    : stores_(stores),
      cache_(cache),
      metrics_(metrics),
      data_version_([&stores]() -> Result<std::int64_t> {
        auto lease = stores.Borrow();
        if (!lease) return lease.error();
        return (*lease)->DataVersion();
      }) {}

void ApiRoutes::Preload() {
  auto lease = stores_.Borrow();
  if (!lease) return;
  auto version = (*lease)->DataVersion();
  if (!version) return;
  std::lock_guard lock(compute_mutex_);
  (void)data_cache_.Get(**lease, TimeRange{}, *version);
}

void ApiRoutes::Symbols(const httplib::Request& request, httplib::Response& response) {
  auto format = ParseQuery(request, kFormatOnlyParameters, ParseResponseFormat);
  if (!format) return SendError(response, format.error());
  auto lease = stores_.Borrow();
  if (!lease) return SendError(response, StoreError(lease.error()));
  auto body = ComputeSymbolsReply(**lease, *format);
  if (!body) return SendError(response, StoreError(body.error()));
  SendBody(response, *body, RowStreamWriter::ContentType(*format));
}

void ApiRoutes::Trades(const httplib::Request& request, httplib::Response& response) {
  auto parsed = ParseQuery(request, kRecordPageParameters, ParseRecordPageRequest);
  if (!parsed) return SendError(response, parsed.error());
  const RecordQuery query = parsed->query;
  StreamPage(
      stores_, parsed->format, response,
      [query](Store& store, RowStreamWriter& writer) {
        return WriteTradePage(store, query, writer);
      },
      [query](Store& store) { return NextTradeCursor(store, query); });
}

void ApiRoutes::Sentiment(const httplib::Request& request, httplib::Response& response) {
  auto parsed = ParseQuery(request, kRecordPageParameters, ParseRecordPageRequest);
  if (!parsed) return SendError(response, parsed.error());
  const RecordQuery query = parsed->query;
  StreamPage(
      stores_, parsed->format, response,
      [query](Store& store, RowStreamWriter& writer) {
        return WriteSentimentPage(store, query, writer);
      },
      [query](Store& store) { return NextSentimentCursor(store, query); });
}

void ApiRoutes::Merged(const httplib::Request& request, httplib::Response& response) {
  auto parsed = ParseQuery(request, kMergedParameters, ParseMergedRequest);
  if (!parsed) return SendError(response, parsed.error());
  auto data = CurrentMarketData();
  if (!data) return SendError(response, StoreError(data.error()));
  auto page = std::make_shared<const MergedPage>(std::move(*data), *parsed);
  SetCursorHeader(parsed->format, page->next_cursor(), response);
  StreamRows(parsed->format, response,
             [page](RowStreamWriter& writer) -> Result<std::optional<RowCursor>> {
               page->Write(writer);
               return page->next_cursor();
             });
}

Result<std::shared_ptr<const StoredMarketData>> ApiRoutes::CurrentMarketData() {
  auto version = data_version_.Get();
  if (!version) return version.error();
  auto lease = stores_.Borrow();
  if (!lease) return lease.error();
  return data_cache_.Get(**lease, TimeRange{}, *version);
}

template <typename Request, typename Compute>
void ApiRoutes::ServeComputed(const Request& parsed, httplib::Response& response, Compute compute) {
  auto version = data_version_.Get();
  if (!version) return SendError(response, StoreError(version.error()));
  const std::string_view type = ComputedContentType(parsed.format);
  const auto serve = [&](const std::string& body, bool hit) {
    metrics_.RecordCache(hit);
    response.set_header("X-Cache", hit ? "hit" : "miss");
    SendBody(response, body, type);
  };
  if (auto body = cache_.Get(parsed.cache_key, *version)) return serve(*body, true);

  auto lease = stores_.Borrow();
  if (!lease) return SendError(response, StoreError(lease.error()));
  Store& store = **lease;
  std::lock_guard lock(compute_mutex_);
  // Another request may have computed it while this one waited.
  if (auto body = cache_.Get(parsed.cache_key, *version)) return serve(*body, true);
  auto stored = store.GetCachedResult(parsed.cache_key, *version);
  if (!stored) return SendError(response, StoreError(stored.error()));
  if (*stored) {
    cache_.Put(parsed.cache_key, *version, **stored);
    return serve(**stored, true);
  }
  auto data = data_cache_.Get(store, parsed.range, *version);
  if (!data) return SendError(response, StoreError(data.error()));
  auto body = compute(**data, parsed, CancellationToken::Never());
  if (!body) return SendError(response, StoreError(body.error()));
  if (Status put = store.PutCachedResult(parsed.cache_key, *version, *body); !put) {
    std::fprintf(stderr, "cryptomood serve: result not cached: %s\n", put.error().message.c_str());
  }
  cache_.Put(parsed.cache_key, *version, *body);
  serve(*body, false);
  // A computation frees tens of MB of scratch (pairs kept for Spearman, load buffers): give
  // it back to the system rather than let the idle server keep it.
  malloc_trim(0);
}

void ApiRoutes::Correlation(const httplib::Request& request, httplib::Response& response) {
  auto parsed = ParseQuery(request, kCorrelationParameters, ParseCorrelationRequest);
  if (!parsed) return SendError(response, parsed.error());
  if (parsed->source == CorrelationSource::kStream) {
    return ServeStreamRows(stores_, *parsed, response);
  }
  ServeComputed(*parsed, response, ComputeCorrelationReply);
}

void ApiRoutes::Series(const httplib::Request& request, httplib::Response& response) {
  auto parsed = ParseQuery(request, kSeriesParameters, ParseSeriesRequest);
  if (!parsed) return SendError(response, parsed.error());
  ServeComputed(*parsed, response, ComputeSeriesReply);
}

void ApiRoutes::Health(const httplib::Request& request, httplib::Response& response) {
  if (auto none = QueryParameters::Check(PairsOf(request), {}); !none) {
    return SendError(response, none.error());
  }
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
    response.status = 503;
    return SendBody(response, std::string(writer.view()), kJson);
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
  SendBody(response, std::string(writer.view()), kJson);
}

void ApiRoutes::MetricsText(const httplib::Request& request, httplib::Response& response) {
  if (auto none = QueryParameters::Check(PairsOf(request), {}); !none) {
    return SendError(response, none.error());
  }
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
  SendBody(response, text, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace cryptomood::http
