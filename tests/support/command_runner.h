// Test support: runs one `cryptomood SUBCOMMAND ...` in process (analyze and simulate are
// registered), with stderr captured and stdout left alone; tests write results with --output.
// Thread-safety: one call at a time (gtest's stderr capture is process-wide).
#pragma once

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/command.h"

namespace cryptomood::testing {

struct CommandOutcome {
  int exit_code;
  std::string error_output;
};

inline CommandOutcome RunCliCommand(std::vector<std::string> arguments) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  cli::CommandRunner runner;
  cli::AddAnalyzeCommand(app, runner);
  cli::AddSimulateCommand(app, runner);
  arguments.insert(arguments.begin(), "cryptomood");
  std::vector<char*> argv;
  argv.reserve(arguments.size());
  for (std::string& argument : arguments) argv.push_back(argument.data());
  ::testing::internal::CaptureStderr();
  int exit_code = cli::kExitUsage;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    exit_code = runner ? runner() : cli::kExitUsage;
  } catch (const CLI::ParseError& error) {
    exit_code = app.exit(error) == 0 ? cli::kExitOk : cli::kExitUsage;
  }
  return CommandOutcome{exit_code, ::testing::internal::GetCapturedStderr()};
}

}  // namespace cryptomood::testing
