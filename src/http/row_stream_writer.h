// RowStreamWriter: writes a reply of many rows in the requested format as it goes, handing
// the bytes to `flush` in blocks of about 64 KiB, so a reply of 100,000 rows never sits whole
// in memory.
//   json    {"data":[{...},{...}],"next_cursor":"..."}   (next_cursor only for paged routes)
//   ndjson  one JSON object per line, no envelope
//   csv     a header line from the first row's field names, then one line per row
// A row is written field by field; every row of a reply must name the same fields in the same
// order (CSV columns come from the first row). Absent() omits the key in JSON (mirroring input
// lines that lacked the field) and leaves the CSV cell empty; Null() writes JSON null.
// Once `flush` returns false (the client went away) writing stops and ok() turns false.
// Thread-safety: none; one writer per reply.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/timestamp.h"
#include "http/api_queries.h"
#include "io/json_writer.h"

namespace cryptomood::http {

class RowStreamWriter {
 public:
  using Flush = std::function<bool(std::string_view bytes)>;

  RowStreamWriter(ResponseFormat format, bool paged, Flush flush);

  void BeginRow();
  void String(std::string_view name, std::string_view value);
  void Double(std::string_view name, double value);
  void OptionalDouble(std::string_view name, const std::optional<double>& value);
  void Int(std::string_view name, std::int64_t value);
  void Bool(std::string_view name, bool value);
  void Timestamp(std::string_view name, TimestampNs value);
  void StringList(std::string_view name, std::span<const std::string> values);
  void Null(std::string_view name);
  void Absent(std::string_view name);
  void EndRow();

  // Closes the reply; next_cursor goes into the JSON envelope of a paged reply.
  bool Finish(const std::optional<std::string>& next_cursor);
  bool ok() const { return ok_; }

  static std::string_view ContentType(ResponseFormat format);

 private:
  void CsvCell(std::string_view name, std::string_view text);
  void FlushIfFull();
  std::string_view Pending() const;  // written, not yet flushed
  void FlushPending();

  ResponseFormat format_;
  bool paged_;
  Flush flush_;
  bool ok_ = true;
  JsonWriter json_;     // json and ndjson: the reply's text not yet flushed
  std::string buffer_;  // csv: the same
  std::string csv_header_;
  std::string csv_row_;
  bool csv_header_done_ = false;
  bool first_cell_ = true;
};

}  // namespace cryptomood::http
