#include "io/diagnostics_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "io/terminal_text.h"
#include "io/text_table.h"

namespace cryptomood {
namespace {

template <std::size_t N>
void WriteCriticalValues(const std::array<double, N>& values,
                         const std::array<std::string_view, N>& levels, JsonWriter& out) {
  out.Key("critical_values");
  out.StartObject();
  for (std::size_t i = 0; i < N; ++i) {
    out.Key(levels[i]);
    out.Double(values[i]);
  }
  out.EndObject();
}

void WriteAdf(const std::optional<AdfResult>& adf, JsonWriter& out) {
  out.Key("adf");
  if (!adf) {
    out.Null();
    return;
  }
  out.StartObject();
  out.Key("statistic");
  out.Double(adf->statistic);
  out.Key("lags");
  out.Int(adf->lags);
  out.Key("nobs");
  out.Int(adf->nobs);
  out.Key("p_value");
  out.Double(adf->p_value);
  WriteCriticalValues(adf->critical_values, {"1%", "5%", "10%"}, out);
  out.EndObject();
}

void WriteKpss(const std::optional<KpssResult>& kpss, JsonWriter& out) {
  out.Key("kpss");
  if (!kpss) {
    out.Null();
    return;
  }
  out.StartObject();
  out.Key("statistic");
  out.Double(kpss->statistic);
  out.Key("lags");
  out.Int(kpss->lags);
  out.Key("p_value");
  out.Double(kpss->p_value);
  out.Key("p_value_bound");
  if (kpss->p_value_bound == PValueBound::kNone) {
    out.Null();
  } else {
    out.String(ToString(kpss->p_value_bound));
  }
  WriteCriticalValues(kpss->critical_values, {"10%", "5%", "2.5%", "1%"}, out);
  out.EndObject();
}

}  // namespace

void WriteStationarityMembers(const StationarityTests& tests, JsonWriter& out) {
  WriteAdf(tests.adf, out);
  WriteKpss(tests.kpss, out);
  out.Key("verdict");
  out.String(ToString(tests.verdict));
}

namespace {

constexpr std::array kCsvHeader = {"symbol_id",          "coin",
                                   "interval",           "series",
                                   "regression",         "n",
                                   "adf_statistic",      "adf_lags",
                                   "adf_nobs",           "adf_p_value",
                                   "adf_critical_1",     "adf_critical_5",
                                   "adf_critical_10",    "kpss_statistic",
                                   "kpss_lags",          "kpss_p_value",
                                   "kpss_p_value_bound", "kpss_critical_10",
                                   "kpss_critical_5",    "kpss_critical_2_5",
                                   "kpss_critical_1",    "verdict"};

std::string NumberText(double value) {
  std::array<char, kMaxDoubleTextLength> buffer{};
  return {buffer.data(), AppendDoubleText(buffer.data(), value)};
}

std::vector<std::string> CsvCells(const SeriesDiagnostics& row) {
  std::vector<std::string> cells = {row.symbol_id,
                                    row.coin,
                                    row.interval.ToString(),
                                    std::string(ToString(row.series)),
                                    std::string(ToString(row.regression)),
                                    std::to_string(row.n)};
  const std::optional<AdfResult>& adf = row.tests.adf;
  const std::optional<KpssResult>& kpss = row.tests.kpss;
  const auto add = [&cells](bool present, const auto& text) {
    cells.push_back(present ? std::string(text()) : std::string());
  };
  add(adf.has_value(), [&] { return NumberText(adf->statistic); });
  add(adf.has_value(), [&] { return std::to_string(adf->lags); });
  add(adf.has_value(), [&] { return std::to_string(adf->nobs); });
  add(adf.has_value(), [&] { return NumberText(adf->p_value); });
  for (std::size_t i = 0; i < 3; ++i) {
    add(adf.has_value(), [&] { return NumberText(adf->critical_values[i]); });
  }
  add(kpss.has_value(), [&] { return NumberText(kpss->statistic); });
  add(kpss.has_value(), [&] { return std::to_string(kpss->lags); });
  add(kpss.has_value(), [&] { return NumberText(kpss->p_value); });
  add(kpss.has_value(), [&] { return ToString(kpss->p_value_bound); });
  for (std::size_t i = 0; i < 4; ++i) {
    add(kpss.has_value(), [&] { return NumberText(kpss->critical_values[i]); });
  }
  cells.emplace_back(ToString(row.tests.verdict));
  return cells;
}

std::string KpssPValueText(const KpssResult& kpss) {
  const std::string_view prefix = kpss.p_value_bound == PValueBound::kLower   ? ">"
                                  : kpss.p_value_bound == PValueBound::kUpper ? "<"
                                                                              : "";
  return fmt::format("{}{:.4f}", prefix, kpss.p_value);
}

std::vector<std::string> TableLine(const SeriesDiagnostics& row) {
  const std::optional<AdfResult>& adf = row.tests.adf;
  const std::optional<KpssResult>& kpss = row.tests.kpss;
  return {EscapeForTerminal(row.symbol_id),
          std::string(ToString(row.series)),
          adf ? fmt::format("{:.4f}", adf->statistic) : "-",
          adf ? std::to_string(adf->lags) : "-",
          adf ? fmt::format("{:.4f}", adf->p_value) : "-",
          kpss ? fmt::format("{:.4f}", kpss->statistic) : "-",
          kpss ? KpssPValueText(*kpss) : "-",
          std::string(ToString(row.tests.verdict))};
}

}  // namespace

void WriteDiagnosticsArray(std::span<const SeriesDiagnostics> rows, JsonWriter& out) {
  out.StartArray();
  for (const SeriesDiagnostics& row : rows) {
    out.StartObject();
    out.Key("symbol_id");
    out.String(row.symbol_id);
    out.Key("coin");
    out.String(row.coin);
    out.Key("interval");
    out.String(row.interval.ToString());
    out.Key("series");
    out.String(ToString(row.series));
    out.Key("regression");
    out.String(ToString(row.regression));
    out.Key("n");
    out.Int(row.n);
    WriteStationarityMembers(row.tests, out);
    out.EndObject();
  }
  out.EndArray();
}

std::string DiagnosticsToJson(std::span<const SeriesDiagnostics> rows) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("diagnostics");
  WriteDiagnosticsArray(rows, writer);
  writer.EndObject();
  return std::string(writer.view()) + "\n";
}

std::string WithDiagnosticsMember(std::string_view document,
                                  std::span<const SeriesDiagnostics> rows) {
  const std::size_t close = document.rfind('}');
  if (close == std::string_view::npos) return std::string(document);
  JsonWriter writer;
  WriteDiagnosticsArray(rows, writer);
  std::string out(document.substr(0, close));
  out += ",\"diagnostics\":";
  out += writer.view();
  out += document.substr(close);
  return out;
}

std::string DiagnosticsToCsv(std::span<const SeriesDiagnostics> rows) {
  std::vector<std::vector<std::string>> lines;
  lines.reserve(rows.size());
  for (const SeriesDiagnostics& row : rows) lines.push_back(CsvCells(row));
  return CsvDocument(kCsvHeader, lines);
}

std::string DiagnosticsToTable(std::span<const SeriesDiagnostics> rows) {
  std::vector<std::vector<std::string>> table = {
      {"symbol", "series", "ADF stat", "lags", "p", "KPSS stat", "p", "verdict"}};
  for (const SeriesDiagnostics& row : rows) table.push_back(TableLine(row));
  return "Stationarity\n" + AlignedLines(table);
}

}  // namespace cryptomood
