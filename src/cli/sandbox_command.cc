// `cryptomood sandbox`: runs librdkafka's in-process mock Kafka cluster with cryptomood's
// topics (stream/sandbox.h) until SIGTERM or SIGINT. A development and test aid, never a
// production broker. Its first stdout line is
//   cryptomood: sandbox brokers at HOST:PORT,...
// flushed at once, so a parent process can read the bootstrap servers from it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "stream/sandbox.h"

namespace cryptomood::cli {
namespace {

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood sandbox: %s\n", error.message.c_str());
  return error.kind == ErrorKind::kFailure ? kExitFailure : kExitUsage;
}

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

int RunSandbox(const SandboxOptions& options) {
  // Blocked before librdkafka starts its threads (they inherit the mask), so that only
  // sigwait below receives the stop signals.
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto sandbox = KafkaSandbox::Start(options);
  if (!sandbox.ok()) return Fail(sandbox.error());
  fmt::print("cryptomood: sandbox brokers at {}\n", (*sandbox)->bootstraps());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  sandbox->reset();
  return kExitOk;
}

}  // namespace

void AddSandboxCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<SandboxOptions>();
  CLI::App* command = app.add_subcommand(
      "sandbox",
      "Run an in-memory mock Kafka cluster with cryptomood's topics (development and test aid, "
      "never a production broker)");
  command->footer(
      "librdkafka's mock cluster, listening on 127.0.0.1 at random ports. Prints\n"
      "'cryptomood: sandbox brokers at HOST:PORT,...' first, then runs until SIGTERM or SIGINT\n"
      "(exit 0). Topics: cryptomood.trades and cryptomood.sentiment (--partitions each),\n"
      "cryptomood.late and cryptomood.dlq (1), cryptomood.correlation.{1m,5m,15m,1h,1d}.\n"
      "Nothing is persisted.");
  command->add_option("--brokers", options->brokers, "Number of mock brokers (default 1)")
      ->check(CLI::Range(1, 16));
  command
      ->add_option("--partitions", options->partitions,
                   "Partitions of the trades, sentiment and correlation topics (default 4)")
      ->check(CLI::Range(1, 1024));
  command->callback([options, &runner] { runner = [options] { return RunSandbox(*options); }; });
}

}  // namespace cryptomood::cli
