// ApiRoutes: the REST API's handlers behind HttpServer: /symbols, /coin, /sentiment, /merged,
// /correlation, /events (Server-Sent Events), /series, /healthz, /metrics, /openapi.json, the
// dashboard's static files, a JSON 405 for methods other than GET and HEAD and a JSON 404 for
// unknown paths.
//
// Where work runs, so one kind of load cannot starve another:
//   - on the server's I/O threads (Handle): parsing, cache lookups, cost checks, /healthz,
//     /metrics, /symbols, /openapi.json, static files: each a memory lookup or one short
//     store read, answered without a hand-off between threads;
//   - the event hub's thread (event_hub.h): every /events subscriber's feed;
//   - the pages pool: streamed replies (/coin, /sentiment, /merged, /correlation?source=stream),
//   whose
//     writers wait on slow readers;
//   - the compute pool: /correlation and /series cache misses, at most compute_threads at once and
//     compute_queue waiting; beyond that a request is answered 503 with Retry-After.
// A full pool answers 503 with Retry-After at once rather than queueing without bound.
//
// A computed request's cost is estimated before any work (request_cost.h): over the limits it
// is answered 413 naming the parameter. A computation polls a CancellationToken that the
// client's disconnection, the compute deadline (503 "timeout") or the server's shutdown
// cancels. Computed replies are cached per (canonical parameters, data version) in memory and
// in the store's cached_results table.
// Handlers never throw: every failure becomes an ApiError reply.
// Ownership: borrows the pool, cache and metrics, which must outlive it; owns its worker
// pools, whose destructor waits for the work in them.
// Thread-safety: Handle may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/cancellation.h"
#include "http/api_error.h"
#include "http/data_version_probe.h"
#include "http/deadline_watch.h"
#include "http/event_hub.h"
#include "http/http_server.h"
#include "http/market_data_cache.h"
#include "http/metrics.h"
#include "http/request_cost.h"
#include "http/response_cache.h"
#include "http/static_files.h"
#include "http/store_pool.h"
#include "http/worker_pool.h"

namespace cryptomood::http {

struct RouteLimits {
  CostLimits cost;
  std::chrono::milliseconds compute_deadline{30'000};
  int compute_threads = 2;
  std::size_t compute_queue = 32;
  int page_threads = 8;
  std::size_t page_queue = 256;
  EventHubOptions events;
};

class ApiRoutes {
 public:
  ApiRoutes(StorePool& stores, ResponseCache& cache, Metrics& metrics, StaticFiles files,
            const RouteLimits& limits);

  // The server's RequestHandler (on an I/O thread): answers light requests at once and hands
  // the others to the pool their work belongs on.
  void Handle(const HttpRequest& request, const Responder& responder);
  // Loads the data the computed replies read, so the first view does not wait for it.
  void Preload();
  // From now on every request is answered 503 and every computation is cancelled.
  void BeginShutdown();

  // The metrics label of a request path: a registered route or "other".
  static std::string RouteLabel(std::string_view path);

 private:
  HttpResponse Symbols(const HttpRequest& request);
  HttpResponse Trades(const HttpRequest& request);
  HttpResponse Sentiment(const HttpRequest& request);
  HttpResponse Merged(const HttpRequest& request);
  void Correlation(const HttpRequest& request, const Responder& responder);
  void Events(const HttpRequest& request, const Responder& responder);
  void Series(const HttpRequest& request, const Responder& responder);
  void Diagnostics(const HttpRequest& request, const Responder& responder);
  void Causality(const HttpRequest& request, const Responder& responder);
  HttpResponse Health(const HttpRequest& request);
  HttpResponse MetricsText(const HttpRequest& request);
  HttpResponse OpenApi(const HttpRequest& request);

  // Runs `make_response` on the pages pool and sends its reply (503 when the pool is full).
  template <typename MakeResponse>
  void OnPagePool(const Responder& responder, MakeResponse make_response);
  // The whole data set as of a data version read after the call (loaded if stale).
  Result<std::shared_ptr<const StoredMarketData>> CurrentMarketData();
  // Serves a computed reply from the cache, or checks its cost and computes it on the
  // compute pool, then caches and serves it.
  template <typename Request, typename Compute, typename CheckCost>
  void ServeComputed(const Request& parsed, const Responder& responder, Compute compute,
                     CheckCost check_cost);
  // A cancellation token for one computation, cancelled by the client, the deadline or a
  // shutdown; the returned guard ends the deadline's watch.
  std::shared_ptr<CancellationToken> WatchComputation(const Responder& responder);

  StorePool& stores_;
  ResponseCache& cache_;
  Metrics& metrics_;
  StaticFiles files_;
  RouteLimits limits_;
  DataVersionProbe data_version_;  // for cache lookups: one read serves concurrent requests
  MarketDataCache data_cache_;
  DeadlineWatch deadlines_;
  std::atomic<bool> shutting_down_{false};
  EventHub events_;
  // Declared last: destroyed first, so their work finishes while the members above live.
  WorkerPool compute_pool_;
  WorkerPool page_pool_;
};

// An ApiError as a JSON reply.
HttpResponse ErrorResponse(const ApiError& error);

}  // namespace cryptomood::http
