// InProcessApi: the real routes (ApiRoutes) on the real server (HttpServer), listening on a free
// loopback port in this process, over the store at a URL. For tests that drive the API with an
// HTTP client while they write to the store themselves.
// Ownership: owns the pool, caches, metrics, server and routes, and the thread running the
// server; the destructor shuts the routes down, stops the server and joins the thread.
// Thread-safety: construct and destroy on one thread; routes() as ApiRoutes allows.
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include "core/result.h"
#include "http/api_routes.h"
#include "http/http_server.h"

namespace cryptomood::http {

class InProcessApi {
 public:
  InProcessApi(const std::string& store_url, const RouteLimits& limits)
      : stores_(store_url, StoreOptions{}),
        routes_(stores_, cache_, metrics_, StaticFiles{}, limits) {}
  InProcessApi(const InProcessApi&) = delete;
  InProcessApi& operator=(const InProcessApi&) = delete;
  ~InProcessApi() {
    routes_.BeginShutdown();
    server_.Stop(std::chrono::seconds(2));
    if (listener_.joinable()) listener_.join();
  }

  // Binds a free port on 127.0.0.1 and serves on a thread of its own; returns the port.
  Result<int> Start() {
    auto port = server_.Listen("127.0.0.1", 0);
    if (port.ok()) listener_ = std::thread([this] { server_.Run(); });
    return port;
  }

  ApiRoutes& routes() { return routes_; }

 private:
  StorePool stores_;
  ResponseCache cache_{1 << 20};
  Metrics metrics_;
  HttpServer server_{HttpServerLimits{},
                     [this](const HttpRequest& request, const Responder& responder) {
                       routes_.Handle(request, responder);
                     },
                     [](std::string_view, int, std::chrono::duration<double>) {}};
  ApiRoutes routes_;
  std::thread listener_;
};

}  // namespace cryptomood::http
