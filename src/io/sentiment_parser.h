// SentimentParser: validates one JSON line holding a scored tweet and fills a
// SentimentRecord. Rules: one JSON object and nothing after it; required coins (a non-empty
// array of tickers, core/identifier.h), sentiment_polarity (finite, in [-1, 1]) and timestamp
// (RFC 3339); optional text (a string, unescaped). Unknown fields are ignored; a repeated
// key rejects the line. A failure is a Status whose message is the human reason.
// A CSV row (ParseCsvRow) fills the same record through the same per-field checks; its
// columns are the field names, with coins as BTC|ETH; an empty cell is an absent field.
// Lines of the usual flat shape take a fast path (FlatJsonObject); any other line is read
// with simdjson On Demand; both give the same verdict and reason.
// Ownership: the record's views point into the line (strings without escapes) or into the
// parser's buffers; they are valid until the next Parse call and while the line's bytes are.
// Thread-safety: one parser per thread; reuse it across lines (it keeps its buffers).
#pragma once

#include <simdjson.h>

#include <span>
#include <string_view>

#include "core/records.h"
#include "core/result.h"
#include "io/csv_columns.h"
#include "io/json_line_fields.h"

namespace cryptomood {

class SentimentParser {
 public:
  explicit SentimentParser(json_line::ParsePath path = json_line::ParsePath::kFastWhenPossible);

  // `line` excludes its newline; its capacity must reach SIMDJSON_PADDING bytes past the end
  // (any readable bytes: a line inside a larger padded buffer is parsed in place).
  Status Parse(simdjson::padded_string_view line, SentimentRecord& sentiment);
  // For bytes without padding: copies them into an internal buffer first.
  Status ParseUnpadded(std::string_view line, SentimentRecord& sentiment);
  // One CSV row, its cells in the columns `columns` describes (built from CsvColumnSchema).
  Status ParseCsvRow(std::span<const std::string_view> cells, const CsvColumns& columns,
                     SentimentRecord& sentiment);
  static const CsvSchema& CsvColumnSchema();

 private:
  template <typename Value>
  Status ReadField(int field, Value& value, SentimentRecord& sentiment);
  Status CheckRequired() const;

  json_line::ParsePath path_;
  json_line::LineScanners scanners_;
  json_line::KeyTracker keys_;
  json_line::PaddedCopy padded_copy_;
};

}  // namespace cryptomood
