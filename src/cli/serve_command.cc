// `cryptomood serve`: the REST API and the dashboard over a store, on loopback unless another
// address is asked for. Prints "cryptomood: serving URL" on stdout once it listens, so
// scripts and tests can wait for that line; SIGTERM drains in-flight requests and exits 0.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/analysis_options.h"
#include "cli/command.h"
#include "cli/web_root.h"
#include "http/api_server.h"
#include "io/terminal_text.h"
#include "store/store.h"

namespace cryptomood::cli {
namespace {

// Seconds on the command line, milliseconds inside.
CLI::Option* AddSeconds(CLI::App& command, const std::string& name,
                        std::chrono::milliseconds& target, const std::string& help,
                        double min_seconds = 0.05) {
  return command
      .add_option_function<double>(
          name,
          [&target](double seconds) {
            target = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
          },
          help + " (default " + fmt::format("{:g}", std::chrono::duration<double>(target).count()) +
              ")")
      ->check(CLI::Range(min_seconds, 86400.0));
}

void AddEventOptions(CLI::App& command, http::EventHubOptions& events) {
  AddSeconds(command, "--events-poll", events.poll_interval,
             "Seconds between the /events feed's reads of new stream rows", 0.001);
  AddSeconds(command, "--events-heartbeat", events.heartbeat_interval,
             "Seconds between /events heartbeat comments", 0.1);
  command
      .add_option_function<std::size_t>(
          "--events-queue-kb",
          [&events](std::size_t kib) { events.client_queue_bytes = kib * 1024; },
          "KiB of events queued for one /events client before it is dropped (default " +
              std::to_string(events.client_queue_bytes / 1024) + ")")
      ->check(CLI::Range(16, 1 << 20));
}

void AddServeLimitOptions(CLI::App& command, http::ServeOptions& options, CostLimitOptions& cost) {
  http::HttpServerLimits& connections = options.connection_limits;
  http::RouteLimits& routes = options.route_limits;
  command
      .add_option("--max-connections", connections.max_connections,
                  "Connections open at once; one more is answered 503 (default 4096)")
      ->check(CLI::Range(1, 1'000'000));
  AddSeconds(command, "--header-timeout", connections.header_timeout,
             "Seconds for a request's line and headers to arrive, else 408");
  AddSeconds(command, "--idle-timeout", connections.idle_timeout,
             "Seconds an idle keep-alive connection stays open");
  AddSeconds(command, "--write-timeout", connections.write_timeout,
             "Seconds a reply may make no progress before the connection closes");
  AddSeconds(command, "--compute-deadline", routes.compute_deadline,
             "Seconds a computation may run before it is cancelled (503 timeout)");
  routes.compute_threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  command
      .add_option("--compute-threads", routes.compute_threads,
                  "Computations run at once (default: the number of cores)")
      ->check(CLI::Range(1, 256));
  command
      .add_option("--compute-queue", routes.compute_queue,
                  "Computations waiting beyond those; one more is answered 503 (default 32)")
      ->check(CLI::Range(0, 100'000));
  AddCostLimitOptions(command, cost);
  AddEventOptions(command, routes.events);
}

void ReportError(const Error& error) {
  std::fprintf(stderr, "cryptomood serve: %s\n", EscapeForTerminal(error.message).c_str());
}

int RunServe(http::ServeOptions options, const std::string& web_root) {
  const WebRootSearch search = WebRootSearchFor(web_root);
  auto web = FindWebRoot(search);
  if (!web) {
    ReportError(web.error());
    return ExitCodeFor(web.error());
  }
  options.web = *web;
  if (!options.web) {
    std::fprintf(stderr, "cryptomood serve: %s; serving the API only\n",
                 EscapeForTerminal(NoWebRootMessage(search)).c_str());
  }
  const Status status = http::RunApiServer(options, [](const std::string& url) {
    std::printf("cryptomood: serving %s\n", url.c_str());
    std::fflush(stdout);
  });
  if (!status) {
    ReportError(status.error());
    return status.error().kind == ErrorKind::kUsage ? kExitUsage : kExitFailure;
  }
  std::fprintf(stderr, "cryptomood serve: stopped\n");
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<http::ServeOptions>();
  options->db_url = kDefaultStoreUrl;
  CLI::App* command =
      app.add_subcommand("serve", "Serve the REST API and the dashboard over a store");
  command->add_option("--db", options->db_url,
                      "Store URL: sqlite:PATH (default sqlite:cryptomood.db) or postgresql://...");
  command->add_option("--host", options->host,
                      "Address to listen on (default 127.0.0.1: this machine only)");
  command->add_option("--port", options->port, "TCP port (default 5002; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  auto web_root = std::make_shared<std::string>();
  command->add_option("--web-root", *web_root, kWebRootHelp);
  command
      ->add_option_function<std::int64_t>(
          "--cache-budget-mb",
          [options](std::int64_t mebibytes) { options->cache_budget_bytes = mebibytes << 20; },
          "MiB of computed replies the store keeps, least recently used evicted first "
          "(default 64; 0 disables the store's cache)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 20));
  auto cost = std::make_shared<CostLimitOptions>();
  AddServeLimitOptions(*command, *options, *cost);
  command->callback([options, cost, web_root, &runner] {
    options->route_limits.cost = ToCostLimits(*cost);
    runner = [options, web_root] { return RunServe(*options, *web_root); };
  });
}

}  // namespace cryptomood::cli
