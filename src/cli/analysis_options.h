// The analysis options `analyze` and `stream` share (--mode, --direction, --tolerance,
// --interval, --lags, --window): one declaration of each option and one parser, so both
// commands accept exactly the same text and report a bad value the same way.
// Thread-safety: plain data and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/analysis.h"
#include "core/result.h"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace
class App;
}  // namespace CLI

namespace cryptomood::cli {

struct AnalysisOptionText {
  std::string mode = "tick";
  std::string direction;
  std::string tolerance;
  std::string interval = "1m";
  std::string lags = "0:0";
  std::string window;
};

// Declares the options on command; `window_help` describes --window for this command.
void AddAnalysisOptions(CLI::App& command, AnalysisOptionText& text,
                        const std::string& window_help);

// The error, as a usage error whose message starts with the option's name.
Error OptionError(std::string_view option, Error error);

// Sets params' mode, direction, tolerance, interval, lags and window; the first bad value is
// the error (naming its option).
Status ParseAnalysisOptions(const AnalysisOptionText& text, AnalysisParams& params);

}  // namespace cryptomood::cli
