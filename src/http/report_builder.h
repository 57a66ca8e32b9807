// ReportBuilder: `cryptomood report` as a library call. Computes the five API replies the
// dashboard shows for one view (/symbols, /series, the windowed /correlation, the lag scan
// and the per-symbol summary) through the same parsing and computing code the server runs,
// and inlines them with the page's styles and scripts into one HTML file that opens from
// disk with no server and no network.
// Inlining follows the recipe written at the top of web/static/index.html: marker comments
// delimit what is replaced, nothing else in the page is touched.
// Thread-safety: uses the Store it is given from the calling thread.
#pragma once

#include <string>

#include "core/result.h"
#include "http/web_assets.h"
#include "store/store.h"

namespace cryptomood::http {

// The view, as the page's URL state holds it (web/static/lib/state.js): the same fields,
// the same defaults, except `live`: a report is a snapshot of computed panels, never live.
// An empty coin means the first coin the store lists.
struct ReportView {
  std::string coin;
  std::string symbol;
  std::string from;
  std::string to;
  std::string interval = "1m";
  std::string mode = "bars";
  std::string direction = "backward";
  std::string tolerance;
  std::string lags = "-5:5";
  std::string window;
};

// Points per symbol asked of /series: about the width of a chart on a laptop screen.
inline constexpr int kReportSeriesPoints = 1200;

// web: the page's folder and uPlot's (web_assets.h).
// Errors: kUsage for a parameter the API would reject (the message names it), kFailure for
// the store or a missing page file.
Result<std::string> BuildReportHtml(Store& store, ReportView view, const WebAssets& web);

// The window the page uses when the view leaves it blank: the shortest round length that
// holds about 200 bars of the interval (web/static/lib/api.js, effectiveWindow).
std::string EffectiveWindow(const ReportView& view);

}  // namespace cryptomood::http
