#include "store/sqlite_database.h"

#include "core/status_macros.h"

namespace cryptomood {

Result<bool> SqliteStatement::Step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  Error error{std::string("sqlite: ") + sqlite3_errmsg(database_)};
  sqlite3_reset(statement_);
  return error;
}

Status SqliteStatement::Run() {
  Result<bool> stepped = Step();
  Reset();
  CRYPTOMOOD_RETURN_IF_ERROR(stepped);
  return {};
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (code != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(code);
    sqlite3_close(handle);
    return Error{"cannot open SQLite database " + path + ": " + message};
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(handle));
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();  // finalize before closing
  sqlite3_close(handle_);
}

Status SqliteDatabase::Execute(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error{std::string("sqlite: ") + (message != nullptr ? message : "unknown error")};
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<SqliteStatement*> SqliteDatabase::Prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) {
    found->second->Reset();
    return found->second.get();
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(handle_, sql.c_str(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
    return LastError("preparing " + sql);
  }
  auto owned = std::make_unique<SqliteStatement>(handle_, statement);
  SqliteStatement* raw = owned.get();
  statements_.emplace(sql, std::move(owned));
  return raw;
}

Error SqliteDatabase::LastError(std::string_view context) const {
  return Error{"sqlite: " + std::string(context) + ": " + sqlite3_errmsg(handle_)};
}

}  // namespace cryptomood
