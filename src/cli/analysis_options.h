// The analysis options `analyze` and `stream` share (--mode, --direction, --tolerance,
// --interval, --lags, --window): one declaration of each option and one parser, so both
// commands accept exactly the same text and report a bad value the same way.
// The cost limits (--max-rows, --max-bars, --max-pairs, --max-reply-mb) are declared here too,
// for `analyze` and `serve` to share.
// Thread-safety: plain data and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/analysis.h"
#include "core/cost_estimate.h"
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

// Starts at the defaults of CostLimits; --max-reply-mb is in MiB.
struct CostLimitOptions {
  std::int64_t max_rows = CostLimits{}.max_rows;
  std::int64_t max_bars = CostLimits{}.max_bars;
  std::int64_t max_pairs = CostLimits{}.max_pairs;
  std::int64_t max_reply_mb = CostLimits{}.max_reply_bytes >> 20;
};

// Declares --max-rows, --max-bars, --max-pairs and --max-reply-mb (each at least 1).
void AddCostLimitOptions(CLI::App& command, CostLimitOptions& options);
CostLimits ToCostLimits(const CostLimitOptions& options);

// The error, as a usage error whose message starts with the option's name.
Error OptionError(std::string_view option, Error error);

// Sets params' mode, direction, tolerance, interval, lags and window; the first bad value is
// the error (naming its option).
Status ParseAnalysisOptions(const AnalysisOptionText& text, AnalysisParams& params);

}  // namespace cryptomood::cli
