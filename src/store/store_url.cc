#include "store/store_url.h"

#include <string_view>

namespace cryptomood {

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  const std::string_view text = url;
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    return StoreUrl{StoreBackend::kPostgres, url};
  }
  for (std::string_view prefix : {std::string_view("sqlite://"), std::string_view("sqlite:")}) {
    if (!text.starts_with(prefix)) continue;
    const std::string_view path = text.substr(prefix.size());
    if (path.empty())
      return Error{"--db " + url + ": no file path after sqlite:", ErrorKind::kUsage};
    return StoreUrl{StoreBackend::kSqlite, std::string(path)};
  }
  return Error{"--db " + url + ": expected sqlite:PATH or postgresql://...", ErrorKind::kUsage};
}

}  // namespace cryptomood
