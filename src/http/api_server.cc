#include "http/api_server.h"

#include <malloc.h>
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "http/metrics.h"
#include "http/response_cache.h"
#include "http/static_files.h"
#include "http/store_pool.h"

namespace cryptomood::http {
namespace {

constexpr std::size_t kResponseCacheBytes = std::size_t{32} << 20;
// A server connection reads little, and mostly in time order: a small page cache (32 pages of
// 16 KiB) keeps many of them light.
constexpr std::int64_t kServerSqliteCacheBytes = std::int64_t{512} << 10;

// Waits in its own thread for SIGTERM or SIGINT (blocked everywhere else), then runs
// `on_signal`. The destructor wakes it when the server stopped for another reason.
// Call BlockStopSignals before any thread starts, so all of them inherit the blocked mask.
class StopOnSignal {
 public:
  // Wakes the waiter when the server stopped by itself; blocked like the others.
  static constexpr int kWakeSignal = SIGUSR2;

  static sigset_t StopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, kWakeSignal);
    return signals;
  }
  static void BlockStopSignals() {
    const sigset_t signals = StopSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  }

  explicit StopOnSignal(std::function<void()> on_signal) : signals_(StopSignals()) {
    waiter_ = std::thread([this, on_signal = std::move(on_signal)] {
      int signal = 0;
      sigwait(&signals_, &signal);
      if (signal != kWakeSignal) on_signal();
    });
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  ~StopOnSignal() {
    pthread_kill(waiter_.native_handle(), kWakeSignal);
    waiter_.join();
  }

 private:
  sigset_t signals_{};
  std::thread waiter_;
};

// glibc's allocator, tuned for a long-running server. By default it raises its mmap
// threshold each time a large block is freed, so the data set's vectors and every later large
// buffer end up inside the heaps, where freed space is rarely given back; and it makes up to
// 8 arenas a core, each keeping its own free space. A fixed threshold keeps large blocks in
// mmap (returned on free) and 4 arenas bound the scatter.
void TuneAllocatorForServing() {
  constexpr int kMmapThresholdBytes = 256 << 10;
  constexpr int kArenas = 4;
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_ARENA_MAX, kArenas);
}

StaticFiles LoadStaticFiles(const std::optional<WebAssets>& web) {
  if (!web) return StaticFiles{};
  std::vector<std::string> warnings;
  StaticFiles files = StaticFiles::Load(*web, warnings);
  for (const std::string& warning : warnings) {
    std::fprintf(stderr, "cryptomood serve: warning: %s\n", warning.c_str());
  }
  return files;
}

}  // namespace

Status RunApiServer(const ServeOptions& options,
                    const std::function<void(const std::string& url)>& on_listening) {
  StopOnSignal::BlockStopSignals();
  TuneAllocatorForServing();
  StoreOptions store_options;
  store_options.sqlite_cache_bytes = kServerSqliteCacheBytes;
  store_options.cache_budget_bytes = options.cache_budget_bytes;
  // Open once up front: a bad URL or an unreachable database fails the command at once.
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto first, OpenStore(options.db_url, store_options));
  first.reset();

  StorePool stores(options.db_url, store_options);
  ResponseCache cache(kResponseCacheBytes);
  Metrics metrics;
  ApiRoutes* routes_for_handler = nullptr;
  HttpServer server(
      options.connection_limits,
      [&routes_for_handler](const HttpRequest& request, const Responder& responder) {
        routes_for_handler->Handle(request, responder);
      },
      [&metrics](std::string_view path, int status, std::chrono::duration<double> elapsed) {
        metrics.RecordRequest(ApiRoutes::RouteLabel(path), status, elapsed.count());
      });
  // Declared after the server: destroyed before it, waiting for its workers, whose replies
  // still reach the server's connections.
  ApiRoutes routes(stores, cache, metrics, LoadStaticFiles(options.web), options.route_limits);
  routes_for_handler = &routes;
  StopOnSignal stop_on_signal([&server, &routes] {
    routes.BeginShutdown();
    server.Stop(kDrainLimit);
  });

  CRYPTOMOOD_ASSIGN_OR_RETURN(auto port, server.Listen(options.host, options.port));
  const bool ipv6 = options.host.find(':') != std::string::npos;
  on_listening("http://" + (ipv6 ? "[" + options.host + "]" : options.host) + ":" +
               std::to_string(port) + "/");
  std::thread preload([&routes] { routes.Preload(); });
  server.Run();
  preload.join();
  return Status::Ok();
}

}  // namespace cryptomood::http
