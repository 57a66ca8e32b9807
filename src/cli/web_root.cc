#include "cli/web_root.h"

#include <system_error>

#ifndef CRYPTOMOOD_DEFAULT_WEB_ROOT
#define CRYPTOMOOD_DEFAULT_WEB_ROOT ""
#endif

namespace cryptomood::cli {
namespace {

namespace fs = std::filesystem;

bool HoldsPage(const fs::path& folder) {
  std::error_code error;
  return !folder.empty() && fs::is_regular_file(folder / "index.html", error);
}

}  // namespace

WebRootSearch WebRootSearchFor(const std::string& explicit_root) {
  std::error_code error;
  fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (error) executable.clear();
  return WebRootSearch{explicit_root, executable, CRYPTOMOOD_DEFAULT_WEB_ROOT};
}

std::vector<fs::path> WebRootCandidates(const WebRootSearch& search) {
  std::vector<fs::path> candidates;
  if (!search.executable.empty()) {
    candidates.push_back((search.executable.parent_path() / ".." / "share" / "cryptomood" / "web")
                             .lexically_normal());
  }
  if (!search.source_root.empty()) candidates.push_back(search.source_root);
  return candidates;
}

Result<std::optional<http::WebAssets>> FindWebRoot(const WebRootSearch& search) {
  if (!search.explicit_root.empty()) {
    if (!HoldsPage(search.explicit_root)) {
      return Error{"--web-root " + search.explicit_root.string() +
                       ": no index.html there (give the folder of the dashboard's files)",
                   ErrorKind::kUsage};
    }
    return std::optional<http::WebAssets>(http::WebAssetsAt(search.explicit_root));
  }
  for (const fs::path& candidate : WebRootCandidates(search)) {
    if (HoldsPage(candidate)) return std::optional<http::WebAssets>(http::WebAssetsAt(candidate));
  }
  return std::optional<http::WebAssets>();
}

std::string NoWebRootMessage(const WebRootSearch& search) {
  std::string tried;
  for (const fs::path& candidate : WebRootCandidates(search)) {
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  return "no dashboard files found (looked in " + (tried.empty() ? "no folder" : tried) +
         "; give --web-root DIR)";
}

}  // namespace cryptomood::cli
