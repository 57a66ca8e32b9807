// How subcommands plug into the cryptomood binary: each Add*Command declares its options on
// the CLI11 app and, when its subcommand is chosen, stores the function that runs it.
// Exit codes: 0 success, 1 runtime failure (or a cancelled computation), 2 bad usage (or
// --strict rejection).
#pragma once

#include <functional>

#include "core/result.h"

namespace CLI {
class App;
}

namespace cryptomood::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// The exit code of a failed command, by the kind of its error.
inline int ExitCodeFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kUsage:
    case ErrorKind::kRejected:
      return kExitUsage;
    case ErrorKind::kFailure:
    case ErrorKind::kCancelled:
    case ErrorKind::kFenced:
      return kExitFailure;
  }
  return kExitFailure;
}

using CommandRunner = std::function<int()>;

void AddAnalyzeCommand(CLI::App& app, CommandRunner& runner);
void AddSimulateCommand(CLI::App& app, CommandRunner& runner);
void AddIngestCommand(CLI::App& app, CommandRunner& runner);
void AddServeCommand(CLI::App& app, CommandRunner& runner);
void AddReportCommand(CLI::App& app, CommandRunner& runner);
void AddProduceCommand(CLI::App& app, CommandRunner& runner);
void AddSandboxCommand(CLI::App& app, CommandRunner& runner);
void AddStreamCommand(CLI::App& app, CommandRunner& runner);

}  // namespace cryptomood::cli
