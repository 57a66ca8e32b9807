// The SQLite backend of Store: one database file in WAL mode with synchronous=NORMAL (a
// committed transaction survives a killed process; a power cut may lose the last few but
// never leaves the file inconsistent). Readers in other processes see committed batches
// while an ingest runs. Bulk ingest binds rows into statements prepared once per ingest,
// inside one IMMEDIATE transaction per batch; a batch's trades claim their uuids in
// trade_uuids in sorted order before the new ones are inserted in input order, and INSERT OR
// IGNORE on the unique keys makes reruns idempotent.
// Thread-safety: as Store (one thread at a time).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace cryptomood {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options);

}  // namespace cryptomood
