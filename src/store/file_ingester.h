// IngestFiles: reads trade and sentiment JSON-lines files into a Store. Lines are validated
// by the same parsers, in the same parallel ordered pipeline and with the same reject
// handling as `analyze` (reasons to the reject sink in input order, --strict stopping at the
// first bad line with ErrorKind::kRejected, one message for whole-file problems: missing,
// empty, binary, of the other kind, without a single valid line). Every accepted record and
// every rejected line goes to the store through an IngestWriter, which commits in batches.
// Files are ingested one after another, trades first, each as its own ingest run. A failure
// stops at that file: runs already finished stay, and the failed run keeps what it committed.
// Memory: the pipeline's chunk buffers (threads * 2 chunks) and one batch on the store side.
// Thread-safety: runs on the calling thread plus `threads` parse workers; the store and the
// reject sink are used from the calling thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/record_kind.h"
#include "core/result.h"
#include "io/chunk_reader.h"
#include "io/reject_sink.h"
#include "store/store.h"

namespace cryptomood {

struct FileIngestSummary {
  std::string file;  // as given on the command line ("<stdin>" for "-")
  RecordKind kind = RecordKind::kTrade;
  IngestTally tally;
};

struct IngestOptions {
  std::vector<std::string> trade_files;      // "-" reads standard input
  std::vector<std::string> sentiment_files;  // "-" reads standard input
  bool strict = false;
  RejectSink* rejects = nullptr;  // not owned; may be null; rejects also go to the store
  bool show_progress = false;     // drawn only when stderr is a terminal
  int threads = 2;
  std::int64_t batch_rows = kDefaultIngestBatchRows;
  std::size_t chunk_bytes = ChunkReader::kDefaultChunkBytes;
  // Called as each file completes (e.g. to print its summary line at once).
  std::function<void(const FileIngestSummary&)> on_file_done;
};

// The per-file summaries, in the order the files were ingested.
Result<std::vector<FileIngestSummary>> IngestFiles(Store& store, const IngestOptions& options);

// The name a file is recorded under in the store: its absolute, normalised path ("<stdin>" for
// "-"), so the same file ingested from another directory is still recognised.
std::string RecordedFileName(const std::string& path);

}  // namespace cryptomood
