#include "http/api_server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "http/api_routes.h"
#include "http/metrics.h"
#include "http/response_cache.h"
#include "http/store_pool.h"

namespace cryptomood::http {
namespace {

constexpr std::size_t kResponseCacheBytes = std::size_t{32} << 20;
// A server connection reads little: a small page cache keeps 64 of them light.
constexpr std::int64_t kServerSqliteCacheBytes = std::int64_t{1} << 20;

// When the request started, for the latency histogram: set before routing, read by the
// logger, both on the worker thread that handles the request.
thread_local std::chrono::steady_clock::time_point request_started;

void ConfigureLimits(httplib::Server& server, int threads) {
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_keep_alive_timeout(5);
  // Clients that keep their connection get to keep it: recycling connections under load only
  // adds reconnects, which the small accept backlog turns into SYN retransmits.
  server.set_keep_alive_max_count(100'000);
  server.set_payload_max_length(64 * 1024);
  // Headers and body go out in separate writes: without NODELAY, Nagle and delayed ACKs add
  // ~40 ms to every keep-alive reply.
  server.set_tcp_nodelay(true);
}

void MountStatic(httplib::Server& server, const std::string& web_root) {
  if (web_root.empty()) return;
  if (!server.set_mount_point("/", web_root)) {
    std::fprintf(stderr, "cryptomood serve: warning: web root %s not found; API only\n",
                 web_root.c_str());
    return;
  }
  const std::filesystem::path uplot =
      std::filesystem::path(web_root).parent_path() / "node_modules" / "uplot" / "dist";
  if (!server.set_mount_point("/vendor/uplot", uplot.string())) {
    std::fprintf(stderr,
                 "cryptomood serve: warning: %s not found (run `npm ci` in web/); the "
                 "dashboard's charts will not load\n",
                 uplot.string().c_str());
  }
}

void InstallObservers(httplib::Server& server, Metrics& metrics) {
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([&metrics](const httplib::Request& request, const httplib::Response& response) {
    const std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - request_started;
    metrics.RecordRequest(ApiRoutes::RouteLabel(request.path), response.status, elapsed.count());
  });
  // Errors the router produces itself (no such path, a static file missing) get the API's
  // JSON shape too; replies a handler already wrote are left alone.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (response.status == 404) {
          SendError(response, ApiError::NotFound("no route or file at " + request.path));
        } else {
          SendError(response, ApiError{response.status, "bad_request", {}, "request rejected"});
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unexpected failure";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& exception) {
          what = exception.what();
        } catch (...) {
        }
        SendError(response, ApiError::Internal(what));
      });
}

// Waits in its own thread for SIGTERM or SIGINT (blocked everywhere else) and stops the
// server; Release() wakes it when the server stopped for another reason.
class StopOnSignal {
 public:
  explicit StopOnSignal(httplib::Server& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    // Before any other thread starts, so all of them inherit the blocked mask.
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&signals_, &signal);
      if (!released_) server.stop();
    });
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  ~StopOnSignal() {
    released_ = true;
    pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }

 private:
  sigset_t signals_{};
  std::atomic<bool> released_{false};
  std::thread waiter_;
};

}  // namespace

Status RunApiServer(const ServeOptions& options,
                    const std::function<void(const std::string& url)>& on_listening) {
  StoreOptions store_options;
  store_options.sqlite_cache_bytes = kServerSqliteCacheBytes;
  // Open once up front: a bad URL or an unreachable database fails the command at once.
  auto first = OpenStore(options.db_url, store_options);
  if (!first) return first.error();
  first->reset();

  StorePool stores(options.db_url, store_options);
  ResponseCache cache(kResponseCacheBytes);
  Metrics metrics;
  httplib::Server server;
  StopOnSignal stop_on_signal(server);
  ConfigureLimits(server, options.threads);
  MountStatic(server, options.web_root);
  InstallObservers(server, metrics);
  ApiRoutes routes(stores, cache, metrics);
  routes.Register(server);

  // cpp-httplib's listen backlog is compiled in at 5: a burst of new connections beyond it
  // waits a whole SYN retry (1 s). The socket-options hook sees the listening socket before
  // bind, so it is remembered and listened on again with the system's maximum backlog.
  int listening_socket = -1;
  server.set_socket_options([&listening_socket](int socket) {
    const int on = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    listening_socket = socket;
  });

  int port = options.port;
  const bool bound = port == 0 ? (port = server.bind_to_any_port(options.host)) > 0
                               : server.bind_to_port(options.host, port);
  if (!bound) {
    return Error{"cannot listen on " + options.host + ":" + std::to_string(options.port)};
  }
  if (listening_socket >= 0) ::listen(listening_socket, SOMAXCONN);
  const bool ipv6 = options.host.find(':') != std::string::npos;
  on_listening("http://" + (ipv6 ? "[" + options.host + "]" : options.host) + ":" +
               std::to_string(port) + "/");
  if (!server.listen_after_bind()) return Error{"the server stopped unexpectedly"};
  return Status::Ok();
}

}  // namespace cryptomood::http
