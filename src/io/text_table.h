// Text tables and CSV documents for the writers of result rows (correlation rows, Granger rows,
// stationarity diagnostics), so that every part of `analyze`'s output aligns, quotes and prints
// numbers the same way.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cryptomood {

// The lines, each cell left-aligned to its column's widest cell with two spaces between
// columns, trailing spaces removed, one line per row.
std::string AlignedLines(const std::vector<std::vector<std::string>>& lines);

// A header line and one line per row, cells quoted where CSV needs it (io/csv_field.h).
std::string CsvDocument(std::span<const char* const> header,
                        const std::vector<std::vector<std::string>>& rows);

// The shortest text that reads back as the same double; empty when absent.
std::string ShortestDoubleText(const std::optional<double>& value);

// A p-value for a person: "-" when absent, "<1e-4" below it, else four decimals.
std::string PValueCell(const std::optional<double>& p);

}  // namespace cryptomood
