#include "http/report_builder.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/interval.h"
#include "core/status_macros.h"
#include "http/api_queries.h"
#include "http/computed_replies.h"
#include "http/market_data_cache.h"
#include "io/json_writer.h"

namespace cryptomood::http {
namespace {

using Pairs = QueryParameters::Pairs;

// Mirrors api.js: the bars per window the page aims for and the round lengths it picks from.
// tests/web/effective_window_cases.txt holds EffectiveWindow and the page's effectiveWindow to
// the same answers.
constexpr double kBarsPerWindow = 200;
constexpr std::array<std::string_view, 17> kNiceWindows = {
    "1h", "2h",  "4h",  "6h",   "12h",  "1d",   "2d",    "1w",   "2w",
    "4w", "3mo", "6mo", "12mo", "24mo", "60mo", "120mo", "240mo"};
constexpr double kAverageMonthSeconds = 30.436875 * 86400;

std::optional<double> DurationSeconds(std::string_view text) {
  auto interval = Interval::Parse(text);
  if (!interval) return std::nullopt;
  if (interval->is_calendar()) return interval->months() * kAverageMonthSeconds;
  return static_cast<double>(interval->fixed_nanos()) / 1e9;
}

// Appends the pair unless the value is empty, as the page's encodeQuery skips empty values.
void Add(Pairs& pairs, std::string_view name, const std::string& value) {
  if (!value.empty()) pairs.emplace_back(std::string(name), value);
}

void AddRange(Pairs& pairs, const ReportView& view) {
  Add(pairs, "from", view.from);
  Add(pairs, "to", view.to);
}

// Direction and tolerance only exist for tick joins, an interval only for bars (api.js).
void AddMode(Pairs& pairs, const ReportView& view) {
  Add(pairs, "mode", view.mode);
  if (view.mode == "bars") {
    Add(pairs, "interval", view.interval);
  } else {
    Add(pairs, "direction", view.direction);
    Add(pairs, "tolerance", view.tolerance);
  }
}

Error AsUsage(const ApiError& error) {
  return Error{"--" + error.parameter + ": " + error.message, ErrorKind::kUsage};
}

// Runs one API request in-process: the same checks, data cache and computation the server
// uses, so the dashboard's replies share one load of the store.
class ReplyComputer {
 public:
  explicit ReplyComputer(Store& store) : store_(store) {}

  template <typename Parse, typename Compute>
  Result<std::string> Reply(Pairs pairs, const std::vector<std::string_view>& allowed, Parse parse,
                            Compute compute) {
    auto parameters = QueryParameters::Check(std::move(pairs), allowed);
    if (!parameters) return AsUsage(parameters.error());
    auto request = parse(*parameters);
    if (!request) return AsUsage(request.error());
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto version, store_.DataVersion());
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto data, data_cache_.Get(store_, request->range, version));
    return compute(*data, *request, CancellationToken::Never());
  }

  Result<std::string> Correlation(Pairs pairs) {
    return Reply(std::move(pairs), kCorrelationParameters, ParseCorrelationRequest,
                 ComputeCorrelationReply);
  }

 private:
  Store& store_;
  MarketDataCache data_cache_;
};

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path.string()};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The file a page path names: /vendor/uplot/X is uPlot's X, any other /X is the page's X.
std::filesystem::path PageFile(const WebAssets& web, const std::string& href) {
  if (href.starts_with(kUplotUrlPrefix)) return web.uplot / href.substr(kUplotUrlPrefix.size());
  return web.page / std::filesystem::path(href).relative_path();
}

// Replaces each `pattern` match (group 1 = the file's path) between the named markers with
// `open` + the file's text + `close`.
Status InlineBetween(std::string& page, std::string_view name, const std::regex& pattern,
                     std::string_view open, std::string_view close, const WebAssets& web) {
  const std::string begin = "<!-- CRYPTOMOOD:" + std::string(name) + ":BEGIN -->";
  const std::string end = "<!-- CRYPTOMOOD:" + std::string(name) + ":END -->";
  const std::size_t from = page.find(begin);
  const std::size_t to = page.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from) {
    return Error{"index.html lacks the " + std::string(name) + " markers"};
  }
  const std::string block = page.substr(from, to - from);
  std::string inlined;
  std::size_t copied = 0;
  for (auto match = std::sregex_iterator(block.begin(), block.end(), pattern);
       match != std::sregex_iterator(); ++match) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto text, ReadFile(PageFile(web, (*match)[1].str())));
    inlined += block.substr(copied, static_cast<std::size_t>(match->position()) - copied);
    inlined += open;
    inlined += text;
    inlined += close;
    copied = static_cast<std::size_t>(match->position() + match->length());
  }
  inlined += block.substr(copied);
  page.replace(from, to - from, inlined);
  return Status::Ok();
}

std::string ViewJson(const ReportView& view) {
  JsonWriter writer;
  writer.StartObject();
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"coin", &view.coin},           {"symbol", &view.symbol},
      {"from", &view.from},           {"to", &view.to},
      {"interval", &view.interval},   {"mode", &view.mode},
      {"direction", &view.direction}, {"tolerance", &view.tolerance},
      {"lags", &view.lags},           {"window", &view.window}};
  for (const auto& [name, value] : fields) {
    writer.Key(name);
    writer.String(*value);
  }
  writer.EndObject();
  return std::string(writer.view());
}

