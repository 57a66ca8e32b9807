// The JSON object of one correlation row as the API serves it: the result contract's fields
// (WriteResultFields) followed by the original endpoint's keys "first timestamp",
// "last timestamp" and "correlation", so old consumers keep working. The computed
// /correlation reply and the stream rows stored for /correlation?source=stream both use it,
// so the two sources serve identical objects.
// Thread-safety: pure functions writing into a writer or string the caller owns.
#pragma once

#include <string>

#include "core/analysis.h"
#include "io/json_writer.h"

namespace cryptomood {

// Writes the whole object (from '{' to '}') as the next value of `writer`.
void WriteCorrelationRowObject(JsonWriter& writer, const CorrelationRow& row);

// The object as a standalone JSON text.
std::string CorrelationRowJson(const CorrelationRow& row);

}  // namespace cryptomood
