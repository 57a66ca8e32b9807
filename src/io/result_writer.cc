#include "io/result_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "io/json_writer.h"
#include "io/terminal_text.h"
#include "io/text_table.h"

namespace cryptomood {
namespace {

void WriteCounts(JsonWriter& writer, std::string_view name, const InputCounts& counts) {
  writer.Key(name);
  writer.StartObject();
  writer.Key("lines");
  writer.Int(counts.lines);
  writer.Key("accepted");
  writer.Int(counts.accepted);
  writer.Key("rejected");
  writer.Int(counts.rejected);
  writer.Key("duplicates");
  writer.Int(counts.duplicates);
  writer.EndObject();
}

// One cell per contract field, as text; absent values are empty.
struct RowCells {
  std::vector<std::string> cells;
  void Add(std::string text) { cells.push_back(std::move(text)); }
  void Add(const std::optional<double>& value) { Add(ShortestDoubleText(value)); }
  void Add(const std::optional<TimestampNs>& value) {
    Add(value ? FormatTimestampMicros(*value) : "");
  }
};

// The robust-inference fields of a row, in contract order (after best_lag), each with where
// its value lives; JSON and CSV both walk this list.
struct RobustFieldSpec {
  const char* name;
  std::optional<double> (*value)(const CorrelationRow& row);
};

std::optional<double> LagCount(const std::optional<std::int64_t>& lags) {
  return lags ? std::optional<double>(static_cast<double>(*lags)) : std::nullopt;
}

constexpr std::array<RobustFieldSpec, 17> kRobustFields = {{
    {"r1_x", [](const CorrelationRow& row) { return row.statistics.robust.r1_x; }},
    {"r1_y", [](const CorrelationRow& row) { return row.statistics.robust.r1_y; }},
    {"n_eff", [](const CorrelationRow& row) { return row.statistics.robust.n_eff; }},
    {"p_value_neff", [](const CorrelationRow& row) { return row.statistics.robust.p_value_neff; }},
    {"ci_low_neff", [](const CorrelationRow& row) { return row.statistics.robust.ci_low_neff; }},
    {"ci_high_neff", [](const CorrelationRow& row) { return row.statistics.robust.ci_high_neff; }},
    {"hac_lags",
     [](const CorrelationRow& row) { return LagCount(row.statistics.robust.hac_lags); }},
    {"se_hac", [](const CorrelationRow& row) { return row.statistics.robust.se_hac; }},
    {"p_value_hac", [](const CorrelationRow& row) { return row.statistics.robust.p_value_hac; }},
    {"p_value_robust",
     [](const CorrelationRow& row) { return row.statistics.robust.p_value_robust; }},
    {"p_value_robust_adjusted",
     [](const CorrelationRow& row) { return row.p_value_robust_adjusted; }},
    {"spearman_r1_x",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.r1_x; }},
    {"spearman_r1_y",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.r1_y; }},
    {"spearman_n_eff",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.n_eff; }},
    {"spearman_p_value_neff",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.p_value_neff; }},
    {"spearman_p_value_hac",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.p_value_hac; }},
    {"spearman_p_value_robust",
     [](const CorrelationRow& row) { return row.statistics.spearman_robust.p_value_robust; }},
}};

bool IsIntegerField(std::string_view name) { return name == "hac_lags"; }

constexpr std::array kCsvHeader = {
    "symbol_id", "coin",         "mode",       "direction",       "interval",
    "lag",       "window_start", "window_end", "first_timestamp", "last_timestamp",
    "n",         "pearson",      "spearman",   "p_value",         "p_value_adjusted",
    "ci_low",    "ci_high",      "best_lag"};

RowCells CellsOf(const CorrelationRow& row) {
  RowCells out;
  out.Add(row.symbol_id);
  out.Add(row.coin);
  out.Add(std::string(ToString(row.mode)));
  out.Add(row.direction ? std::string(ToString(*row.direction)) : "");
  out.Add(row.interval ? row.interval->ToString() : "");
  out.Add(std::to_string(row.lag));
  out.Add(row.window.start);
  out.Add(row.window.end);
  out.Add(row.first_timestamp);
  out.Add(row.last_timestamp);
  out.Add(std::to_string(row.statistics.n));
  out.Add(row.statistics.pearson);
  out.Add(row.statistics.spearman);
  out.Add(row.statistics.p_value);
  out.Add(row.p_value_adjusted);
  out.Add(row.statistics.ci_low);
  out.Add(row.statistics.ci_high);
  out.Add(row.best_lag ? "true" : "false");
  for (const RobustFieldSpec& field : kRobustFields) out.Add(field.value(row));
  out.Add(row.warning.value_or(""));
  return out;
}

std::string Fixed(const std::optional<double>& value, int digits) {
  return value ? fmt::format("{:.{}f}", *value, digits) : "-";
}

// The effective-sample-size interval (JSON and CSV keep the naive one as well).
std::string Interval95(const CorrelationStatistics& statistics) {
  const RobustInference& robust = statistics.robust;
  if (!robust.ci_low_neff || !robust.ci_high_neff) return "-";
  return fmt::format("[{:.3f}, {:.3f}]", *robust.ci_low_neff, *robust.ci_high_neff);
}

// The best lag marker and any warning, for a person.
std::string RowNotes(const CorrelationRow& row) {
  std::string notes = row.best_lag ? "<- best lag" : "";
  if (row.warning == "levels_nonstationary") {
    notes += notes.empty() ? "" : "; ";
    notes += "price levels non-stationary: read returns (bars mode)";
  }
  return notes;
}

