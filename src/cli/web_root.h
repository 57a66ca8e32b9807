// WebRoot: where the cryptomood binary finds the dashboard's files, for `serve` and `report`.
// Order: the folder given with --web-root (an error naming the option when it holds no
// index.html); else the installed layout relative to the binary,
// <dir of the binary>/../share/cryptomood/web; else the source tree the binary was built
// from (development builds). The first folder holding an index.html wins; none at all is not
// an error here: `serve` then serves the API only, `report` fails.
// Plain functions; they read the file system and are safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/web_assets.h"

namespace cryptomood::cli {

// The --web-root option's help, shared by `serve` and `report`.
inline constexpr const char* kWebRootHelp =
    "Folder of the dashboard's files (default: ../share/cryptomood/web beside the binary, "
    "else the source tree's web/static)";

// Where FindWebRoot looks. Empty paths are skipped.
struct WebRootSearch {
  std::filesystem::path explicit_root;  // --web-root; empty when not given
  std::filesystem::path executable;     // the running binary
  std::filesystem::path source_root;    // the source tree's web/static, fixed at build time
};

// The search of this binary: /proc/self/exe and the build-time source path.
WebRootSearch WebRootSearchFor(const std::string& explicit_root);

// The folders the search tries after --web-root, in order.
std::vector<std::filesystem::path> WebRootCandidates(const WebRootSearch& search);

// The dashboard's assets by the order above; nullopt when no candidate holds an index.html.
// Errors: kUsage when explicit_root is given but holds no index.html.
Result<std::optional<http::WebAssets>> FindWebRoot(const WebRootSearch& search);

// One line for stderr when nothing was found: the folders that were tried.
std::string NoWebRootMessage(const WebRootSearch& search);

}  // namespace cryptomood::cli
