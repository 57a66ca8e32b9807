// ResultCacheTables: Store::GetCachedResult and Store::PutCachedResult, written once for both
// backends over the same minimal SQL adapter as the stream tables (stream_tables.h).
// Tables (schema migration 4): cached_results holds one body per (parameter_key,
// data_version) with its size in bytes and its last use; cache_state holds the bodies' total.
// Least recently used: a use is a number one above the highest in the table, given to an
// entry when it is stored and when it is read (unless it already holds the highest), so the
// lowest number is the entry stored or read longest ago.
// Invariants kept by Put: the entries' sizes never sum to more than the budget (the least
// recently used are evicted before the new entry goes in), and after its transaction the
// total in cache_state equals that sum. A body the budget cannot take (larger than it or than
// kMaxCachedResultBytes) is not stored, and that is no error. In PostgreSQL the total's row is
// updated first, which serialises concurrent Puts until their commits.
// A budget of 0 or less disables the cache: nothing is read or written.
// Thread-safety: as the adapter's connection (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/stream_tables.h"

namespace cryptomood {

// Whether a body of `body_bytes` may be cached under `budget_bytes`.
bool ResultCacheTakes(std::size_t body_bytes, std::int64_t budget_bytes);

Result<std::optional<std::string>> GetCachedResultRow(StreamSqlConnection& connection,
                                                      std::string_view parameter_key,
                                                      std::int64_t data_version,
                                                      std::int64_t budget_bytes);

Status PutCachedResultRow(StreamSqlConnection& connection, std::string_view parameter_key,
                          std::int64_t data_version, std::string_view body,
                          std::int64_t budget_bytes);

}  // namespace cryptomood
