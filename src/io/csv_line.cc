#include "io/csv_line.h"

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr char kQuote = '"';
constexpr char kSeparator = ',';

Status Reject(std::string message) { return Error{std::move(message)}; }

std::string FieldNumber(std::size_t index) { return "CSV field " + std::to_string(index + 1); }

Error UnclosedQuote(std::size_t index) {
  return Error{"unclosed quote in " + FieldNumber(index) +
               " (a line break inside a quoted field is not supported)"};
}

}  // namespace

std::string_view WithoutCarriageReturn(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Status CsvLineSplitter::Split(std::string_view line) {
  line = WithoutCarriageReturn(line);
  fields_.clear();
  unquoted_.clear();
  unquoted_.reserve(line.size());
  std::size_t start = 0;
  while (true) {
    std::size_t end = 0;
    if (start < line.size() && line[start] == kQuote) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(end, SplitQuoted(line, start));
      if (end < line.size() && line[end] != kSeparator) {
        return Reject("text after the closing quote of " + FieldNumber(fields_.size() - 1));
      }
    } else {
      end = line.find(kSeparator, start);
      if (end == std::string_view::npos) end = line.size();
      const std::string_view field = line.substr(start, end - start);
      if (field.find(kQuote) != std::string_view::npos) {
        return Reject("quote inside the unquoted " + FieldNumber(fields_.size()));
      }
      fields_.push_back(field);
    }
    if (end >= line.size()) return {};
    start = end + 1;
  }
}

Result<std::size_t> CsvLineSplitter::SplitQuoted(std::string_view line, std::size_t start) {
  const std::size_t first = start + 1;
  std::size_t quote = line.find(kQuote, first);
  if (quote == std::string_view::npos) {
    return UnclosedQuote(fields_.size());
  }
  if (quote + 1 >= line.size() || line[quote + 1] != kQuote) {
    fields_.push_back(line.substr(first, quote - first));
    return quote + 1;
  }
  // Doubled quotes: the field is copied without them.
  const std::size_t copy_start = unquoted_.size();
  std::size_t from = first;
  while (true) {
    if (quote == std::string_view::npos) {
      return UnclosedQuote(fields_.size());
    }
    unquoted_.append(line.substr(from, quote - from));
    if (quote + 1 < line.size() && line[quote + 1] == kQuote) {
      unquoted_ += kQuote;
      from = quote + 2;
      quote = line.find(kQuote, from);
      continue;
    }
    fields_.push_back(std::string_view(unquoted_).substr(copy_start));
    return quote + 1;
  }
}

}  // namespace cryptomood
