// `cryptomood serve`: the REST API and the dashboard over a store, on loopback unless another
// address is asked for. Prints "cryptomood: serving URL" on stdout once it listens, so
// scripts and tests can wait for that line; SIGTERM drains in-flight requests and exits 0.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "http/api_server.h"
#include "io/terminal_text.h"
#include "store/store.h"

#ifndef CRYPTOMOOD_DEFAULT_WEB_ROOT
#define CRYPTOMOOD_DEFAULT_WEB_ROOT ""
#endif

namespace cryptomood::cli {
namespace {

int RunServe(const http::ServeOptions& options) {
  const Status status = http::RunApiServer(options, [](const std::string& url) {
    std::printf("cryptomood: serving %s\n", url.c_str());
    std::fflush(stdout);
  });
  if (!status) {
    std::fprintf(stderr, "cryptomood serve: %s\n",
                 EscapeForTerminal(status.error().message).c_str());
    return status.error().kind == ErrorKind::kUsage ? kExitUsage : kExitFailure;
  }
  std::fprintf(stderr, "cryptomood serve: stopped\n");
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<http::ServeOptions>();
  options->db_url = kDefaultStoreUrl;
  options->web_root = CRYPTOMOOD_DEFAULT_WEB_ROOT;
  CLI::App* command =
      app.add_subcommand("serve", "Serve the REST API and the dashboard over a store");
  command->add_option("--db", options->db_url,
                      "Store URL: sqlite:PATH (default sqlite:cryptomood.db) or postgresql://...");
  command->add_option("--host", options->host,
                      "Address to listen on (default 127.0.0.1: this machine only)");
  command->add_option("--port", options->port, "TCP port (default 5002; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--web-root", options->web_root,
                      "Folder of the dashboard's files (default: the source tree's web/static)");
  command
      ->add_option("--threads", options->threads,
                   "Worker threads = connections served at once (default 64)")
      ->check(CLI::Range(1, 1024));
  command
      ->add_option_function<std::int64_t>(
          "--cache-budget-mb",
          [options](std::int64_t mebibytes) { options->cache_budget_bytes = mebibytes << 20; },
          "MiB of computed replies the store keeps, least recently used evicted first "
          "(default 64; 0 disables the store's cache)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 20));
  command->callback([options, &runner] { runner = [options] { return RunServe(*options); }; });
}

}  // namespace cryptomood::cli
