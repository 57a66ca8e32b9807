#include "http/static_files.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

namespace cryptomood::http {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string_view StaticFiles::ContentTypeOf(std::string_view file_name) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (file_name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

void StaticFiles::AddTree(const std::string& folder, const std::string& url_prefix) {
  std::error_code error;
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    auto contents = ReadWholeFile(it->path());
    if (!contents) continue;
    const std::string relative = fs::relative(it->path(), folder, error).generic_string();
    files_[url_prefix + relative] =
        StaticFile{std::make_shared<const std::string>(std::move(*contents)),
                   std::string(ContentTypeOf(relative))};
  }
}

StaticFiles StaticFiles::Load(const WebAssets& assets, std::vector<std::string>& warnings) {
  StaticFiles files;
  files.AddTree(assets.page.string(), "/");
  if (fs::is_directory(assets.uplot)) {
    files.AddTree(assets.uplot.string(), std::string(kUplotUrlPrefix));
  } else {
    warnings.push_back(assets.uplot.string() +
                       " not found (run `npm ci` in web/); the dashboard's charts will not load");
  }
  return files;
}

std::optional<StaticFile> StaticFiles::Find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  const auto found = files_.find(path);
  if (found == files_.end()) return std::nullopt;
  return found->second;
}

}  // namespace cryptomood::http
