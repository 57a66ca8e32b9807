// StreamTables: the reads and writes of the stream tables (stream_rows, stream_checkpoints,
// stream_offsets, stream_state), written once for both backends over StreamSqlConnection, a
// minimal adapter each backend implements on its own connection. The SQL uses '?'
// placeholders; an adapter renumbers them if its database wants "$1".
// Values: keys (group, params_key, symbol_id, coin, topic) and row JSON bind as text in SQLite
// and bytea in PostgreSQL; a checkpoint's state binds as a blob (BLOB / bytea) so NUL bytes
// survive.
// Invariants kept by CommitStreamTables: a commit's rows, checkpoint, offsets and sequence
// numbers are written in one transaction of the adapter's, rolled back on any failure; the
// sequence counter in stream_state is read and advanced inside that transaction, so numbers
// grow in commit order; the commit's fence is checked first in that transaction, by an
// UPDATE of its stream_fences row that holds the row until the end, so a claim cannot slip
// between the check and the write.
// Thread-safety: as the adapter's connection (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "store/store.h"
#include "store/stream_records.h"

namespace cryptomood {

// Binary data, bound as BLOB / bytea.
struct SqlBlob {
  std::string_view bytes;
};
// Views must stay valid until the statement has run.
using StreamSqlValue = std::variant<std::int64_t, std::string_view, SqlBlob>;

struct StreamStatement {
  std::string sql;  // '?' placeholders, one per value, in order
  std::vector<StreamSqlValue> values;
  // At most this many rows come back, when known: a small result skips PostgreSQL's cursor.
  std::optional<std::int64_t> max_rows;
};

// One result row; views are valid during the visitor call only.
class StreamSqlRow {
 public:
  virtual ~StreamSqlRow() = default;
  virtual std::int64_t Int(int column) const = 0;
  virtual std::string_view Bytes(int column) const = 0;
};

// What a backend provides: a transaction, statements without results, and a scan.
class StreamSqlConnection {
 public:
  using RowVisitor = std::function<Status(const StreamSqlRow&)>;
  virtual ~StreamSqlConnection() = default;
  virtual Status Begin() = 0;  // a write transaction
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  virtual Status Execute(const StreamStatement& statement) = 0;
  // Runs a SELECT and visits its rows in order; a non-ok Status from `visit` stops it.
  virtual Status ForEachRow(const StreamStatement& statement, const RowVisitor& visit) = 0;
};

// Store::CommitStream, Store::ClaimStreamPartition, Store::LoadStreamCheckpoint,
// Store::ForEachStreamRow, Store::LastStreamSequence and Store::ListStreamProgress over a backend's
// adapter.
Status CommitStreamTables(StreamSqlConnection& connection, const StreamCommit& commit);
Result<std::int64_t> ClaimStreamTablesPartition(StreamSqlConnection& connection,
                                                std::string_view group, std::string_view params_key,
                                                std::int32_t partition);
Result<std::optional<StreamCheckpoint>> LoadStreamTablesCheckpoint(StreamSqlConnection& connection,
                                                                   std::string_view group,
                                                                   std::string_view params_key,
                                                                   std::int32_t partition);
Status ForEachStreamTablesRow(StreamSqlConnection& connection, const StreamRowQuery& query,
                              const std::function<Status(const StoredStreamRow& row)>& visit);
Result<std::int64_t> LastStreamTablesSequence(StreamSqlConnection& connection);
Result<std::vector<StreamProgress>> ListStreamTablesProgress(StreamSqlConnection& connection);

// The stream part of Store, implemented once over the adapter a backend returns from
// stream_connection(); backends derive from this instead of Store.
class StreamTablesStore : public Store {
 public:
  Status CommitStream(const StreamCommit& commit) final;
  Result<std::int64_t> ClaimStreamPartition(std::string_view group, std::string_view params_key,
                                            std::int32_t partition) final;
  Result<std::optional<StreamCheckpoint>> LoadStreamCheckpoint(std::string_view group,
                                                               std::string_view params_key,
                                                               std::int32_t partition) final;
  Status ForEachStreamRow(const StreamRowQuery& query,
                          const std::function<Status(const StoredStreamRow& row)>& visit) final;
  Result<std::int64_t> LastStreamSequence() final;
  Result<std::vector<StreamProgress>> ListStreamProgress() final;

 protected:
  virtual StreamSqlConnection& stream_connection() = 0;
};

// "$1", "$2", ... for each '?' of `sql` (none of the stream SQL holds a '?' elsewhere).
std::string NumberPlaceholders(std::string_view sql);

}  // namespace cryptomood
