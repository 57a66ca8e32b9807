#include "io/csv_columns.h"

#include <algorithm>
#include <optional>
#include <string>

#include "io/json_line_fields.h"

namespace cryptomood {
namespace {

std::string Quoted(std::string_view text) { return "'" + json_line::DisplayText(text) + "'"; }

}  // namespace

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}

std::optional<int> CsvSchema::FieldOf(std::string_view column) const {
  for (const CsvAlias& alias : aliases) {
    if (alias.alias == column) column = alias.field;
  }
  const auto found = std::find(fields.begin(), fields.end(), column);
  if (found == fields.end()) return std::nullopt;
  return static_cast<int>(found - fields.begin());
}

Result<CsvColumns> CsvColumns::FromHeader(std::span<const std::string_view> header,
                                          const CsvSchema& schema) {
  for (std::size_t column = 0; column < header.size(); ++column) {
    const std::string_view name = Trimmed(header[column]);
    for (std::size_t earlier = 0; earlier < column; ++earlier) {
      if (!name.empty() && Trimmed(header[earlier]) == name) {
        return Error{"CSV header names the column " + Quoted(name) + " twice"};
      }
    }
  }
  CsvColumns columns;
  columns.fields_.reserve(header.size());
  for (std::size_t column = 0; column < header.size(); ++column) {
    const std::string_view name = Trimmed(header[column]);
    const std::optional<int> field = schema.FieldOf(name);
    if (field) {
      const auto earlier = std::find(columns.fields_.begin(), columns.fields_.end(), *field);
      if (earlier != columns.fields_.end()) {
        const std::string_view first_name =
            Trimmed(header[static_cast<std::size_t>(earlier - columns.fields_.begin())]);
        return Error{"CSV header names the field " +
                     Quoted(schema.fields[static_cast<std::size_t>(*field)]) + " twice (" +
                     Quoted(first_name) + " and " + Quoted(name) + ")"};
      }
    }
    columns.fields_.push_back(field.value_or(kIgnored));
  }
  for (const int required : schema.required) {
    if (std::find(columns.fields_.begin(), columns.fields_.end(), required) ==
        columns.fields_.end()) {
      return Error{"CSV header has no column " +
                   Quoted(schema.fields[static_cast<std::size_t>(required)])};
    }
  }
  return columns;
}

}  // namespace cryptomood
