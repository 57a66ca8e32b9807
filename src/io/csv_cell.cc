#include "io/csv_cell.h"

#include <charconv>

#include "core/status_macros.h"
#include "io/json_line_fields.h"

namespace cryptomood::json_line {
namespace {

// Parses the whole of `text` with std::from_chars; false if anything is left over.
template <typename Number>
bool ParseWhole(std::string_view text, Number& out) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, out);
  return error == std::errc() && stop == end;
}

}  // namespace

simdjson::error_code GetString(const CsvCell& cell, std::string_view& out) {
  out = cell.text;
  return simdjson::SUCCESS;
}

simdjson::error_code GetDouble(const CsvCell& cell, double& out) {
  return ParseWhole(cell.text, out) ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
}

simdjson::error_code GetInt64(const CsvCell& cell, std::int64_t& out) {
  return ParseWhole(cell.text, out) ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
}

Status ReadTickers(const CsvCell& cell, std::vector<std::string_view>& tickers) {
  tickers.clear();
  std::string_view rest = cell.text;
  while (true) {
    const std::size_t separator = rest.find(kCsvTickerSeparator);
    const std::string_view ticker = rest.substr(0, separator);
    CRYPTOMOOD_RETURN_IF_ERROR(CheckTicker(ticker));
    tickers.push_back(ticker);
    if (separator == std::string_view::npos) return {};
    rest.remove_prefix(separator + 1);
  }
}

}  // namespace cryptomood::json_line
