#include "store/stream_tables.h"

#include <utility>

#include "core/status_macros.h"
#include "io/correlation_row_json.h"
#include "store/wall_clock.h"

namespace cryptomood {
namespace {

constexpr std::string_view kAdvanceSequence =
    "UPDATE stream_state SET last_sequence = last_sequence + ? WHERE id = 1";
constexpr std::string_view kLastSequence = "SELECT last_sequence FROM stream_state WHERE id = 1";

constexpr std::string_view kUpsertRow =
    "INSERT INTO stream_rows (params_key, symbol_id, window_start_ns, lag, coin, window_end_ns, "
    "sequence, row_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (params_key, symbol_id, window_start_ns, lag) DO UPDATE SET "
    "coin = excluded.coin, window_end_ns = excluded.window_end_ns, sequence = excluded.sequence, "
    "row_json = excluded.row_json";

constexpr std::string_view kUpsertCheckpoint =
    "INSERT INTO stream_checkpoints (consumer_group, params_key, stream_partition, state, "
    "consumer_lag, committed_ns, liveness_interval_ns, rows_written) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (consumer_group, params_key, stream_partition) DO UPDATE SET "
    "state = excluded.state, consumer_lag = excluded.consumer_lag, "
    "committed_ns = excluded.committed_ns, liveness_interval_ns = excluded.liveness_interval_ns, "
    "rows_written = stream_checkpoints.rows_written + excluded.rows_written";

constexpr std::string_view kCheckpointWhere =
    " WHERE consumer_group = ? AND params_key = ? AND stream_partition = ?";

constexpr std::string_view kClaimPartition =
    "INSERT INTO stream_fences (consumer_group, params_key, stream_partition, generation) "
    "VALUES (?, ?, ?, 1) "
    "ON CONFLICT (consumer_group, params_key, stream_partition) DO UPDATE SET "
    "generation = stream_fences.generation + 1 RETURNING generation";

// Before kCheckpointWhere and " AND generation = ? RETURNING generation": matches only
// while that generation is the latest claim, and holds the row (PostgreSQL) until the
// transaction ends.
constexpr std::string_view kHoldFence = "UPDATE stream_fences SET generation = generation";

constexpr std::string_view kInsertOffset =
    "INSERT INTO stream_offsets (consumer_group, params_key, stream_partition, topic, "
    "topic_partition, next_offset) VALUES (?, ?, ?, ?, ?, ?)";

constexpr std::string_view kSelectProgress =
    "SELECT consumer_group, params_key, stream_partition, consumer_lag, committed_ns, "
    "rows_written, liveness_interval_ns FROM stream_checkpoints "
    "ORDER BY consumer_group, params_key, stream_partition";

StreamStatement Statement(std::string_view sql, std::vector<StreamSqlValue> values = {}) {
  return {std::string(sql), std::move(values), std::nullopt};
}

// The (group, params_key, partition) condition, after `sql`.
StreamStatement ForCheckpoint(std::string_view sql, std::string_view group,
                              std::string_view params_key, std::int32_t partition) {
  return {std::string(sql) + std::string(kCheckpointWhere),
          {group, params_key, std::int64_t{partition}},
          std::nullopt};
}

Status CheckWindows(const StreamCommit& commit) {
  for (const CorrelationRow& row : commit.rows) {
    if (!row.window.start || !row.window.end) {
      return Error{"stream row of " + row.symbol_id + " has no window bounds", ErrorKind::kUsage};
    }
  }
  return {};
}

// The first column of the one row `statement` returns, nullopt when it returns none.
Result<std::optional<std::int64_t>> ReadOneInt(StreamSqlConnection& connection,
                                               StreamStatement statement) {
  statement.max_rows = 1;
  std::optional<std::int64_t> value;
  CRYPTOMOOD_RETURN_IF_ERROR(connection.ForEachRow(statement, [&](const StreamSqlRow& row) {
    value = row.Int(0);
    return Status();
  }));
  return value;
}

Result<std::int64_t> ReadLastSequence(StreamSqlConnection& connection) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::optional<std::int64_t> last,
                              ReadOneInt(connection, Statement(kLastSequence)));
  if (!last) return Error{"stream_state is empty"};
  return *last;
}

// Numbers the rows after the last sequence committed and advances the counter past them.
Result<std::int64_t> ReserveSequences(StreamSqlConnection& connection, std::int64_t count) {
  // The update first: in PostgreSQL it locks the counter until the commit, so concurrent
  // members number their rows in commit order.
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(kAdvanceSequence, {count})));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto last, ReadLastSequence(connection));
  return last - count;
}

