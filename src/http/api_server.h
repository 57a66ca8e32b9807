// ApiServer: `cryptomood serve` as a library call. Opens the store, serves the REST API and
// the dashboard's static files (api_routes.h) on an HttpServer (http_server.h) until SIGTERM
// or SIGINT, then drains and returns.
// Shutdown: on the signal the server stops accepting, closes idle connections, cancels every
// computation (answered 503), lets replies being written finish for up to kDrainLimit and
// then returns, so the process exits within that bound plus a second.
// Thread-safety: RunApiServer blocks the calling thread; it handles SIGTERM/SIGINT itself
// (blocked in every thread, taken by a dedicated one), so call it from the main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/api_routes.h"
#include "http/http_server.h"
#include "http/web_assets.h"
#include "store/store.h"

namespace cryptomood::http {

inline constexpr std::chrono::seconds kDrainLimit{10};

struct ServeOptions {
  std::string db_url;
  std::string host = "127.0.0.1";
  int port = 5002;                                             // 0 picks a free port
  std::optional<WebAssets> web;                                // none: API only
  std::int64_t cache_budget_bytes = kDefaultCacheBudgetBytes;  // the store's result cache
  HttpServerLimits connection_limits;
  RouteLimits route_limits;
};

// on_listening receives "http://HOST:PORT/" once the port is bound.
Status RunApiServer(const ServeOptions& options,
                    const std::function<void(const std::string& url)>& on_listening);

}  // namespace cryptomood::http
