// ApiRoutes: the REST API's handlers on a cpp-httplib server: /symbols, /coin, /sentiment,
// /merged, /correlation, /series, /healthz, /metrics, /openapi.json, a JSON 405 for other
// methods on those paths and a JSON 404 for unknown paths.
// Handlers never throw: every failure becomes an ApiError reply. Computed replies are
// cached per (canonical parameters, data version), in memory and in the store's
// cached_results table, and computed one at a time (the data for one computation can take
// tens of MB; two at once on two cores would only thrash).
// /merged pages are cut from the same in-memory data set the computed replies read
// (MergedPage), so they cost no store scan.
// Ownership: borrows the pool, cache and metrics, which must outlive the server.
// Thread-safety: handlers run concurrently on the server's worker threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "http/api_error.h"
#include "http/data_version_probe.h"
#include "http/market_data_cache.h"
#include "http/metrics.h"
#include "http/response_cache.h"
#include "http/store_pool.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cryptomood::http {

class ApiRoutes {
 public:
  ApiRoutes(StorePool& stores, ResponseCache& cache, Metrics& metrics);

  void Register(httplib::Server& server);
  // Loads the data the computed replies read, so the first view does not wait for it.
  void Preload();

  // The metrics label of a request path: a registered route or "other".
  static std::string RouteLabel(const std::string& path);
  // Answers 405 for a method other than GET or HEAD on an API route. Called before routing,
  // so a POST is refused before cpp-httplib insists on reading its body.
  static bool RejectOtherMethods(const httplib::Request& request, httplib::Response& response);

 private:
  void Symbols(const httplib::Request& request, httplib::Response& response);
  void Trades(const httplib::Request& request, httplib::Response& response);
  void Sentiment(const httplib::Request& request, httplib::Response& response);
  void Merged(const httplib::Request& request, httplib::Response& response);
  void Correlation(const httplib::Request& request, httplib::Response& response);
  void Series(const httplib::Request& request, httplib::Response& response);
  void Health(const httplib::Request& request, httplib::Response& response);
  void MetricsText(const httplib::Request& request, httplib::Response& response);

  // The whole data set as of a data version read after the call (loaded if stale).
  Result<std::shared_ptr<const StoredMarketData>> CurrentMarketData();
  // Serves a computed reply from the cache or computes, stores and serves it.
  template <typename Request, typename Compute>
  void ServeComputed(const Request& parsed, httplib::Response& response, Compute compute);

  StorePool& stores_;
  ResponseCache& cache_;
  Metrics& metrics_;
  DataVersionProbe data_version_;  // for cache lookups: one read serves concurrent requests
  std::mutex compute_mutex_;
  MarketDataCache data_cache_;
};

// Writes an ApiError as the JSON reply.
void SendError(httplib::Response& response, const ApiError& error);

}  // namespace cryptomood::http
