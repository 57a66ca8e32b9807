// Schema migrations: each backend's schema as an ordered list of numbered steps. Opening a
// store applies, in order and each in its own transaction, the steps whose version exceeds
// the highest recorded in its schema_version table, and records them there; so a reopened
// store is left alone and an older one is brought up to date. A store whose recorded version
// is newer than the program's last step is refused rather than misread.
// Rule for editing: never change a released step; append a new one.
// Thread-safety: the lists are immutable.
#pragma once

#include <span>
#include <string_view>

namespace cryptomood {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // one or more statements separated by ';'
};

std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

// The version a fully migrated store records: the last step's.
int LatestSchemaVersion(std::span<const Migration> migrations);

}  // namespace cryptomood
