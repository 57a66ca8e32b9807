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
  if (format_ == ResponseFormat::kJson) {
    json_.StartObject();
    json_.Key("data");
    json_.StartArray();
  }
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
  json_.StartObject();
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
  json_.Key(name);
  json_.String(value);
}

void RowStreamWriter::Double(std::string_view name, double value) {
  // JSON has no NaN or infinity (JsonWriter writes null): CSV gets the same empty cell.
  if (!std::isfinite(value)) return Null(name);
  if (format_ == ResponseFormat::kCsv) {
    char text[kMaxDoubleTextLength];
    return CsvCell(name, std::string_view(text, AppendDoubleText(text, value) - text));
  }
  json_.Key(name);
  json_.Double(value);
}

void RowStreamWriter::OptionalDouble(std::string_view name, const std::optional<double>& value) {
  if (value) return Double(name, *value);
  Null(name);
}

void RowStreamWriter::Int(std::string_view name, std::int64_t value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, std::to_string(value));
  json_.Key(name);
  json_.Int(value);
}

void RowStreamWriter::Bool(std::string_view name, bool value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, value ? "true" : "false");
  json_.Key(name);
  json_.Bool(value);
}

void RowStreamWriter::Timestamp(std::string_view name, TimestampNs value) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, FormatTimestampMicros(value));
  json_.Key(name);
  json_.Timestamp(value);
}

void RowStreamWriter::StringList(std::string_view name, std::span<const std::string> values) {
  if (format_ == ResponseFormat::kCsv) {
    std::string joined;
    for (const std::string& value : values) joined += (joined.empty() ? "" : ",") + value;
    return CsvCell(name, joined);
  }
  json_.Key(name);
  json_.StartArray();
  for (const std::string& value : values) json_.String(value);
  json_.EndArray();
}

void RowStreamWriter::Null(std::string_view name) {
  if (format_ == ResponseFormat::kCsv) return CsvCell(name, "");
  json_.Key(name);
  json_.Null();
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
    json_.EndObject();
    if (format_ == ResponseFormat::kNdjson) json_.EndLine();
  }
  FlushIfFull();
}

void RowStreamWriter::FlushIfFull() {
  if (Pending().size() >= kFlushBytes) FlushPending();
}

std::string_view RowStreamWriter::Pending() const {
  return format_ == ResponseFormat::kCsv ? std::string_view(buffer_) : json_.view();
}

void RowStreamWriter::FlushPending() {
  // Once the client is gone, rows are dropped rather than piling up.
  if (ok_ && !Pending().empty()) ok_ = flush_(Pending());
  buffer_.clear();
  json_.DiscardText();
}

bool RowStreamWriter::Finish(const std::optional<std::string>& next_cursor) {
  if (format_ == ResponseFormat::kJson) {
    json_.EndArray();
    if (paged_) {
      json_.Key("next_cursor");
      if (next_cursor) {
        json_.String(*next_cursor);
      } else {
        json_.Null();
      }
    }
    json_.EndObject();
    json_.EndLine();
  }
  FlushPending();
  return ok_;
}

}  // namespace cryptomood::http
