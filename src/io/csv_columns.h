// CsvColumns: what each column of a CSV file holds, read from its header row against a
// record kind's CsvSchema (the parser's field names, the required ones and the accepted
// aliases). A column names a field by its name or an alias; any other column is ignored, as
// unknown keys of a JSON line are. The header fails, with a reason naming the column, when a
// required field has no column or when two columns name the same field.
// ForEachCsvField hands a row's cells to a parser's per-field reader, as ForEachKnownField
// (io/json_line_fields.h) does a JSON line's values.
// Thread-safety: immutable once built; shared read-only by the parsers of a file.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status_macros.h"
#include "io/csv_cell.h"
#include "io/json_line_fields.h"

namespace cryptomood {

struct CsvAlias {
  std::string_view alias;
  std::string_view field;
};

struct CsvSchema {
  std::span<const std::string_view> fields;  // indexed by the parser's field id
  std::span<const int> required;             // field ids
  std::span<const CsvAlias> aliases;

  // The field id `column` names (by name or alias), or nullopt.
  std::optional<int> FieldOf(std::string_view column) const;
};

// Header cells are matched without the blanks around them ("price, size").
std::string_view Trimmed(std::string_view text);

class CsvColumns {
 public:
  static constexpr int kIgnored = -1;

  // `header` holds the header row's fields. Fails with "CSV header has no column 'price'",
  // "CSV header names the column 'x' twice" or "CSV header names the field 'size' twice
  // ('size' and 'amount')".
  static Result<CsvColumns> FromHeader(std::span<const std::string_view> header,
                                       const CsvSchema& schema);

  std::size_t size() const { return fields_.size(); }
  // The field id of each column, kIgnored for a column naming no field.
  std::span<const int> fields() const { return fields_; }

 private:
  std::vector<int> fields_;
};

// Calls `read(field_id, json_line::CsvCell&) -> Status` for each non-empty cell of a column
// naming a field, in column order, marking the field in `keys` (an empty cell is an absent
// field); stops at the first failure. A row with another number of cells than the header is
// rejected ("CSV row has 3 fields, the header 5").
template <typename Read>
Status ForEachCsvField(std::span<const std::string_view> cells, const CsvColumns& columns,
                       json_line::KeyTracker& keys, Read&& read) {
  keys.Reset();
  if (cells.size() != columns.size()) {
    return Error{"CSV row has " + std::to_string(cells.size()) + " fields, the header " +
                 std::to_string(columns.size())};
  }
  for (std::size_t column = 0; column < cells.size(); ++column) {
    const int field = columns.fields()[column];
    if (field == CsvColumns::kIgnored || cells[column].empty()) continue;
    keys.MarkKnown(field);
    json_line::CsvCell cell{cells[column]};
    CRYPTOMOOD_RETURN_IF_ERROR(read(field, cell));
  }
  return {};
}

}  // namespace cryptomood
