// StaticFiles: the dashboard's files, read into memory once when the server starts: every
// regular file under the page folder at "/" (and "/" itself as /index.html), and uPlot's
// dist/ folder at /vendor/uplot/ (web_assets.h says where both are). A request matches a file only
// by its exact decoded path, so "..", NUL bytes or anything else outside the set is never served,
// and each file goes out with the content type of its own extension.
// Thread-safety: immutable after Load; Find may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/web_assets.h"

namespace cryptomood::http {

struct StaticFile {
  std::shared_ptr<const std::string> body;
  std::string content_type;
};

class StaticFiles {
 public:
  // Reads the files; `warnings` receives what is missing. A default-constructed StaticFiles
  // serves nothing.
  static StaticFiles Load(const WebAssets& assets, std::vector<std::string>& warnings);

  std::optional<StaticFile> Find(std::string_view path) const;

  // The content type for a file name, by its extension.
  static std::string_view ContentTypeOf(std::string_view file_name);

 private:
  void AddTree(const std::string& folder, const std::string& url_prefix);

  std::map<std::string, StaticFile, std::less<>> files_;
};

}  // namespace cryptomood::http
