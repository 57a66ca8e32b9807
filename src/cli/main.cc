// Entry point of the cryptomood binary: parses the command line and runs one subcommand.
// No exception escapes: usage errors exit 2, anything unexpected exits 1 with a message.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/command.h"
#include "cryptomood_version.h"

namespace {

int RunCommandLine(int argc, char** argv) {
  using namespace cryptomood::cli;
  CLI::App app{"cryptomood: does Twitter sentiment move with coin prices?"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       "cryptomood " CRYPTOMOOD_VERSION " (commit " CRYPTOMOOD_COMMIT ")");
  CommandRunner runner;
  AddAnalyzeCommand(app, runner);
  AddSimulateCommand(app, runner);
  AddIngestCommand(app, runner);
  AddServeCommand(app, runner);
  AddReportCommand(app, runner);
  AddProduceCommand(app, runner);
  AddSandboxCommand(app, runner);
  AddStreamCommand(app, runner);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return runner ? runner() : kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return RunCommandLine(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cryptomood: internal error: %s\n", error.what());
  } catch (...) {
    std::fprintf(stderr, "cryptomood: internal error\n");
  }
  return cryptomood::cli::kExitFailure;
}
