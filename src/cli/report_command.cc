// `cryptomood report`: one self-contained HTML file with the dashboard's charts and summary
// for the chosen view, computed from a store. It opens from disk, with no server and no
// network; the controls show the parameters used, and zoom still works.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/web_root.h"
#include "http/report_builder.h"
#include "io/terminal_text.h"
#include "store/store.h"

namespace cryptomood::cli {
namespace {

struct ReportOptions {
  std::string db = kDefaultStoreUrl;
  std::string out;
  std::string web_root;  // empty: found as web_root.h says
  http::ReportView view;
};

int Fail(const Error& error) {
  std::fprintf(stderr, "cryptomood report: %s\n", EscapeForTerminal(error.message).c_str());
  return ExitCodeFor(error);
}

int RunReport(const ReportOptions& options) {
  auto store = OpenStore(options.db);
  if (!store) return Fail(store.error());
  const WebRootSearch search = WebRootSearchFor(options.web_root);
  auto web = FindWebRoot(search);
  if (!web) return Fail(web.error());
  if (!*web) return Fail(Error{NoWebRootMessage(search)});
  auto html = http::BuildReportHtml(**store, options.view, **web);
  if (!html) return Fail(html.error());
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  out << *html;
  out.close();
  if (!out) return Fail(Error{"cannot write " + options.out});
  std::printf("cryptomood: report written to %s (%zu bytes)\n", options.out.c_str(), html->size());
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandRunner& runner) {
  auto options = std::make_shared<ReportOptions>();
  http::ReportView& view = options->view;
  CLI::App* command = app.add_subcommand(
      "report", "Write the dashboard for one view as a self-contained HTML file");
  command->add_option("--db", options->db,
                      "Store URL: sqlite:PATH (default sqlite:cryptomood.db) or postgresql://...");
  command->add_option("--out,-o", options->out, "HTML file to write")->required();
  command->add_option("--coin", view.coin, "Coin to chart (default: the first in the store)");
  command->add_option("--symbol", view.symbol,
                      "Symbol of that coin, when it trades on several (default: the first)");
  command->add_option("--from", view.from, "Keep records with timestamp >= T (RFC 3339)");
  command->add_option("--to", view.to, "Keep records with timestamp < T (RFC 3339)");
  command->add_option("--interval", view.interval, "Bar length (default 1m)");
  command->add_option("--mode", view.mode,
                      "Summary and windowed correlation: bars (default) or tick");
  command->add_option("--direction", view.direction, "Tick join direction (default backward)");
  command->add_option("--tolerance", view.tolerance, "Tick join tolerance, e.g. 30s");
  command->add_option("--lags", view.lags, "Lag scan range in bars (default -5:5)");
  command->add_option("--window", view.window,
                      "Correlation window (default: about 200 bars of the interval)");
  command->add_option("--web-root", options->web_root, kWebRootHelp);
  command->callback([options, &runner] { runner = [options] { return RunReport(*options); }; });
}

}  // namespace cryptomood::cli