// The first coin the page would show: coins in name order (chart_data.js symbolOptions).
Result<std::string> FirstCoin(Store& store) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbols, store.ListSymbols());
  std::string first;
  for (const SymbolRecord& symbol : symbols) {
    if (first.empty() || symbol.base < first) first = symbol.base;
  }
  if (first.empty()) return Error{"the store holds no trades: run `cryptomood ingest` first"};
  return first;
}

struct ReportBodies {
  std::string symbols, series, window_correlation, lag_scan, summary;
};

Result<ReportBodies> ComputeBodies(Store& store, const ReportView& view) {
  ReportBodies bodies;
  ReplyComputer computer(store);
  CRYPTOMOOD_ASSIGN_OR_RETURN(bodies.symbols, ComputeSymbolsReply(store, ResponseFormat::kJson));

  Pairs series = {{"coin", view.coin}};
  AddRange(series, view);
  Add(series, "interval", view.interval);
  Add(series, "max_points", std::to_string(kReportSeriesPoints));
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      bodies.series,
      computer.Reply(series, kSeriesParameters, ParseSeriesRequest, ComputeSeriesReply));

  Pairs window = {{"coin", view.coin}};
  AddRange(window, view);
  AddMode(window, view);
  Add(window, "lags", "0:0");
  Add(window, "window", EffectiveWindow(view));
  CRYPTOMOOD_ASSIGN_OR_RETURN(bodies.window_correlation, computer.Correlation(window));

  Pairs lags = {{"coin", view.coin}};
  AddRange(lags, view);
  Add(lags, "mode", "bars");
  Add(lags, "interval", view.interval);
  Add(lags, "lags", view.lags);
  CRYPTOMOOD_ASSIGN_OR_RETURN(bodies.lag_scan, computer.Correlation(lags));

  Pairs summary;
  AddRange(summary, view);
  AddMode(summary, view);
  Add(summary, "lags", "0:0");
  CRYPTOMOOD_ASSIGN_OR_RETURN(bodies.summary, computer.Correlation(summary));
  return bodies;
}

// window.CRYPTOMOOD_REPORT's JSON. A "<" can only occur inside JSON strings, where \u003c
// means the same, and escaping it keeps "</script>" in a tweet from ending the script.
std::string ReportJson(const ReportView& view, const ReportBodies& bodies) {
  JsonWriter writer;
  writer.StartObject();
  const std::pair<std::string_view, std::string> values[] = {
      {"params", ViewJson(view)},    {"symbols", bodies.symbols},
      {"series", bodies.series},     {"window_correlation", bodies.window_correlation},
      {"lag_scan", bodies.lag_scan}, {"summary", bodies.summary}};
  for (const auto& [name, json] : values) {
    writer.Key(name);
    writer.RawJson(json);
  }
  writer.EndObject();
  std::string json;
  for (char c : writer.view()) {
    if (c == '<') {
      json += "\\u003c";
    } else {
      json += c;
    }
  }
  return json;
}

}  // namespace

std::string EffectiveWindow(const ReportView& view) {
  if (!view.window.empty()) return view.window;
  const auto bar = DurationSeconds(view.interval);
  if (!bar) return "1d";
  const double wanted = *bar * kBarsPerWindow;
  for (std::string_view candidate : kNiceWindows) {
    // The same small tolerance as the page, so 12 monthly bars count as 12mo.
    if (*DurationSeconds(candidate) >= wanted * 0.999) return std::string(candidate);
  }
  return std::string(kNiceWindows.back());
}

Result<std::string> BuildReportHtml(Store& store, ReportView view, const WebAssets& web) {
  if (view.coin.empty()) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(view.coin, FirstCoin(store));
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto bodies, ComputeBodies(store, view));

  CRYPTOMOOD_ASSIGN_OR_RETURN(auto page, ReadFile(web.page / "index.html"));
  static const std::regex kStylesheet(R"re(<link rel="stylesheet" href="([^"]+)">)re");
  static const std::regex kScript(R"re(<script src="([^"]+)"></script>)re");
  CRYPTOMOOD_RETURN_IF_ERROR(
      InlineBetween(page, "STYLES", kStylesheet, "<style>", "</style>", web));
  CRYPTOMOOD_RETURN_IF_ERROR(InlineBetween(page, "SCRIPTS", kScript, "<script>", "</script>", web));
  constexpr std::string_view kDataMarker = "<!-- CRYPTOMOOD:REPORT_DATA -->";
  const std::size_t marker = page.find(kDataMarker);
  if (marker == std::string::npos) return Error{"index.html lacks the REPORT_DATA marker"};
  page.replace(marker, kDataMarker.size(),
               "<script>window.CRYPTOMOOD_REPORT = " + ReportJson(view, bodies) + ";</script>");
  return page;
}

}  // namespace cryptomood::http
