#include "io/text_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "io/csv_field.h"

namespace cryptomood {

std::string AlignedLines(const std::vector<std::vector<std::string>>& lines) {
  std::vector<std::size_t> widths;
  for (const auto& line : lines) {
    widths.resize(std::max(widths.size(), line.size()), 0);
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      text += fmt::format("{:<{}}", line[i], widths[i] + (i + 1 < line.size() ? 2 : 0));
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

std::string CsvDocument(std::span<const char* const> header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (std::size_t i = 0; i < header.size(); ++i) {
    out += i == 0 ? "" : ",";
    out += header[i];
  }
  out += "\n";
  for (const std::vector<std::string>& cells : rows) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += i == 0 ? "" : ",";
      AppendCsvField(out, cells[i]);
    }
    out += "\n";
  }
  return out;
}

std::string ShortestDoubleText(const std::optional<double>& value) {
  if (!value) return "";
  std::array<char, 32> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), *value);
  return error == std::errc() ? std::string(buffer.data(), end) : std::string();
}

std::string PValueCell(const std::optional<double>& p) {
  if (!p) return "-";
  if (*p < 1e-4) return "<1e-4";
  return fmt::format("{:.4f}", *p);
}

}  // namespace cryptomood
