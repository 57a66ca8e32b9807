// PgConnection, PgResult, PgParams: thin RAII wrappers over libpq that turn failures into
// Status values carrying the server's message. Parameters and results travel in binary form
// (no number formatting or parsing, exact doubles); statements with parameters are prepared
// once per SQL text and reused (named server-side statements, cached per connection).
// Large results stream through a cursor in fetches of bounded size, so no query holds more
// than one fetch of rows in client memory.
// Ownership: a PgResult owns its PGresult; a PgConnection owns its PGconn.
// Thread-safety: one thread at a time per connection.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/record_query_sql.h"

namespace cryptomood {

// Type OIDs from PostgreSQL's pg_type catalogue (stable across versions).
inline constexpr Oid kPgBool = 16;
inline constexpr Oid kPgBytea = 17;
inline constexpr Oid kPgInt8 = 20;
inline constexpr Oid kPgText = 25;
inline constexpr Oid kPgFloat8 = 701;

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result) {}

  int rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string_view Bytes(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
  }
  // Binary-format fields.
  std::int64_t Int64(int row, int column) const;
  std::optional<std::int64_t> OptionalInt64(int row, int column) const {
    if (IsNull(row, column)) return std::nullopt;
    return Int64(row, column);
  }
  double Double(int row, int column) const;
  bool Bool(int row, int column) const { return Bytes(row, column) == std::string_view("\1", 1); }
  // "INSERT 0 5" -> 5: rows affected by the command.
  std::int64_t affected_rows() const;
  PGresult* get() const { return result_.get(); }

 private:
  struct Clearer {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  std::unique_ptr<PGresult, Clearer> result_;
};

// Parameters in binary form, with their types.
class PgParams {
 public:
  PgParams& Int64(std::int64_t value);
  PgParams& OptionalInt64(const std::optional<std::int64_t>& value);
  PgParams& Double(double value);
  PgParams& Bytea(std::string_view bytes);
  PgParams& Text(std::string_view text);
  // From a query builder: integers as int8, doubles as float8, strings as bytea.
  static PgParams From(const std::vector<SqlValue>& values);

  int size() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  std::vector<const char*> values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  PgParams& Add(Oid type, std::string bytes, bool null = false);

  std::vector<Oid> types_;
  std::vector<std::string> storage_;
  std::vector<bool> nulls_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class PgConnection {
 public:
  // Connects with a libpq URI; fails with the server's or libpq's message.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& uri);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs statements without parameters (may be several, separated by ';').
  Status Execute(std::string_view sql);
  // Prepares `sql` on first use, then executes it with binary parameters and results.
  Result<PgResult> Query(const std::string& sql, const PgParams& params = {});
  // COPY ... FROM STDIN with `data` as the whole stream.
  Status CopyIn(const std::string& copy_sql, std::string_view data);
  // Runs a SELECT and hands its rows over one fetch at a time, in order, through a cursor
  // (inside a transaction of its own unless one is open). `visit` may stop the scan with an
  // error. Small result sets (max_rows known and small) skip the cursor.
  using RowVisitor = std::function<Status(const PgResult& rows, int row)>;
  Status Stream(const SqlQuery& query, std::optional<std::int64_t> max_rows,
                const RowVisitor& visit);

  bool in_transaction() const;
  // The SQLSTATE code of the last command that failed on the server ("23505": a unique
  // violation), empty if the failure had none; for callers that recover from one kind.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // Reconnects if the connection broke (server restart); true if usable afterwards.
  bool EnsureConnected();

 private:
  explicit PgConnection(PGconn* connection) : connection_(connection) {}
  Status Check(const PGresult* result, std::string_view context);
  Status StreamThroughCursor(const SqlQuery& query, const RowVisitor& visit);

  PGconn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  std::string last_sqlstate_;
};

}  // namespace cryptomood
