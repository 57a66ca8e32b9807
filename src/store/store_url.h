// StoreUrl: which backend a --db URL names and where it points.
//   sqlite:PATH              PATH relative to the working directory, or absolute
//   sqlite://PATH            the same, for people used to URL syntax
//   postgresql://... or postgres://...   handed to libpq unchanged (a libpq connection URI)
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/result.h"

namespace cryptomood {

enum class StoreBackend { kSqlite, kPostgres };

struct StoreUrl {
  StoreBackend backend = StoreBackend::kSqlite;
  std::string location;  // SQLite file path, or the libpq connection URI
};

// Fails with kUsage for an empty path or an unknown scheme.
Result<StoreUrl> ParseStoreUrl(const std::string& url);

}  // namespace cryptomood
