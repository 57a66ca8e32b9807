#include "http/row_stream_writer.h"

#include <cmath>
#include <utility>

#include "io/csv_field.h"

namespace cryptomood::http {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{64} * 1024;

}  // namespace

RowStreamWriter::RowStreamWriter(ResponseFormat format, bool paged, Flush flush)
    : format_(format), paged_(paged), flush_(std::move(flush)) {
  if (format_ == ResponseFormat::kJson) buffer_ = "{\"data\":[";
}

std::string_view RowStreamWriter::ContentType(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ResponseFormat::kNdjson:
      return "application/x-ndjson";
    case ResponseFormat::kJson:
      break;
  }
  return "application/json";
}

void RowStreamWriter::BeginRow() {
  first_cell_ = true;
  if (format_ == ResponseFormat::kCsv) {
    csv_row_.clear();
    return;
  }
  row_json_.Clear();
  row_json_.StartObject();
}

void RowStreamWriter::CsvCell(std::string_view name, std::string_view text) {
  if (!csv_header_done_) {
    if (!first_cell_) csv_header_ += ',';
    AppendCsvField(csv_header_, name);
  }
  if (!first_cell_) csv_row_ += ',';
  AppendCsvField(csv_row_, text);
  first_cell_ = false;
}

void RowStreamWriter::String(std::string_view name, std::string_view value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, value);
  row_json_.Key(name);
  row_json_.String(value);
}

void RowStreamWriter::Double(std::string_view name, double value) {
  // JSON has no NaN or infinity (JsonWriter writes null): CSV gets the same empty cell.
  if (!std::isfinite(value)) return Null(name);
  if (format_ == ResponseFormat::kCsv) {
    char text[kMaxDoubleTextLength];
    return CsvCell(name, std::string_view(text, AppendDoubleText(text, value) - text));
  }
  row_json_.Key(name);
  row_json_.Double(value);
}

void RowStreamWriter::OptionalDouble(std::string_view name, const std::optional<double>& value) {
  if (value) return Double(name, *value);
  Null(name);
}

void RowStreamWriter::Int(std::string_view name, std::int64_t value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, std::to_string(value));
  row_json_.Key(name);
  row_json_.Int(value);
}

void RowStreamWriter::Bool(std::string_view name, bool value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, value ? "true" : "false");
  row_json_.Key(name);
  row_json_.Bool(value);
}

void RowStreamWriter::Timestamp(std::string_view name, TimestampNs value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, FormatTimestampMicros(value));
  row_json_.Key(name);
  row_json_.Timestamp(value);
}

void RowStreamWriter::StringList(std::string_view name, std::span<const std::string> values) {
  if (format_ == ResponseFormat::kCsv) {
    std::string joined;
    for (const std::string& value : values) joined += (joined.empty() ? "" : ",") + value;
    return CsvCell(name, joined);
  }
  row_json_.Key(name);
  row_json_.StartArray();
  for (const std::string& value : values) row_json_.String(value);
  row_json_.EndArray();
}

void RowStreamWriter::Null(std::string_view name) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, "");
  row_json_.Key(name);
  row_json_.Null();
}

void RowStreamWriter::Absent(std::string_view name) {
  if (format_ == ResponseFormat::kCsv) CsvCell(name, "");
}

void RowStreamWriter::EndRow() {
  if (format_ == ResponseFormat::kCsv) {
    if (!csv_header_done_) {
      buffer_ += csv_header_;
      buffer_ += '\n';
      csv_header_done_ = true;
    }
    buffer_ += csv_row_;
    buffer_ += '\n';
  } else {
    row_json_.EndObject();
    if (format_ == ResponseFormat::kJson && rows_ > 0) buffer_ += ',';
    buffer_ += row_json_.view();
    if (format_ == ResponseFormat::kNdjson) buffer_ += '\n';
  }
  ++rows_;
  FlushIfFull();
}

void RowStreamWriter::FlushIfFull() {
  if (buffer_.size() < kFlushBytes) return;
  // Once the client is gone, rows are dropped rather than piling up.
  if (ok_) ok_ = flush_(buffer_);
  buffer_.clear();
}

bool RowStreamWriter::Finish(const std::optional<std::string>& next_cursor) {
  if (format_ == ResponseFormat::kJson) {
    buffer_ += ']';
    if (paged_) {
      JsonWriter cursor;
      if (next_cursor) {
        cursor.String(*next_cursor);
      } else {
        cursor.Null();
      }
      buffer_ += ",\"next_cursor\":";
      buffer_ += cursor.view();
    }
    buffer_ += "}\n";
  }
  if (ok_ && !buffer_.empty()) ok_ = flush_(buffer_);
  buffer_.clear();
  return ok_;
}

}  // namespace cryptomood::http
