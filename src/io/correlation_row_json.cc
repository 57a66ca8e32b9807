#include "io/correlation_row_json.h"

#include <optional>

#include "io/result_writer.h"

namespace cryptomood {

void WriteCorrelationRowObject(JsonWriter& writer, const CorrelationRow& row) {
  const auto timestamp = [&writer](const std::optional<TimestampNs>& value) {
    value ? writer.Timestamp(*value) : writer.Null();
  };
  writer.StartObject();
  WriteResultFields(writer, row);
  writer.Key("first timestamp");
  timestamp(row.first_timestamp);
  writer.Key("last timestamp");
  timestamp(row.last_timestamp);
  writer.Key("correlation");
  writer.OptionalDouble(row.statistics.pearson);
  writer.EndObject();
}

std::string CorrelationRowJson(const CorrelationRow& row) {
  JsonWriter writer;
  WriteCorrelationRowObject(writer, row);
  return std::string(writer.view());
}

}  // namespace cryptomood
