// The PostgreSQL backend of Store, through libpq. Bulk ingest encodes each batch as a binary
// COPY stream into session-local staging tables, then moves it with one
// INSERT ... SELECT ... ORDER BY line ON CONFLICT DO NOTHING per table, all in one
// transaction with the run's progress; ordering the SELECT by input line makes the identity
// column `ord` follow input order. Reads stream through cursors.
// Thread-safety: as Store (one thread at a time; one connection per Store).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace cryptomood {

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const StoreOptions& options);

}  // namespace cryptomood
