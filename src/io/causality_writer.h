// Causality writers: the Granger rows of core/causality.h as JSON (the "causality" array of
// `analyze --granger` and of GET /causality), as CSV with a header, and as the "Granger
// causality" section of the table. Fields, in contract order: symbol_id, coin, interval,
// window_start, window_end, cause, effect, lags, n, f, df_num, df_den, p_value, p_value_hc1,
// p_value_adjusted; nulls are JSON null and empty CSV cells; doubles print in shortest
// round-trip form. Table cells are escaped for a terminal (io/terminal_text.h).
// Thread-safety: pure functions writing into strings the caller owns.
#pragma once

#include <span>
#include <string>

#include "core/causality.h"
#include "io/json_writer.h"

namespace cryptomood {

// One row's fields into an open JSON object.
void WriteCausalityFields(JsonWriter& writer, const CausalityRow& row);
// The rows as a JSON array value.
void WriteCausalityArray(JsonWriter& writer, std::span<const CausalityRow> rows);

// {"causality": [...]} and a newline.
std::string CausalityToJson(std::span<const CausalityRow> rows);
// `results_json`, a ResultsToJson document ({"results": [...], "inputs": {...}}), with the
// "causality" member added right after "results".
std::string AddCausalityToResultsJson(const std::string& results_json,
                                      std::span<const CausalityRow> rows);
std::string CausalityToCsv(std::span<const CausalityRow> rows);
// The "Granger causality" heading, then one line per direction per symbol and window:
// symbol, [window,] cause -> effect, lags, n, F, p, p_hc1, p_adj.
std::string CausalityToTable(std::span<const CausalityRow> rows);

}  // namespace cryptomood
