#include "core/status_macros.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_url.h"

namespace cryptomood {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto parsed, ParseStoreUrl(url));
  if (parsed.backend == StoreBackend::kPostgres) {
    return OpenPostgresStore(parsed.location, options);
  }
  return OpenSqliteStore(parsed.location, options);
}

}  // namespace cryptomood