Status UpsertRows(StreamSqlConnection& connection, const StreamCommit& commit) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      std::int64_t sequence,
      ReserveSequences(connection, static_cast<std::int64_t>(commit.rows.size())));
  for (const CorrelationRow& row : commit.rows) {
    const std::string json = CorrelationRowJson(row);
    CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(
        Statement(kUpsertRow, {std::string_view(commit.params_key), std::string_view(row.symbol_id),
                               *row.window.start, std::int64_t{row.lag}, std::string_view(row.coin),
                               *row.window.end, ++sequence, std::string_view(json)})));
  }
  return {};
}

Status ReplaceCheckpoint(StreamSqlConnection& connection, const StreamCommit& commit) {
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(
      kUpsertCheckpoint,
      {std::string_view(commit.group), std::string_view(commit.params_key),
       std::int64_t{commit.partition}, SqlBlob{commit.state}, commit.consumer_lag, WallClockNow(),
       commit.liveness_interval_nanos, static_cast<std::int64_t>(commit.rows.size())})));
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(ForCheckpoint(
      "DELETE FROM stream_offsets", commit.group, commit.params_key, commit.partition)));
  for (const StreamOffset& offset : commit.offsets) {
    CRYPTOMOOD_RETURN_IF_ERROR(connection.Execute(Statement(
        kInsertOffset, {std::string_view(commit.group), std::string_view(commit.params_key),
                        std::int64_t{commit.partition}, std::string_view(offset.topic),
                        std::int64_t{offset.partition}, offset.next_offset})));
  }
  return {};
}

// A commit with a fence holds its partition's claim row while that claim is the latest; one
// without (fence 0) passes while the partition was never claimed.
Status CheckFence(StreamSqlConnection& connection, const StreamCommit& commit) {
  StreamStatement check =
      ForCheckpoint(commit.fence > 0 ? kHoldFence : "SELECT generation FROM stream_fences",
                    commit.group, commit.params_key, commit.partition);
  if (commit.fence > 0) {
    check.sql += " AND generation = ? RETURNING generation";
    check.values.emplace_back(commit.fence);
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::optional<std::int64_t> matched,
                              ReadOneInt(connection, std::move(check)));
  if ((commit.fence > 0) == matched.has_value()) return {};
  const std::string partition = std::to_string(commit.partition);
  return Error{commit.fence > 0
                   ? "a commit of generation " + std::to_string(commit.fence) +
                         " is refused: another member claimed partition " + partition + " since"
                   : "a commit without a fence is refused: a member has claimed "
                     "partition " +
                         partition,
               ErrorKind::kFenced};
}

Status WriteCommit(StreamSqlConnection& connection, const StreamCommit& commit) {
  CRYPTOMOOD_RETURN_IF_ERROR(CheckFence(connection, commit));
  CRYPTOMOOD_RETURN_IF_ERROR(UpsertRows(connection, commit));
  return ReplaceCheckpoint(connection, commit);
}

// The SELECT behind ForEachStreamTablesRow.
StreamStatement RowsStatement(const StreamRowQuery& query) {
  StreamStatement statement{
      "SELECT sequence, params_key, coin, window_start_ns, row_json FROM stream_rows "
      "WHERE sequence > ?",
      {query.after_sequence},
      std::nullopt};
  const auto condition = [&statement](std::string_view sql, StreamSqlValue value) {
    statement.sql.append(sql);
    statement.values.push_back(value);
  };
  if (query.through_sequence) condition(" AND sequence <= ?", *query.through_sequence);
  if (!query.params_key.empty())
    condition(" AND params_key = ?", std::string_view(query.params_key));
  if (!query.coins.empty()) {
    statement.sql += " AND coin IN (";
    for (std::size_t i = 0; i < query.coins.size(); ++i) {
      condition(i == 0 ? "?" : ", ?", std::string_view(query.coins[i]));
    }
    statement.sql += ")";
  }
  if (query.range.from) condition(" AND window_start_ns >= ?", std::int64_t{*query.range.from});
  if (query.range.to) condition(" AND window_start_ns < ?", std::int64_t{*query.range.to});
  statement.sql += query.order == StreamRowOrder::kBySequence
                       ? " ORDER BY sequence"
                       : " ORDER BY symbol_id, window_start_ns, lag";
  if (query.limit > 0) {
    condition(" LIMIT ?", query.limit);
    statement.max_rows = query.limit;
  }
  return statement;
}

}  // namespace

