#include "io/line_format.h"

#include <algorithm>

#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace cryptomood {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

const CsvSchema& SchemaOf(RecordKind kind) {
  return kind == RecordKind::kTrade ? TradeParser::CsvColumnSchema()
                                    : SentimentParser::CsvColumnSchema();
}

std::string_view WithoutLeadingBlanks(std::string_view line) {
  if (line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos ? std::string_view() : line.substr(first);
}

}  // namespace

Status FileFormat::HeaderStatus(std::string_view file_name) const {
  if (header.ok()) return {};
  return Error{std::string(file_name) + ": " + header.error().message};
}

std::string_view FirstLine(std::string_view data) { return data.substr(0, data.find('\n')); }

bool StartsWithCsvHeader(std::string_view data) {
  const std::string_view first_line = FirstLine(data);
  const std::string_view start = WithoutLeadingBlanks(first_line);
  if (start.empty() || start.front() == '{') return false;
  if (first_line.size() < data.size()) {
    const std::string_view second_line = FirstLine(data.substr(first_line.size() + 1));
    if (WithoutLeadingBlanks(second_line).starts_with('{')) return false;
  }
  CsvLineSplitter splitter;
  if (!splitter.Split(start).ok()) return false;
  return std::any_of(splitter.fields().begin(), splitter.fields().end(),
                     [](std::string_view column) {
                       const std::string_view trimmed = Trimmed(column);
                       return SchemaOf(RecordKind::kTrade).FieldOf(trimmed) ||
                              SchemaOf(RecordKind::kSentiment).FieldOf(trimmed);
                     });
}

FileFormat DecideFileFormat(RecordKind kind, std::string_view data) {
  FileFormat format;
  if (!StartsWithCsvHeader(data)) return format;
  format.csv = true;
  CsvLineSplitter splitter;
  const Status split = splitter.Split(WithoutLeadingBlanks(FirstLine(data)));
  if (!split.ok()) {
    format.header = split;
    return format;
  }
  auto columns = CsvColumns::FromHeader(splitter.fields(), SchemaOf(kind));
  if (!columns.ok()) {
    format.header = columns.error();
    return format;
  }
  format.columns = std::move(*columns);
  return format;
}

const FileFormat& FileFormatGate::Await(const Chunk& chunk) {
  if (chunk.index() == 0) {
    if (!chunk.truncated_line()) format_ = DecideFileFormat(kind_, chunk.data());
    decision_.set_value();
    return format_;
  }
  decided_.wait();
  return format_;
}

}  // namespace cryptomood
