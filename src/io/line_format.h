// The line format of one input file, JSON lines or CSV, decided by its content: a file whose
// first line does not start with '{' (after a byte order mark and blanks) and reads as a
// CSV header naming at least one column of either record kind is CSV, unless its second line
// starts with '{' (JSON lines after one stray line); any other file is JSON lines. A CSV file's
// first line is its header (line 1, not a record); its columns are read against the parser's
// CsvSchema, and a bad header fails the file. FileFormatGate lets the parallel chunk parsers of a
// file share that decision: the parser of chunk 0 takes it from the chunk's first line, the parsers
// of later chunks wait for it. FormattedLineParser parses one line of a file in its format with a
// record parser. Thread-safety: a FileFormatGate is shared by the workers of one file (Await is
// safe to call concurrently; the decision is immutable once made); a FormattedLineParser is per
// thread.
#pragma once

#include <simdjson.h>

#include <future>
#include <optional>
#include <string>
#include <string_view>

#include "core/record_kind.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "io/chunk_reader.h"
#include "io/csv_columns.h"
#include "io/csv_line.h"

namespace cryptomood {

struct FileFormat {
  bool csv = false;
  std::optional<CsvColumns> columns;  // a CSV file with a good header
  Status header;                      // a CSV file's header problem, without the file name

  // Lines at the start of `chunk` that are no record (the header of a CSV file).
  std::uint64_t HeaderLinesIn(const Chunk& chunk) const {
    return csv && chunk.index() == 0 && !chunk.continues_line() ? 1 : 0;
  }
  // The header problem as "NAME: reason", for the whole file.
  Status HeaderStatus(std::string_view file_name) const;
};

// The first line of `data` (without its newline), or all of it.
std::string_view FirstLine(std::string_view data);

// Whether `data`, the start of a file, is CSV by the rule above.
bool StartsWithCsvHeader(std::string_view data);

// The format of a file of `kind` that starts with `data`.
FileFormat DecideFileFormat(RecordKind kind, std::string_view data);

class FileFormatGate {
 public:
  explicit FileFormatGate(RecordKind kind) : kind_(kind), decided_(decision_.get_future()) {}

  // The file's format for the parser of `chunk`; chunk 0 decides it (once), later chunks wait
  // until it has. Every file's chunk 0 is parsed, so the wait ends.
  const FileFormat& Await(const Chunk& chunk);
  // For the consumer, once chunk 0 is parsed: a CSV header's problem as one message naming
  // the file.
  Status HeaderStatus(std::string_view file_name) const { return format_.HeaderStatus(file_name); }

 private:
  RecordKind kind_;
  std::promise<void> decision_;
  std::shared_future<void> decided_;
  FileFormat format_;
};

// Parses lines of a file with `Parser` (TradeParser, SentimentParser): a JSON line as it is,
// a CSV row split into cells first. A blank CSV row is rejected as "empty line", as a blank
// JSON line is.
template <typename Parser>
class FormattedLineParser {
 public:
  template <typename Record>
  Status Parse(const FileFormat& format, simdjson::padded_string_view line, Record& record) {
    if (!format.csv) return parser_.Parse(line, record);
    if (!format.header.ok()) return format.header;
    const std::string_view text(line.data(), line.size());
    if (IsBlank(text)) return Error{"empty line"};
    CRYPTOMOOD_RETURN_IF_ERROR(splitter_.Split(text));
    return parser_.ParseCsvRow(splitter_.fields(), *format.columns, record);
  }

  Parser& parser() { return parser_; }

 private:
  static bool IsBlank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
  }

  Parser parser_;
  CsvLineSplitter splitter_;
};

}  // namespace cryptomood