Status CommitStreamTables(StreamSqlConnection& connection, const StreamCommit& commit) {
  CRYPTOMOOD_RETURN_IF_ERROR(CheckWindows(commit));
  CRYPTOMOOD_RETURN_IF_ERROR(connection.Begin());
  Status written = WriteCommit(connection, commit);
  if (!written.ok()) {
    connection.Rollback();
    return written;
  }
  return connection.Commit();
}

Result<std::int64_t> ClaimStreamTablesPartition(StreamSqlConnection& connection,
                                                std::string_view group, std::string_view params_key,
                                                std::int32_t partition) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      const std::optional<std::int64_t> generation,
      ReadOneInt(connection,
                 Statement(kClaimPartition, {group, params_key, std::int64_t{partition}})));
  if (!generation) return Error{"claiming a stream partition returned no generation"};
  return *generation;
}

Result<std::optional<StreamCheckpoint>> LoadStreamTablesCheckpoint(StreamSqlConnection& connection,
                                                                   std::string_view group,
                                                                   std::string_view params_key,
                                                                   std::int32_t partition) {
  std::optional<StreamCheckpoint> checkpoint;
  CRYPTOMOOD_RETURN_IF_ERROR(connection.ForEachRow(
      ForCheckpoint("SELECT state FROM stream_checkpoints", group, params_key, partition),
      [&](const StreamSqlRow& row) {
        checkpoint = StreamCheckpoint{std::string(row.Bytes(0)), {}};
        return Status();
      }));
  if (!checkpoint) return checkpoint;
  StreamStatement offsets =
      ForCheckpoint("SELECT topic, topic_partition, next_offset FROM stream_offsets", group,
                    params_key, partition);
  offsets.sql += " ORDER BY topic, topic_partition";
  CRYPTOMOOD_RETURN_IF_ERROR(connection.ForEachRow(offsets, [&](const StreamSqlRow& row) {
    checkpoint->offsets.push_back(
        StreamOffset{std::string(row.Bytes(0)), static_cast<std::int32_t>(row.Int(1)), row.Int(2)});
    return Status();
  }));
  return checkpoint;
}

Status ForEachStreamTablesRow(StreamSqlConnection& connection, const StreamRowQuery& query,
                              const std::function<Status(const StoredStreamRow& row)>& visit) {
  return connection.ForEachRow(RowsStatement(query), [&](const StreamSqlRow& row) {
    return visit(StoredStreamRow{row.Int(0), row.Bytes(1), row.Bytes(2), row.Int(3), row.Bytes(4)});
  });
}

Result<std::int64_t> LastStreamTablesSequence(StreamSqlConnection& connection) {
  return ReadLastSequence(connection);
}

Result<std::vector<StreamProgress>> ListStreamTablesProgress(StreamSqlConnection& connection) {
  std::vector<StreamProgress> progress;
  CRYPTOMOOD_RETURN_IF_ERROR(
      connection.ForEachRow(Statement(kSelectProgress), [&](const StreamSqlRow& row) {
        progress.push_back(StreamProgress{std::string(row.Bytes(0)), std::string(row.Bytes(1)),
                                          static_cast<std::int32_t>(row.Int(2)), row.Int(3),
                                          row.Int(4), row.Int(5), row.Int(6)});
        return Status();
      }));
  return progress;
}

Status StreamTablesStore::CommitStream(const StreamCommit& commit) {
  return CommitStreamTables(stream_connection(), commit);
}

Result<std::int64_t> StreamTablesStore::ClaimStreamPartition(std::string_view group,
                                                             std::string_view params_key,
                                                             std::int32_t partition) {
  return ClaimStreamTablesPartition(stream_connection(), group, params_key, partition);
}

Result<std::optional<StreamCheckpoint>> StreamTablesStore::LoadStreamCheckpoint(
    std::string_view group, std::string_view params_key, std::int32_t partition) {
  return LoadStreamTablesCheckpoint(stream_connection(), group, params_key, partition);
}

Status StreamTablesStore::ForEachStreamRow(
    const StreamRowQuery& query, const std::function<Status(const StoredStreamRow& row)>& visit) {
  return ForEachStreamTablesRow(stream_connection(), query, visit);
}

Result<std::int64_t> StreamTablesStore::LastStreamSequence() {
  return LastStreamTablesSequence(stream_connection());
}

Result<std::vector<StreamProgress>> StreamTablesStore::ListStreamProgress() {
  return ListStreamTablesProgress(stream_connection());
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string numbered;
  numbered.reserve(sql.size() + 16);
  int next = 0;
  for (const char c : sql) {
    if (c == '?') {
      numbered += '$' + std::to_string(++next);
    } else {
      numbered += c;
    }
  }
  return numbered;
}

}  // namespace cryptomood
