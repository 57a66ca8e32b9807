// LoadMarketData: reads the trade and sentiment JSON-lines files of a run into the columns
// the analysis needs (MarketData), in parallel chunks but with every decision taken in input
// order: line numbers are per file and 1-based; a trade whose uuid was seen before (in any
// trade file of the run) and a tweet identical in timestamp, coin set, polarity and text to
// an earlier one are duplicates: dropped and counted, not rejected.
// Time range: records outside options.range are validated and counted as accepted, but they
// are left out of the data and of duplicate detection (the range applies first).
// Bad lines go to options.rejects (unless strict: then the first one fails the load with
// ErrorKind::kRejected). Whole-file problems fail with one message (kFailure): a missing or
// unreadable file, an empty file, binary data, a file of the other kind, a file without a
// single valid line.
// Memory: chunk buffers (threads * 2 chunks) plus 24 bytes a kept trade, 16 a remembered
// uuid, about 16-64 a kept tweet; never the whole input.
// Thread-safety: LoadMarketData may run concurrently with itself on different options; the
// reject sink is called from the calling thread only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/cancellation.h"
#include "core/market_data.h"
#include "core/result.h"
#include "io/chunk_reader.h"
#include "io/input_counts.h"
#include "io/reject_sink.h"

namespace cryptomood {

struct LoadOptions {
  std::vector<std::string> trade_files;      // "-" reads standard input
  std::vector<std::string> sentiment_files;  // "-" reads standard input
  TimeRange range;
  bool strict = false;
  RejectSink* rejects = nullptr;  // not owned; may be null
  bool show_progress = false;     // drawn only when stderr is a terminal
  int threads = 2;                // parsing threads; 1 parses on the calling thread
  std::size_t chunk_bytes = ChunkReader::kDefaultChunkBytes;
  // Polled once a chunk; once cancelled the load fails with the token's CancelledError.
  const CancellationToken* cancel = &CancellationToken::Never();  // not owned; never null
};

struct LoadedInput {
  MarketData data;
  InputCounts trades;
  InputCounts sentiment;
};

Result<LoadedInput> LoadMarketData(const LoadOptions& options);

}  // namespace cryptomood
