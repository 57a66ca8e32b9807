#include "store/result_cache_tables.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "store/wall_clock.h"

namespace cryptomood {
namespace {

// Entries looked at per eviction step, oldest use first; a step evicts at least one.
constexpr std::int64_t kEvictionScanRows = 64;

constexpr std::string_view kSelectEntry =
    "SELECT body, CAST(CASE WHEN last_used = (SELECT max(last_used) FROM cached_results) "
    "THEN 1 ELSE 0 END AS BIGINT) FROM cached_results "
    "WHERE parameter_key = ? AND data_version = ?";
constexpr std::string_view kMarkUsed =
    "UPDATE cached_results SET last_used = (SELECT max(last_used) + 1 FROM cached_results) "
    "WHERE parameter_key = ? AND data_version = ?";

constexpr std::string_view kAddToTotal =
    "UPDATE cache_state SET body_bytes = body_bytes + ? WHERE id = 1";
constexpr std::string_view kSubtractKeyFromTotal =
    "UPDATE cache_state SET body_bytes = body_bytes - (SELECT coalesce(sum(body_bytes), 0) "
    "FROM cached_results WHERE parameter_key = ?) WHERE id = 1";
constexpr std::string_view kDeleteKey = "DELETE FROM cached_results WHERE parameter_key = ?";
constexpr std::string_view kInsertEntry =
    "INSERT INTO cached_results (parameter_key, data_version, body_bytes, last_used, created_ns, "
    "body) VALUES (?, ?, ?, (SELECT coalesce(max(last_used), 0) + 1 FROM cached_results), ?, ?)";

constexpr std::string_view kSelectTotal = "SELECT body_bytes FROM cache_state WHERE id = 1";
constexpr std::string_view kSelectOldest =
    "SELECT last_used, body_bytes FROM cached_results ORDER BY last_used LIMIT ?";
constexpr std::string_view kSubtractOldestFromTotal =
    "UPDATE cache_state SET body_bytes = body_bytes - (SELECT coalesce(sum(body_bytes), 0) "
    "FROM cached_results WHERE last_used <= ?) WHERE id = 1";
constexpr std::string_view kDeleteOldest = "DELETE FROM cached_results WHERE last_used <= ?";
constexpr std::string_view kRecountTotal =
    "UPDATE cache_state SET body_bytes = (SELECT coalesce(sum(body_bytes), 0) "
    "FROM cached_results) WHERE id = 1";

StreamStatement Statement(std::string_view sql, std::vector<StreamSqlValue> values = {},
                          std::optional<std::int64_t> max_rows = std::nullopt) {
  return {std::string(sql), std::move(values), max_rows};
}

Result<std::int64_t> ReadTotal(StreamSqlConnection& connection) {
  std::optional<std::int64_t> total;
  CRYPTOMOOD_RETURN_IF_ERROR(
      connection.ForEachRow(Statement(kSelectTotal, {}, 1), [&](const StreamSqlRow& row) {
        total = row.Int(0);
        return Status();
      }));
  if (!total) return Error{"cache_state is empty"};
  return *total;
}

// The last use up to which the oldest entries must go to free `excess` bytes, looking at the
// next kEvictionScanRows of them; nullopt when the table is empty.
Result<std::optional<std::int64_t>> EvictionCutoff(StreamSqlConnection& connection,
                                                   std::int64_t excess) {
  std::optional<std::int64_t> cutoff;
  std::int64_t freed = 0;
  CRYPTOMOOD_RETURN_IF_ERROR(
      connection.ForEachRow(Statement(kSelectOldest, {kEvictionScanRows}, kEvictionScanRows),
                            [&](const StreamSqlRow& row) {
                              if (freed < excess) {
                                cutoff = row.Int(0);
                                freed += row.Int(1);
                              }
                              return Status();
                            }));
  return cutoff;
}

// Evicts the least recently used entries until the total is within the budget. The total is
// subtracted before the rows go, from the rows themselves, so entries sharing a last use stay
// counted exactly; a total with no entry left to evict is recounted (it cannot drift below).
Status EvictToBudget(StreamSqlConnection& connection, std::int64_t budget_bytes) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::int64_t total, ReadTotal(connection));
  while (total > budget_bytes) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(const std::optional<std::int64_t> cutoff,
                                EvictionCutoff(connection, total - budget_bytes));
    if (!cutoff) {
      CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kRecountTotal)));
    } else {
      CRYPTOMOOD_RETURN_IF_ERROR(
          connection.Execute(Statement(kSubtractOldestFromTotal, {*cutoff})));
      CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kDeleteOldest, {*cutoff})));
    }
    CRYPTOMOOD_ASSIGN_OR_RETURN(total, ReadTotal(connection));
  }
  return {};
}

Status ReplaceAndEvict(StreamSqlConnection& connection, std::string_view parameter_key,
                       std::int64_t data_version, std::string_view body,
                       std::int64_t budget_bytes) {
  const auto body_bytes = static_cast<std::int64_t>(body.size());
  // First: in PostgreSQL this locks the total's row until the commit.
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kAddToTotal, {body_bytes})));
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kSubtractKeyFromTotal, {parameter_key})));
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kDeleteKey, {parameter_key})));
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(
      Statement(kInsertEntry, {parameter_key, data_version, body_bytes, WallClockNow(), body})));
  return EvictToBudget(connection, budget_bytes);
}

}  // namespace

bool ResultCacheTakes(std::size_t body_bytes, std::int64_t budget_bytes) {
  const std::int64_t limit = std::min(budget_bytes, kMaxCachedResultBytes);
  return limit > 0 && body_bytes <= static_cast<std::size_t>(limit);
}

Result<std::optional<std::string>> GetCachedResultRow(StreamSqlConnection& connection,
                                                      std::string_view parameter_key,
                                                      std::int64_t data_version,
                                                      std::int64_t budget_bytes) {
  std::optional<std::string> body;
  if (budget_bytes <= 0) return body;
  bool latest_used = false;
  CRYPTOMOOD_RETURN_IF_ERROR(connection.ForEachRow(
      Statement(kSelectEntry, {parameter_key, data_version}, 1), [&](const StreamSqlRow& row) {
        body = std::string(row.Bytes(0));
        latest_used = row.Int(1) != 0;
        return Status();
      }));
  if (body && !latest_used) {
    CRYPTOMOOD_RETURN_IF_ERROR(
        connection.Execute(Statement(kMarkUsed, {parameter_key, data_version})));
  }
  return body;
}

Status PutCachedResultRow(StreamSqlConnection& connection, std::string_view parameter_key,
                          std::int64_t data_version, std::string_view body,
                          std::int64_t budget_bytes) {
  if (!ResultCacheTakes(body.size(), budget_bytes)) return {};
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Begin());
  Status written = ReplaceAndEvict(connection, parameter_key, data_version, body, budget_bytes);
  if (!written.ok()) {
    connection.Rollback();
    return written;
  }
  return connection.Commit();
}

}  // namespace cryptomood
