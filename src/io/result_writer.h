// Result writers: the analysis rows as the JSON contract (documented in the README), as CSV,
// or as an aligned table for people (whose text cells are escaped for a terminal,
// io/terminal_text.h). JSON and CSV carry the same fields; nulls are JSON null
// and empty CSV cells. Doubles print in shortest round-trip form.
// Thread-safety: pure functions writing into a string the caller owns.
#pragma once

#include <span>
#include <string>

#include "core/analysis.h"
#include "io/input_counts.h"

namespace cryptomood {

struct InputSummary {
  InputCounts trades;
  InputCounts sentiment;
};

std::string ResultsToJson(std::span<const CorrelationRow> rows, const InputSummary& inputs);
std::string ResultsToCsv(std::span<const CorrelationRow> rows);
std::string ResultsToTable(std::span<const CorrelationRow> rows, const InputSummary& inputs);

// Writes one row's fields (an open JSON object) in contract order; the API reuses this.
class JsonWriter;
void WriteResultFields(JsonWriter& writer, const CorrelationRow& row);

}  // namespace cryptomood
