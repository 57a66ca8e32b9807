// Output of the stationarity diagnostics (core/stationarity.h, core/diagnostics.h): the JSON
// objects of one series' tests, shared by the CLI, the API and the oracle driver so that every
// reader sees the same members.
// JSON of one series' tests: "adf": {statistic, lags, nobs, p_value, critical_values {"1%",
// "5%", "10%"}} or null; "kpss": {statistic, lags, p_value, p_value_bound ("lower", "upper" or
// null), critical_values {"10%", "5%", "2.5%", "1%"}} or null; "verdict".
// A diagnostics row (core/diagnostics.h) in JSON: symbol_id, coin, interval, series,
// regression, n, then the members above. In CSV: one line per row under kDiagnosticsCsvHeader,
// absent values empty. In the table: a "Stationarity" section, one line per symbol and series.
// Thread-safety: pure functions; the writer is the caller's.
#pragma once

#include <span>
#include <string>

#include "core/diagnostics.h"
#include "core/stationarity.h"
#include "io/json_writer.h"

namespace cryptomood {

// Writes the members "adf", "kpss" and "verdict" into the object the caller has opened.
void WriteStationarityMembers(const StationarityTests& tests, JsonWriter& out);

// The array of rows, as the next value of `out`.
void WriteDiagnosticsArray(std::span<const SeriesDiagnostics> rows, JsonWriter& out);

// {"diagnostics": [...]} and a newline.
std::string DiagnosticsToJson(std::span<const SeriesDiagnostics> rows);

// `document`, a JSON object with at least one member (optionally followed by a newline), with
// a last member "diagnostics" added.
std::string WithDiagnosticsMember(std::string_view document,
                                  std::span<const SeriesDiagnostics> rows);

// A header line, then one line per row.
std::string DiagnosticsToCsv(std::span<const SeriesDiagnostics> rows);

// "Stationarity" and the aligned lines: symbol, series, ADF statistic, lags, p, KPSS statistic,
// p (">" or "<" when it is a bound), verdict.
std::string DiagnosticsToTable(std::span<const SeriesDiagnostics> rows);

}  // namespace cryptomood
