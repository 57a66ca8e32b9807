// CsvCell: one non-empty field of a CSV row as a value for the field readers of
// io/json_line_fields.h (ReadString, ReadFiniteNumber, ReadInteger, ReadTimestamp,
// ReadTickers), so that a CSV row is validated by the same per-field checks, with the same
// reasons, as a JSON line. Every cell is text: a string is the cell as it is; a number is
// the whole cell in std::from_chars's form (the JSON number grammar's values read the same);
// "coins" is tickers joined by '|' (BTC|ETH).
// Ownership: a view; the cell's bytes must outlive it.
// Thread-safety: pure functions.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cryptomood::json_line {

struct CsvCell {
  std::string_view text;
};

simdjson::error_code GetString(const CsvCell& cell, std::string_view& out);
simdjson::error_code GetDouble(const CsvCell& cell, double& out);
simdjson::error_code GetInt64(const CsvCell& cell, std::int64_t& out);
Status ReadTickers(const CsvCell& cell, std::vector<std::string_view>& tickers);

// The separator of the tickers in a CSV "coins" cell.
inline constexpr char kCsvTickerSeparator = '|';

}  // namespace cryptomood::json_line
