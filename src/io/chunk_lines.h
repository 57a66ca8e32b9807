// Line bookkeeping shared by the chunk parsers of every bulk loader: splitting a chunk into
// lines (a final newline ends the last line, it does not start an empty one), parsing each
// in place with its padding, and collecting the rejected ones with their reasons so that
// the consuming thread can number and report them in input order.
// Thread-safety: ChunkLineResults belongs to one pipeline slot; ParseChunkLines runs on a
// worker, ReportRejects on the consuming thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/chunk_reader.h"
#include "io/reject_sink.h"

namespace cryptomood {

struct RejectedLine {
  std::uint64_t line_in_chunk = 0;  // 0-based
  std::size_t offset = 0;           // of the raw line in the chunk
  std::size_t length = 0;
  std::string reason;
};

struct ChunkLineResults {
  std::uint64_t lines = 0;         // including header lines
  std::uint64_t header_lines = 0;  // lines that are no record (a CSV file's header)
  std::vector<RejectedLine> rejects;

  void ClearLines() {
    lines = 0;
    header_lines = 0;
    rejects.clear();
  }
  // The lines that are records, valid or not.
  std::uint64_t record_lines() const { return lines - header_lines; }
};

// The reason a line the parser rejected with `status` is reported with: a line holding a NUL
// byte is not text, whatever the parser found wrong in it.
std::string ReasonForRejected(std::string_view line, const Status& status);

// Calls `parse_line(simdjson::padded_string_view) -> Status` for every line of `chunk` but
// its first `header_lines` (counted, not parsed) and records the failures in `results`
// (which it clears first). A chunk holding the rest of an over-long line
// (Chunk::continues_line) has no line of its own.
template <typename ParseLine>
void ParseChunkLines(const Chunk& chunk, ChunkLineResults& results, ParseLine&& parse_line,
                     std::uint64_t header_lines = 0) {
  results.ClearLines();
  const std::string_view data = chunk.data();
  if (chunk.continues_line()) return;  // the rest of a line rejected in an earlier chunk
  if (chunk.truncated_line()) {
    results.lines = 1;
    results.rejects.push_back(RejectedLine{
        0, 0, data.size(), "line longer than " + std::to_string(data.size()) + " bytes"});
    return;
  }
  std::uint64_t line = 0;
  std::size_t start = 0;
  while (start < data.size()) {
    const void* newline = std::memchr(data.data() + start, '\n', data.size() - start);
    const std::size_t end =
        newline == nullptr
            ? data.size()
            : static_cast<std::size_t>(static_cast<const char*>(newline) - data.data());
    const std::string_view text = data.substr(start, end - start);
    if (line < header_lines) {
      ++results.header_lines;
    } else if (Status status = parse_line(chunk.PaddedView(text.data(), text.size()));
               !status.ok()) {
      results.rejects.push_back(
          RejectedLine{line, start, text.size(), ReasonForRejected(text, status)});
    }
    ++line;
    start = end + 1;
  }
  results.lines = line;
}

// Per-file line numbering and reject reporting, on the consuming thread.
class RejectReporter {
 public:
  RejectReporter(std::string file_name, bool strict, RejectSink* sink)
      : file_name_(std::move(file_name)), strict_(strict), sink_(sink) {}

  // Reports the rejects of the next chunk in input order, then advances the line count; the
  // rest of an over-long line goes on to the sink (RejectSink::ContinueRawLine). Under
  // strict, the first reject becomes Error{"FILE:LINE: reason", kRejected} instead.
  Status Report(const Chunk& chunk, const ChunkLineResults& results);
  // Reports the damage that ended the input early (ChunkReader::damage), after its lines: one
  // more rejected entry, numbered after the last line (RejectSink::Damaged). Under strict it
  // becomes Error{"FILE: reason", kRejected} instead.
  Status ReportDamage(std::string_view reason);

  const std::string& file_name() const { return file_name_; }
  std::uint64_t lines() const { return lines_; }
  std::uint64_t rejected() const { return rejected_; }
  // "FILE:LINE: reason" of the first reject, empty if none.
  const std::string& first_reject() const { return first_reject_; }
  // The message for a file without a valid record: "FILE has no valid line (first: ...)",
  // or "(no line after its header)" for a CSV file holding only its header.
  std::string NoValidLine() const;

 private:
  std::string file_name_;
  bool strict_;
  RejectSink* sink_;
  std::uint64_t lines_ = 0;
  std::uint64_t rejected_ = 0;
  std::string first_reject_;
};

}  // namespace cryptomood
