// `cryptomood stream`: one member of a consumer group computing windowed correlations from
// the trades and sentiment topics into the store and cryptomood.correlation.<window>
// (stream/stream_member.h). SIGTERM or SIGINT commits and leaves the group; exit 0.
// Stdout at the end: the member's totals, then (when windows closed while streaming) the
// median and p99 time from a window closing to its rows being acknowledged by the brokers.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/analysis_options.h"
#include "cli/command.h"
#include "core/status_macros.h"
#include "core/timestamp.h"
#include "io/terminal_text.h"
#include "store/store.h"
#include "stream/stream_member.h"

namespace cryptomood::cli {
namespace {

struct StreamCommandOptions {
  std::string brokers;
  std::string group = "cryptomood";
  std::string db = kDefaultStoreUrl;
  AnalysisOptionText analysis;
  std::string allowed_lateness = "30s";
  std::string idle_timeout = "30s";
  std::string stop_when_idle;
  std::string commit_interval = "1s";
  std::string liveness_interval = "5s";
  std::vector<std::string> properties;
};

std::atomic<bool> stop_signal_received{false};

extern "C" void OnStopSignal(int /*signal*/) { stop_signal_received.store(true); }

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood stream: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

Result<std::chrono::milliseconds> ParseMillis(std::string_view option, const std::string& text) {
  auto nanos = ParseFixedDuration(text);
  if (!nanos) return OptionError(option, nanos.error());
  return std::chrono::milliseconds(*nanos / 1'000'000);
}

Result<StreamOptions> BuildOptions(const StreamCommandOptions& command) {
  StreamOptions options;
  if (command.brokers.empty()) return Error{"--brokers is required", ErrorKind::kUsage};
  options.kafka = KafkaConfig{command.brokers, command.properties};
  options.group = command.group;
  options.store_url = command.db;
  if (command.analysis.window.empty()) {
    return Error{"--window is required: a stream reports closed windows", ErrorKind::kUsage};
  }
  CRYPTOMOOD_RETURN_IF_ERROR(ParseAnalysisOptions(command.analysis, options.params));
  auto lateness = ParseNonNegativeDuration(command.allowed_lateness);
  if (!lateness) return OptionError("--allowed-lateness", lateness.error());
  options.allowed_lateness_nanos = *lateness;
  CRYPTOMOOD_ASSIGN_OR_RETURN(options.idle_timeout,
                              ParseMillis("--idle-timeout", command.idle_timeout));
  CRYPTOMOOD_ASSIGN_OR_RETURN(options.commit_interval,
                              ParseMillis("--commit-interval", command.commit_interval));
  CRYPTOMOOD_ASSIGN_OR_RETURN(options.liveness_interval,
                              ParseMillis("--liveness-interval", command.liveness_interval));
  if (!command.stop_when_idle.empty()) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(options.stop_when_idle,
                                ParseMillis("--stop-when-idle", command.stop_when_idle));
  }
  return options;
}

int RunStream(const StreamCommandOptions& command) {
  Result<StreamOptions> options = BuildOptions(command);
  if (!options.ok()) return Fail(options.error());
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
  options->stop_requested = [] { return stop_signal_received.load(); };
  options->log = [](const std::string& line) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string when =
        FormatTimestampMicros(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    std::fprintf(stderr, "cryptomood stream: %s %s\n", when.c_str(),
                 EscapeForTerminal(line).c_str());
  };
  Result<StreamTotals> totals = RunStreamMember(*options);
  if (!totals.ok()) return Fail(totals.error());
  fmt::print(
      "cryptomood stream: {} messages, {} accepted, {} duplicates, {} late, {} dead letters, "
      "{} rows in {} commits\n",
      totals->messages, totals->accepted, totals->duplicates, totals->late, totals->dead_letters,
      totals->rows, totals->commits);
  if (totals->publish_latency.total > 0) {
    fmt::print(
        "cryptomood stream: rows published {} ms (median), {} ms (p99) after their window "
        "closed\n",
        totals->publish_latency.Quantile(0.5), totals->publish_latency.Quantile(0.99));
  }
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void AddStreamCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<StreamCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "stream", "Compute windowed correlations from Kafka as a consumer group member");
  command->add_option("--brokers", options->brokers, "Bootstrap servers HOST:PORT,...")->required();
  command->add_option("--group", options->group, "Consumer group id (default cryptomood)");
  command->add_option("--db", options->db, "Store URL (default sqlite:cryptomood.db)");
  AddAnalysisOptions(*command, options->analysis, "Tumbling event-time window, e.g. 1h (required)");
  command->add_option("--allowed-lateness", options->allowed_lateness,
                      "Watermark = latest event time - this (default 30s; 0 for in-order "
                      "inputs); older events are late");
  command->add_option("--idle-timeout", options->idle_timeout,
                      "An input partition silent this long stops holding the watermark (30s)");
  command->add_option("--stop-when-idle", options->stop_when_idle,
                      "Backfills and tests: after no message for D, once the brokers confirm "
                      "nothing is left to read, close every window, commit, exit 0");
  command->add_option("--commit-interval", options->commit_interval,
                      "Commit offsets and state at least this often while reading (default 1s)");
  command->add_option("--liveness-interval", options->liveness_interval,
                      "Commit again this often when idle, so readers of the store see the member "
                      "is alive (default 5s)");
  command->add_option("-X", options->properties,
                      "librdkafka property key=value (repeatable), e.g. security.protocol=SSL");
  command->callback([options, &runner] { runner = [options] { return RunStream(*options); }; });
}

}  // namespace cryptomood::cli
