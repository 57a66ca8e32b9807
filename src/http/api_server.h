// ApiServer: `cryptomood serve` as a library call. Opens the store, serves the REST API and
// the dashboard's static files until SIGTERM or SIGINT, then stops accepting, lets in-flight
// requests finish and returns.
// Limits: request line 8 KiB (414 beyond), header lines 8 KiB, request bodies 64 KiB, 10 s
// read and write timeouts, keep-alive connections recycled after 100 requests.
// Static files: web_root at "/", and uPlot's dist/ folder (from npm, web/node_modules) at
// /vendor/uplot/; cpp-httplib refuses paths with "..", so nothing outside them is served.
// Thread-safety: RunApiServer blocks the calling thread; it handles SIGTERM/SIGINT itself
// (blocked in every thread, taken by a dedicated one), so call it from the main thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace cryptomood::http {

struct ServeOptions {
  std::string db_url;
  std::string host = "127.0.0.1";
  int port = 5002;       // 0 picks a free port
  std::string web_root;  // empty: API only
  int threads = 64;      // worker threads = connections served at once
  std::int64_t cache_budget_bytes = kDefaultCacheBudgetBytes;  // the store's result cache
};

// on_listening receives "http://HOST:PORT/" once the port is bound.
Status RunApiServer(const ServeOptions& options,
                    const std::function<void(const std::string& url)>& on_listening);

}  // namespace cryptomood::http
