#include "http/web_assets.h"

namespace cryptomood::http {

WebAssets WebAssetsAt(const std::filesystem::path& page) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::absolute(page, error).lexically_normal();
  if (error) folder = page.lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();  // "web/static/" names web/static
  std::filesystem::path installed = folder / "vendor" / "uplot";
  if (std::filesystem::is_directory(installed, error)) return WebAssets{folder, installed};
  return WebAssets{folder, folder.parent_path() / "node_modules" / "uplot" / "dist"};
}

}  // namespace cryptomood::http
