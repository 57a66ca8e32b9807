// `cryptomood analyze`: load trade and sentiment files, run the analysis, print the results.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/analysis_options.h"
#include "cli/command.h"
#include "cli/standard_input.h"
#include "core/analysis.h"
#include "core/causality.h"
#include "core/cost_estimate.h"
#include "core/diagnostics.h"
#include "core/identifier.h"
#include "core/status_macros.h"
#include "io/causality_writer.h"
#include "io/diagnostics_writer.h"
#include "io/market_data_loader.h"
#include "io/reject_sink.h"
#include "io/result_writer.h"
#include "io/terminal_text.h"

namespace cryptomood::cli {
namespace {

struct AnalyzeOptions {
  std::vector<std::string> trade_files;
  std::vector<std::string> sentiment_files;
  std::vector<std::string> coins;
  std::string from;
  std::string to;
  AnalysisOptionText analysis;
  CostLimitOptions limits;
  std::string format;
  std::string rejects_path;
  std::string output_path;
  bool strict = false;
  int threads = 2;
  bool diagnostics = false;  // --diagnostics: add the stationarity diagnostics
  // --what: results (with diagnostics and causality when asked), diagnostics or causality.
  std::string what = "results";
  // --granger [P|auto]: given when the option's count is positive; no value means auto.
  CLI::Option* granger_option = nullptr;
  std::string granger;
};

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood analyze: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

// Turns the option strings into typed parameters; the first bad one is the error.
Result<AnalysisParams> BuildParams(const AnalyzeOptions& options, TimeRange& range) {
  AnalysisParams params;
  params.threads = options.threads;
  for (const std::string& list : options.coins) {
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) params.coins.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  for (const std::string& coin : params.coins) {
    if (!IsTicker(coin)) {
      return Error{"--coin: '" + coin + "' is not a ticker (" + std::string(kTickerShape) + ")",
                   ErrorKind::kUsage};
    }
  }
  CRYPTOMOOD_RETURN_IF_ERROR(ParseAnalysisOptions(options.analysis, params));
  for (const auto& [text, bound, name] : {std::tuple{options.from, &range.from, "--from"},
                                          std::tuple{options.to, &range.to, "--to"}}) {
    if (text.empty()) continue;
    auto instant = ParseTimestamp(text);
    if (!instant) return OptionError(name, instant.error());
    *bound = *instant;
  }
  if (range.from && range.to && *range.from >= *range.to) {
    return Error{"--from must be earlier than --to", ErrorKind::kUsage};
  }
  CRYPTOMOOD_RETURN_IF_ERROR(ValidateAnalysisParams(params));
  return params;
}

// The Granger lag order when --granger is given (bars mode only), else nullopt.
Result<std::optional<GrangerLags>> BuildGrangerLags(const AnalyzeOptions& options,
                                                    const AnalysisParams& params) {
  const bool given = options.granger_option != nullptr && options.granger_option->count() > 0;
  if (!given) {
    if (options.what == "causality") {
      return Error{"--what causality needs --granger", ErrorKind::kUsage};
    }
    return std::optional<GrangerLags>();
  }
  if (params.mode != AnalysisMode::kBars) {
    return Error{"--granger needs --mode bars", ErrorKind::kUsage};
  }
  auto lags = ParseGrangerLags(options.granger.empty() ? "auto" : options.granger);
  if (!lags) return OptionError("--granger", lags.error());
  return std::optional<GrangerLags>(*lags);
}

// The output text: the correlation rows with the causality rows (when computed) alongside, or
// the causality rows alone for --what causality.
std::string FormatOutput(const std::string& format, const AnalyzeOptions& options,
                         const std::vector<CorrelationRow>& rows,
                         const std::optional<std::vector<CausalityRow>>& causality,
                         const InputSummary& summary) {
  if (causality && options.what == "causality") {
    if (format == "json") return CausalityToJson(*causality);
    if (format == "csv") return CausalityToCsv(*causality);
    return CausalityToTable(*causality);
  }
  if (format == "json") {
    const std::string results = ResultsToJson(rows, summary);
    return causality ? AddCausalityToResultsJson(results, *causality) : results;
  }
  if (format == "csv") return ResultsToCsv(rows);
  const std::string table = ResultsToTable(rows, summary);
  return causality ? table + "\n" + CausalityToTable(*causality) : table;
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? Status::Ok() : Status(Error{"cannot write to stdout"});
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return Error{"cannot open " + path + " for writing"};
  if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size()) {
    return Error{"cannot write " + path};
  }
  return Status::Ok();
}

// The stationarity diagnostics when --what diagnostics or --diagnostics asks for them (else
// none), at --interval over the loaded range, refused when their bars exceed --max-bars. The
// results' CSV has no room for them: --diagnostics with --format csv warns and computes none.
Result<std::vector<SeriesDiagnostics>> DiagnoseIfAsked(const AnalyzeOptions& options,
                                                       const std::string& format,
                                                       const AnalysisParams& params,
                                                       const TimeRange& range,
                                                       const MarketData& data) {
  if (options.what != "diagnostics" && options.diagnostics && format == "csv") {
    std::fprintf(stderr,
                 "cryptomood analyze: warning: --diagnostics adds nothing to the results' CSV; "
                 "use --what diagnostics --format csv for the diagnostics\n");
  }
  if (options.what != "diagnostics" && (!options.diagnostics || format == "csv")) {
    return std::vector<SeriesDiagnostics>{};
  }
  DiagnosticsParams diagnostics;
  diagnostics.interval = params.interval;
  diagnostics.coins = params.coins;
  diagnostics.range = range;
  if (auto refusal =
          CheckDiagnosticsCost(ShapeOf(data), diagnostics, ToCostLimits(options.limits))) {
    return refusal->ToError(NameStyle::kOption);
  }
  return RunDiagnostics(data, diagnostics);
}

// A one-off run ranks up to a million pairs per result the faster way (36 bytes a pair on each
// thread, against 12) and stays far inside its memory budget; likewise a thread out of symbols
// sorts half of the last symbols' ranks. The server keeps the defaults.
AnalysisOptions OneOffRunOptions() {
  AnalysisOptions run;
  run.spearman_compact_from = std::size_t{1} << 20;
  run.share_rankings = true;
  return run;
}

int RunAnalyze(const AnalyzeOptions& options) {
  if (Status status = CheckStandardInputReadOnce(options.trade_files, options.sentiment_files);
      !status) {
    return Fail(status.error());
  }
  TimeRange range;
  Result<AnalysisParams> params = BuildParams(options, range);
  if (!params) return Fail(params.error());
  Result<std::optional<GrangerLags>> granger = BuildGrangerLags(options, *params);
  if (!granger) return Fail(granger.error());

  const bool to_terminal = options.output_path.empty() && isatty(STDOUT_FILENO) != 0;
  const std::string format =
      options.format.empty() ? (to_terminal ? "table" : "json") : options.format;

  Result<ReportingRejectSink> rejects = ReportingRejectSink::Open(options.rejects_path);
  if (!rejects) return Fail(rejects.error());
  LoadOptions load;
  load.trade_files = options.trade_files;
  load.sentiment_files = options.sentiment_files;
  load.range = range;
  load.strict = options.strict;
  load.rejects = &*rejects;
  load.show_progress = true;
  load.threads = options.threads;
  Result<LoadedInput> input = LoadMarketData(load);
  const Status rejects_written = rejects->Finish();
  if (!input) return Fail(input.error());
  if (!rejects_written) return Fail(rejects_written.error());

  for (const std::string& coin : params->coins) {
    if (!input->data.FindCoin(coin)) {
      std::fprintf(stderr, "cryptomood analyze: warning: no data mentions coin %s\n",
                   EscapeForTerminal(coin).c_str());
    }
  }
  Result<std::vector<SeriesDiagnostics>> diagnostics =
      DiagnoseIfAsked(options, format, *params, range, input->data);
  if (!diagnostics) return Fail(diagnostics.error());
  if (options.what == "diagnostics") {
    const std::string text = format == "json"  ? DiagnosticsToJson(*diagnostics)
                             : format == "csv" ? DiagnosticsToCsv(*diagnostics)
                                               : DiagnosticsToTable(*diagnostics);
    if (Status status = WriteOutput(options.output_path, text); !status) {
      return Fail(status.error());
    }
    return kExitOk;
  }
  // Known before any work: a run over the limits is refused, naming the option to change.
  const RowFormat row_format = format == "csv" ? RowFormat::kCsv : RowFormat::kJson;
  const CostEstimate cost = EstimateCorrelationCost(ShapeOf(input->data), *params, range,
                                                    /*with_compat=*/false, row_format);
  if (auto refusal = CheckCorrelationCost(cost, ToCostLimits(options.limits), *params)) {
    return Fail(refusal->ToError(NameStyle::kOption));
  }
  Result<std::vector<CorrelationRow>> rows =
      Analyze(input->data, *params, CancellationToken::Never(), OneOffRunOptions());
  if (!rows) return Fail(rows.error());

  std::optional<std::vector<CausalityRow>> causality;
  if (*granger) {
    Result<std::vector<CausalityRow>> tested = AnalyzeCausality(input->data, *params, **granger);
    if (!tested) return Fail(tested.error());
    causality = std::move(*tested);
  }
  const InputSummary summary{input->trades, input->sentiment};
  std::string text = FormatOutput(format, options, *rows, causality, summary);
  if (options.diagnostics && options.what == "results") {
    if (format == "json") text = WithDiagnosticsMember(text, *diagnostics);
    if (format == "table") text += "\n" + DiagnosticsToTable(*diagnostics);
  }
  if (Status status = WriteOutput(options.output_path, text); !status) return Fail(status.error());
  return kExitOk;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* command = app.add_subcommand(
      "analyze", "Correlate sentiment with prices per symbol (tick, bars or compat mode)");
  command
      ->add_option("--trades", options->trade_files,
                   "Trade file: JSON lines or CSV, plain, .gz or .zst ('-' = stdin); repeatable")
      ->required();
  command
      ->add_option(
          "--sentiment", options->sentiment_files,
          "Sentiment file: JSON lines or CSV, plain, .gz or .zst ('-' = stdin); repeatable")
      ->required();
  command->add_option("--coin", options->coins,
                      "Keep symbols with this base asset; repeatable or comma list");
  command->add_option("--from", options->from, "Keep records with timestamp >= T (RFC 3339)");
  command->add_option("--to", options->to, "Keep records with timestamp < T (RFC 3339)");
  AddAnalysisOptions(*command, options->analysis, "Split results into tumbling windows, e.g. 1d");
  AddCostLimitOptions(*command, options->limits);
  command->add_option("--format", options->format, "table (default on a terminal), json, csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  command->add_option("--rejects", options->rejects_path, "Write rejected lines verbatim to FILE");
  command->add_option("--output,-o", options->output_path,
                      "Write results to FILE instead of stdout");
  command->add_flag("--diagnostics", options->diagnostics,
                    "Add stationarity tests (ADF, KPSS) of each symbol's log price, returns and "
                    "sentiment at --interval");
  command
      ->add_option("--what", options->what,
                   "results (default), diagnostics (only the stationarity tests) or causality "
                   "(only the Granger rows)")
      ->check(CLI::IsMember({"results", "diagnostics", "causality"}));
  options->granger_option =
      command
          ->add_option("--granger", options->granger,
                       "Granger causality both ways per symbol (bars mode): lag order P or "
                       "auto (the default when no value is given)")
          ->expected(0, 1);
  command->add_flag("--strict", options->strict, "Fail (exit 2) on the first bad input line");
  command->add_option("--threads", options->threads, "Worker threads (default 2)")
      ->check(CLI::Range(1, 64));
  command->callback([options, &runner] { runner = [options] { return RunAnalyze(*options); }; });
}

}  // namespace cryptomood::cli
