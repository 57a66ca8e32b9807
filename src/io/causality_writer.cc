#include "io/causality_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "io/terminal_text.h"
#include "io/text_table.h"

namespace cryptomood {
namespace {

constexpr std::array kCsvHeader = {"symbol_id",  "coin",        "interval",        "window_start",
                                   "window_end", "cause",       "effect",          "lags",
                                   "n",          "f",           "df_num",          "df_den",
                                   "p_value",    "p_value_hc1", "p_value_adjusted"};

std::string TimestampText(const std::optional<TimestampNs>& timestamp) {
  return timestamp ? FormatTimestampMicros(*timestamp) : "";
}

std::vector<std::string> CsvCells(const CausalityRow& row) {
  return {row.symbol_id,
          row.coin,
          row.interval.ToString(),
          TimestampText(row.window.start),
          TimestampText(row.window.end),
          std::string(ToString(row.cause)),
          std::string(ToString(row.effect)),
          std::to_string(row.test.lags),
          std::to_string(row.test.n),
          ShortestDoubleText(row.test.f),
          std::to_string(row.test.df_num),
          std::to_string(row.test.df_den),
          ShortestDoubleText(row.test.p_value),
          ShortestDoubleText(row.test.p_value_hc1),
          ShortestDoubleText(row.p_value_adjusted)};
}

std::vector<std::string> TableCells(const CausalityRow& row, bool windowed) {
  std::vector<std::string> cells = {EscapeForTerminal(row.symbol_id)};
  if (windowed) {
    cells.push_back(row.window.start ? FormatTimestampMicros(*row.window.start).substr(0, 19) + "Z"
                                     : "-");
  }
  for (std::string cell :
       {fmt::format("{} -> {}", ToString(row.cause), ToString(row.effect)),
        std::to_string(row.test.lags), std::to_string(row.test.n),
        row.test.f ? fmt::format("{:.3f}", *row.test.f) : "-", PValueCell(row.test.p_value),
        PValueCell(row.test.p_value_hc1), PValueCell(row.p_value_adjusted)}) {
    cells.push_back(std::move(cell));
  }
  return cells;
}

}  // namespace

void WriteCausalityFields(JsonWriter& writer, const CausalityRow& row) {
  writer.Key("symbol_id");
  writer.String(row.symbol_id);
  writer.Key("coin");
  writer.String(row.coin);
  writer.Key("interval");
  writer.String(row.interval.ToString());
  writer.Key("window_start");
  writer.OptionalTimestamp(row.window.start);
  writer.Key("window_end");
  writer.OptionalTimestamp(row.window.end);
  writer.Key("cause");
  writer.String(ToString(row.cause));
  writer.Key("effect");
  writer.String(ToString(row.effect));
  writer.Key("lags");
  writer.Int(static_cast<std::int64_t>(row.test.lags));
  writer.Key("n");
  writer.Int(static_cast<std::int64_t>(row.test.n));
  writer.Key("f");
  writer.OptionalDouble(row.test.f);
  writer.Key("df_num");
  writer.Int(static_cast<std::int64_t>(row.test.df_num));
  writer.Key("df_den");
  writer.Int(static_cast<std::int64_t>(row.test.df_den));
  writer.Key("p_value");
  writer.OptionalDouble(row.test.p_value);
  writer.Key("p_value_hc1");
  writer.OptionalDouble(row.test.p_value_hc1);
  writer.Key("p_value_adjusted");
  writer.OptionalDouble(row.p_value_adjusted);
}

void WriteCausalityArray(JsonWriter& writer, std::span<const CausalityRow> rows) {
  writer.StartArray();
  for (const CausalityRow& row : rows) {
    writer.StartObject();
    WriteCausalityFields(writer, row);
    writer.EndObject();
  }
  writer.EndArray();
}

std::string CausalityToJson(std::span<const CausalityRow> rows) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("causality");
  WriteCausalityArray(writer, rows);
  writer.EndObject();
  return std::string(writer.view()) + "\n";
}

std::string AddCausalityToResultsJson(const std::string& results_json,
                                      std::span<const CausalityRow> rows) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("causality");
  WriteCausalityArray(writer, rows);
  writer.EndObject();
  // The member without the braces of its object: "causality":[...]
  const std::string_view wrapped = writer.view();
  const std::string_view member = wrapped.substr(1, wrapped.size() - 2);
  // "inputs" is the document's last member and holds only counts, so its key is found once,
  // searching from the end; results come before it.
  const std::size_t inputs = results_json.rfind(",\"inputs\":");
  const std::size_t at = inputs != std::string::npos ? inputs : results_json.rfind('}');
  std::string out = results_json.substr(0, at);
  out += ",";
  out += member;
  out += results_json.substr(at);
  return out;
}

std::string CausalityToCsv(std::span<const CausalityRow> rows) {
  std::vector<std::vector<std::string>> lines;
  lines.reserve(rows.size());
  for (const CausalityRow& row : rows) lines.push_back(CsvCells(row));
  return CsvDocument(kCsvHeader, lines);
}

std::string CausalityToTable(std::span<const CausalityRow> rows) {
  const bool windowed = std::any_of(rows.begin(), rows.end(), [](const CausalityRow& row) {
    return row.window.start.has_value();
  });
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header = {"symbol"};
  if (windowed) header.emplace_back("window");
  for (const char* name : {"cause -> effect", "lags", "n", "F", "p", "p_hc1", "p_adj"}) {
    header.emplace_back(name);
  }
  table.push_back(std::move(header));
  for (const CausalityRow& row : rows) table.push_back(TableCells(row, windowed));
  return "Granger causality\n" + AlignedLines(table);
}

}  // namespace cryptomood