std::string TimestampCell(const std::optional<TimestampNs>& timestamp) {
  // Seconds are enough for a person; JSON and CSV keep microseconds.
  return timestamp ? FormatTimestampMicros(*timestamp).substr(0, 19) + "Z" : "-";
}

}  // namespace

void WriteResultFields(JsonWriter& writer, const CorrelationRow& row) {
  writer.Key("symbol_id");
  writer.String(row.symbol_id);
  writer.Key("coin");
  writer.String(row.coin);
  writer.Key("mode");
  writer.String(ToString(row.mode));
  writer.Key("direction");
  if (row.direction) {
    writer.String(ToString(*row.direction));
  } else {
    writer.Null();
  }
  writer.Key("interval");
  if (row.interval) {
    writer.String(row.interval->ToString());
  } else {
    writer.Null();
  }
  writer.Key("lag");
  writer.Int(row.lag);
  writer.Key("window_start");
  writer.OptionalTimestamp(row.window.start);
  writer.Key("window_end");
  writer.OptionalTimestamp(row.window.end);
  writer.Key("first_timestamp");
  writer.OptionalTimestamp(row.first_timestamp);
  writer.Key("last_timestamp");
  writer.OptionalTimestamp(row.last_timestamp);
  writer.Key("n");
  writer.Int(row.statistics.n);
  writer.Key("pearson");
  writer.OptionalDouble(row.statistics.pearson);
  writer.Key("spearman");
  writer.OptionalDouble(row.statistics.spearman);
  writer.Key("p_value");
  writer.OptionalDouble(row.statistics.p_value);
  writer.Key("p_value_adjusted");
  writer.OptionalDouble(row.p_value_adjusted);
  writer.Key("ci_low");
  writer.OptionalDouble(row.statistics.ci_low);
  writer.Key("ci_high");
  writer.OptionalDouble(row.statistics.ci_high);
  writer.Key("best_lag");
  writer.Bool(row.best_lag);
  for (const RobustFieldSpec& field : kRobustFields) {
    writer.Key(field.name);
    const std::optional<double> value = field.value(row);
    if (value && IsIntegerField(field.name)) {
      writer.Int(static_cast<std::int64_t>(*value));
    } else {
      writer.OptionalDouble(value);
    }
  }
  writer.Key("warning");
  if (row.warning) {
    writer.String(*row.warning);
  } else {
    writer.Null();
  }
}

std::string ResultsToJson(std::span<const CorrelationRow> rows, const InputSummary& inputs) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("results");
  writer.StartArray();
  for (const CorrelationRow& row : rows) {
    writer.StartObject();
    WriteResultFields(writer, row);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("inputs");
  writer.StartObject();
  WriteCounts(writer, "trades", inputs.trades);
  WriteCounts(writer, "sentiment", inputs.sentiment);
  writer.EndObject();
  writer.EndObject();
  return std::string(writer.view()) + "\n";
}

std::string ResultsToCsv(std::span<const CorrelationRow> rows) {
  std::vector<const char*> header(kCsvHeader.begin(), kCsvHeader.end());
  for (const RobustFieldSpec& field : kRobustFields) header.push_back(field.name);
  header.push_back("warning");
  std::vector<std::vector<std::string>> lines;
  lines.reserve(rows.size());
  for (const CorrelationRow& row : rows) lines.push_back(CellsOf(row).cells);
  return CsvDocument(header, lines);
}

std::string ResultsToTable(std::span<const CorrelationRow> rows, const InputSummary& inputs) {
  const bool windowed = std::any_of(rows.begin(), rows.end(), [](const CorrelationRow& row) {
    return row.window.start.has_value();
  });
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header = {"symbol", "coin", "mode", "lag"};
  if (windowed) header.emplace_back("window");
  for (const char* name : {"n", "n_eff", "pearson", "spearman", "p", "p_robust", "p_adj",
                           "p_rob_adj", "95% CI (n_eff)", "first", "last", ""}) {
    header.emplace_back(name);
  }
  table.push_back(header);
  for (const CorrelationRow& row : rows) {
    const CorrelationStatistics& s = row.statistics;
    std::vector<std::string> line = {EscapeForTerminal(row.symbol_id), EscapeForTerminal(row.coin),
                                     std::string(ToString(row.mode)), std::to_string(row.lag)};
    if (windowed) line.push_back(TimestampCell(row.window.start));
    for (std::string cell :
         {std::to_string(s.n), Fixed(s.robust.n_eff, 0), Fixed(s.pearson, 4), Fixed(s.spearman, 4),
          PValueCell(s.p_value), PValueCell(s.robust.p_value_robust),
          PValueCell(row.p_value_adjusted), PValueCell(row.p_value_robust_adjusted), Interval95(s),
          TimestampCell(row.first_timestamp), TimestampCell(row.last_timestamp), RowNotes(row)}) {
      line.push_back(std::move(cell));
    }
    table.push_back(std::move(line));
  }
  std::string out = AlignedLines(table);
  out += fmt::format(
      "inputs: trades {} lines, {} accepted, {} rejected, {} duplicates; "
      "sentiment {} lines, {} accepted, {} rejected, {} duplicates\n",
      inputs.trades.lines, inputs.trades.accepted, inputs.trades.rejected, inputs.trades.duplicates,
      inputs.sentiment.lines, inputs.sentiment.accepted, inputs.sentiment.rejected,
      inputs.sentiment.duplicates);
  return out;
}

}  // namespace cryptomood
