// SqliteDatabase and SqliteStatement: thin RAII wrappers over the SQLite C API that turn its
// result codes into Status values with the database's message. Statements are prepared once
// per SQL text and cached by the database (Prepare returns the cached one, reset), because
// re-preparing costs more than running a small insert. Text and blob parameters are bound
// without copying: the bound bytes must stay alive until the statement is stepped.
// Ownership: the database owns its cached statements and the sqlite3 handle.
// Thread-safety: one thread at a time (the connection is opened without SQLite's own mutex).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace cryptomood {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* database, sqlite3_stmt* statement)
      : database_(database), statement_(statement) {}
  ~SqliteStatement() { sqlite3_finalize(statement_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based, as in SQLite.
  void BindInt(int index, std::int64_t value) { sqlite3_bind_int64(statement_, index, value); }
  void BindDouble(int index, double value) { sqlite3_bind_double(statement_, index, value); }
  void BindNull(int index) { sqlite3_bind_null(statement_, index); }
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  void BindBlob(int index, const void* bytes, std::size_t size) {
    // A zero-length blob must not be bound as NULL: give SQLite a non-null pointer.
    static const char kEmpty = 0;
    sqlite3_bind_blob(statement_, index, size == 0 ? &kEmpty : bytes, static_cast<int>(size),
                      SQLITE_STATIC);
  }
  void BindOptionalInt(int index, const std::optional<std::int64_t>& value) {
    if (value) {
      BindInt(index, *value);
    } else {
      BindNull(index);
    }
  }
  // Binds NULL for an empty view.
  void BindTextOrNull(int index, std::string_view text) {
    if (text.empty()) {
      BindNull(index);
    } else {
      BindText(index, text);
    }
  }

  // true: a row is ready; false: done. Errors carry the database's message.
  Result<bool> Step();
  // Runs a statement that returns no rows (or ignores them) and resets it.
  Status Run();
  void Reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  std::int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  double Double(int column) const { return sqlite3_column_double(statement_, column); }
  std::optional<std::int64_t> OptionalInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }
  // Text or blob bytes; valid until the next Step or Reset.
  std::string_view Bytes(int column) const {
    const void* data = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    if (data == nullptr) return {};
    return {static_cast<const char*>(data), static_cast<std::size_t>(size)};
  }

 private:
  sqlite3* database_;
  sqlite3_stmt* statement_;
};

class SqliteDatabase {
 public:
  // Opens or creates the file; fails with the path and SQLite's message.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs one or more statements without parameters (schema, pragmas, BEGIN/COMMIT).
  Status Execute(std::string_view sql);
  // The cached prepared statement for `sql`, reset and with bindings cleared.
  Result<SqliteStatement*> Prepare(const std::string& sql);

  // Rows changed by the last insert, update or delete.
  std::int64_t changes() const { return sqlite3_changes64(handle_); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(handle_); }
  bool in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }
  Error LastError(std::string_view context) const;

 private:
  explicit SqliteDatabase(sqlite3* handle) : handle_(handle) {}

  sqlite3* handle_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> statements_;
};

}  // namespace cryptomood
