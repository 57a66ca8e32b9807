#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_url.h"

namespace cryptomood {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  auto parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.error();
  if (parsed->backend == StoreBackend::kPostgres) {
    return OpenPostgresStore(parsed->location, options);
  }
  return OpenSqliteStore(parsed->location, options);
}

}  // namespace cryptomood
