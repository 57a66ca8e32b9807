// `cryptomood ingest`: validate trade and sentiment files exactly as `analyze` does and store
// them (SQLite by default, PostgreSQL with --db postgresql://...), idempotently: a file
// ingested again adds nothing and the summary says so. One summary line per file on stdout:
//   FILE: N lines, A new, D already stored, R rejected
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/standard_input.h"
#include "io/reject_sink.h"
#include "io/terminal_text.h"
#include "store/file_ingester.h"
#include "store/store.h"

namespace cryptomood::cli {
namespace {

// Bulk ingest writes the uuid index at random places: a large page cache keeps it in memory.
constexpr std::int64_t kIngestCacheBytes = std::int64_t{256} << 20;

struct IngestCommandOptions {
  std::string db = kDefaultStoreUrl;
  std::vector<std::string> trade_files;
  std::vector<std::string> sentiment_files;
  std::string rejects_path;
  bool strict = false;
  int threads = 2;
  std::int64_t batch_rows = kDefaultIngestBatchRows;
};

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood ingest: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

void PrintSummary(const FileIngestSummary& summary) {
  const IngestTally& tally = summary.tally;
  fmt::print("{}: {} lines, {} new, {} already stored, {} rejected\n",
             EscapeForTerminal(summary.file), tally.lines, tally.added, tally.already_stored,
             tally.rejected);
  std::fflush(stdout);
}

int RunIngest(const IngestCommandOptions& options) {
  if (options.trade_files.empty() && options.sentiment_files.empty()) {
    return Fail(Error{"nothing to ingest: give --trades and/or --sentiment", ErrorKind::kUsage});
  }
  if (Status status = CheckStandardInputReadOnce(options.trade_files, options.sentiment_files);
      !status.ok()) {
    return Fail(status.error());
  }
  StoreOptions store_options;
  store_options.sqlite_cache_bytes = kIngestCacheBytes;
  auto store = OpenStore(options.db, store_options);
  if (!store.ok()) return Fail(store.error());

  auto rejects = ReportingRejectSink::Open(options.rejects_path);
  if (!rejects.ok()) return Fail(rejects.error());
  IngestOptions ingest;
  ingest.trade_files = options.trade_files;
  ingest.sentiment_files = options.sentiment_files;
  ingest.strict = options.strict;
  ingest.rejects = &*rejects;
  ingest.show_progress = true;
  ingest.threads = options.threads;
  ingest.batch_rows = options.batch_rows;
  ingest.on_file_done = PrintSummary;
  auto summaries = IngestFiles(**store, ingest);
  const Status rejects_written = rejects->Finish();
  if (!summaries.ok()) return Fail(summaries.error());
  if (!rejects_written.ok()) return Fail(rejects_written.error());
  return kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<IngestCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "ingest", "Validate trade and sentiment files and store them (idempotent, resumable)");
  command->add_option("--db", options->db,
                      "Store URL: sqlite:PATH (default sqlite:cryptomood.db) or postgresql://...");
  command->add_option(
      "--trades", options->trade_files,
      "Trade file: JSON lines or CSV, plain, .gz or .zst ('-' = stdin); repeatable");
  command->add_option(
      "--sentiment", options->sentiment_files,
      "Sentiment file: JSON lines or CSV, plain, .gz or .zst ('-' = stdin); repeatable");
  command->add_option("--rejects", options->rejects_path,
                      "Also write rejected lines verbatim to FILE");
  command->add_flag("--strict", options->strict,
                    "Stop (exit 2) at the first bad input line; batches committed before it stay");
  command->add_option("--threads", options->threads, "Parsing threads (default 2)")
      ->check(CLI::Range(1, 64));
  command->add_option("--batch-rows", options->batch_rows, "Rows per transaction (default 200000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}));
  command->callback([options, &runner] { runner = [options] { return RunIngest(*options); }; });
}

}  // namespace cryptomood::cli
