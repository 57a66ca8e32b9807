// WebAssets: the two folders the dashboard is made of, as both the server (static_files.h) and
// `report` (report_builder.h) read them: the page (index.html, app.js, lib/, style.css) and
// uPlot's dist files, which the page loads from /vendor/uplot/.
// Layouts: installed, uPlot sits inside the page folder at vendor/uplot/
// (<prefix>/share/cryptomood/web/vendor/uplot/); in the source tree it is npm's copy beside
// the page (web/static and web/node_modules/uplot/dist). WebAssetsAt picks the first that
// exists, so every reader agrees on where uPlot is.
// A plain value; WebAssetsAt reads the file system and is safe from any thread.
#pragma once

#include <filesystem>
#include <string_view>

namespace cryptomood::http {

// The URL path under which the page loads uPlot's files, the server serves them and `report`
// inlines them.
inline constexpr std::string_view kUplotUrlPrefix = "/vendor/uplot/";

struct WebAssets {
  std::filesystem::path page;   // holds index.html
  std::filesystem::path uplot;  // uPlot's dist/ files; may be missing (then no charts)
};

// The assets of a page folder: uPlot from page/vendor/uplot when that folder exists, else from
// page/../node_modules/uplot/dist.
WebAssets WebAssetsAt(const std::filesystem::path& page);

}  // namespace cryptomood::http
