// DriveFile: the per-file steps every bulk reader of trade or sentiment files shares (the
// loader into MarketData, the ingester into a store), written once so that they cannot drift:
// parse chunks on workers and consume them in input order, polling cancellation once a chunk;
// sniff the first chunk (binary data, the other kind of file) and check the CSV header the
// format gate decided on; report each chunk's rejects in order (strict turns the first into
// the error); count lines and rejects; report the compression damage that ended the input as
// one more rejected line; refuse an empty file and a file without a valid line.
// What a caller does with the valid records is its `keep` step. The caller opens the reader
// (ChunkReader::Open) and owns the progress meter; the driver starts and clears the meter.
// Thread-safety: `parse` runs on the pipeline's workers, each with its own ChunkParser; every
// other step runs on the calling thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/cancellation.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "io/chunk_lines.h"
#include "io/chunk_reader.h"
#include "io/input_sniffer.h"
#include "io/line_format.h"
#include "io/ordered_chunk_pipeline.h"
#include "io/progress_meter.h"
#include "io/reject_sink.h"

namespace cryptomood {

struct FileDriverSettings {
  int threads = 1;  // parse workers; at least one
  bool strict = false;
  RejectSink* rejects = nullptr;                                  // not owned; may be null
  ProgressMeter* progress = nullptr;                              // not owned; never null
  const CancellationToken* cancel = &CancellationToken::Never();  // not owned; never null
};

// The caller's part of reading one file. ChunkParser::Output derives from ChunkLineResults.
template <typename ChunkParser>
struct FileSteps {
  using Output = typename ChunkParser::Output;
  // On a worker: `parser` (the worker's own) turns `chunk` into `output` in `format`.
  std::function<void(ChunkParser& parser, const Chunk& chunk, FileFormatGate& format,
                     Output& output)>
      parse;
  // In input order, once the chunk's rejects are reported: keeps its valid records.
  std::function<Status(const Chunk& chunk, Output& output)> keep;
  // Optional: the state of the sink the rejects went to, checked after every report of
  // rejects (a sink cannot fail while it is written to, so it keeps its first error).
  std::function<Status()> rejects_status;
  // Optional: after the damage that ended the input is reported as one more rejected line.
  std::function<Status()> damaged;
};

// Lines of one file: all record lines (valid or not, the damage counted as one) and those
// rejected.
struct FileTally {
  std::int64_t lines = 0;
  std::int64_t rejected = 0;
};

template <typename ChunkParser>
Result<FileTally> DriveFile(ChunkReader& reader, const FileDriverSettings& settings,
                            const FileSteps<ChunkParser>& steps) {
  using Output = typename ChunkParser::Output;
  const int threads = std::max(settings.threads, 1);
  std::vector<ChunkParser> parsers(static_cast<std::size_t>(threads));
  RejectReporter reporter(reader.display_name(), settings.strict, settings.rejects);
  FileFormatGate format(ChunkParser::kKind);
  ProgressMeter& progress = *settings.progress;
  const auto rejects_status = [&steps]() -> Status {
    return steps.rejects_status ? steps.rejects_status() : Status::Ok();
  };
  FileTally tally;
  std::int64_t valid_lines = 0;

  ChunkPipelineStages<Output> stages;
  stages.parse = [&](int worker, const Chunk& chunk, Output& output) {
    steps.parse(parsers[static_cast<std::size_t>(worker)], chunk, format, output);
  };
  stages.consume = [&](const Chunk& chunk, Output& output) -> Status {
    if (settings.cancel->StopRequested()) return settings.cancel->CancelledError();
    if (chunk.index() == 0) {
      CRYPTOMOOD_RETURN_IF_ERROR(CheckLooksLike(ChunkParser::kKind, reader.display_name(), chunk));
      CRYPTOMOOD_RETURN_IF_ERROR(format.HeaderStatus(reader.display_name()));
    }
    if (!output.rejects.empty()) progress.Clear();  // reject messages start a clean line
    CRYPTOMOOD_RETURN_IF_ERROR(reporter.Report(chunk, output));
    CRYPTOMOOD_RETURN_IF_ERROR(rejects_status());
    progress.Update(chunk.stored_end_offset());
    const auto record_lines = static_cast<std::int64_t>(output.record_lines());
    const auto rejected = static_cast<std::int64_t>(output.rejects.size());
    tally.lines += record_lines;
    tally.rejected += rejected;
    valid_lines += record_lines - rejected;
    return steps.keep(chunk, output);
  };

  progress.Start(reader.display_name(), reader.size_bytes());
  const Status status = RunOrderedChunkPipeline(reader, PipelineOptions{threads, 0}, stages);
  progress.Clear();
  CRYPTOMOOD_RETURN_IF_ERROR(status);
  if (const auto damage = reader.damage()) {
    CRYPTOMOOD_RETURN_IF_ERROR(reporter.ReportDamage(*damage));
    CRYPTOMOOD_RETURN_IF_ERROR(rejects_status());
    ++tally.lines;
    ++tally.rejected;
    if (steps.damaged) CRYPTOMOOD_RETURN_IF_ERROR(steps.damaged());
  }
  if (reader.bytes_read() == 0 && !reader.damage()) {
    return Error{reader.display_name() + " is empty"};
  }
  if (valid_lines == 0) return Error{reporter.NoValidLine()};
  return tally;
}

}  // namespace cryptomood
