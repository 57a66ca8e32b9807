#include "cli/analysis_options.h"

#include <CLI/CLI.hpp>
#include <limits>
#include <string>

#include "core/status_macros.h"

namespace cryptomood::cli {
namespace {

// Parses one option's text into target with parse, naming the option on failure.
template <typename Parse, typename Target>
Status ParseInto(std::string_view option, const std::string& text, Parse&& parse, Target& target) {
  auto parsed = parse(text);
  if (!parsed) return OptionError(option, parsed.error());
  target = *parsed;
  return Status::Ok();
}

}  // namespace

void AddAnalysisOptions(CLI::App& command, AnalysisOptionText& text,
                        const std::string& window_help) {
  command.add_option("--mode", text.mode, "tick (default), bars or compat");
  command.add_option("--direction", text.direction,
                     "As-of join direction: backward (tick default), forward, nearest");
  command.add_option("--tolerance", text.tolerance, "Drop pairs further apart than this, e.g. 30s");
  command.add_option("--interval", text.interval,
                     "Bar length for --mode bars (default 1m; 1mo = month)");
  command.add_option("--lags", text.lags,
                     "Lag range in bars A:B (default 0:0); k > 0: sentiment leads");
  command.add_option("--window", text.window, window_help);
}

void AddCostLimitOptions(CLI::App& command, CostLimitOptions& options) {
  const auto limit = [&command](const std::string& name, std::int64_t& value,
                                const std::string& help) {
    command.add_option(name, value, help + " (default " + std::to_string(value) + ")")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max() >> 20));
  };
  limit("--max-rows", options.max_rows, "Refuse runs estimated to give more result rows");
  limit("--max-bars", options.max_bars, "Refuse runs estimated to build more bars");
  limit("--max-pairs", options.max_pairs,
        "Refuse runs estimated to join or try more (lagged) pairs");
  limit("--max-reply-mb", options.max_reply_mb,
        "Refuse runs estimated to write more MiB of results");
}

CostLimits ToCostLimits(const CostLimitOptions& options) {
  CostLimits limits;
  limits.max_rows = options.max_rows;
  limits.max_bars = options.max_bars;
  limits.max_pairs = options.max_pairs;
  limits.max_reply_bytes = options.max_reply_mb << 20;
  return limits;
}

Error OptionError(std::string_view option, Error error) {
  error.message = std::string(option) + ": " + error.message;
  error.kind = ErrorKind::kUsage;
  return error;
}

Status ParseAnalysisOptions(const AnalysisOptionText& text, AnalysisParams& params) {
  CRYPTOMOOD_RETURN_IF_ERROR(ParseInto("--mode", text.mode, ParseAnalysisMode, params.mode));
  if (!text.direction.empty()) {
    CRYPTOMOOD_RETURN_IF_ERROR(
        ParseInto("--direction", text.direction, ParseJoinDirection, params.direction));
  }
  if (!text.tolerance.empty()) {
    CRYPTOMOOD_RETURN_IF_ERROR(
        ParseInto("--tolerance", text.tolerance, ParseFixedDuration, params.tolerance_nanos));
  }
  CRYPTOMOOD_RETURN_IF_ERROR(
      ParseInto("--interval", text.interval, Interval::Parse, params.interval));
  CRYPTOMOOD_RETURN_IF_ERROR(ParseInto("--lags", text.lags, ParseLagRange, params.lags));
  if (!text.window.empty()) {
    CRYPTOMOOD_RETURN_IF_ERROR(ParseInto("--window", text.window, Interval::Parse, params.window));
  }
  return Status::Ok();
}

}  // namespace cryptomood::cli
