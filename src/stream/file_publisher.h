// PublishFiles: validates a trade file and a sentiment file exactly as `analyze` and `ingest`
// do (the same chunk reader, line splitting, parsers, whole-file checks and reject reporting:
// FILE:LINE numbering, the reject sink, --strict) and hands every valid line to a publish
// function, never a rejected one:
// - a trade line once, to cryptomood.trades, keyed by its coin (the symbol's base asset);
// - a tweet line once per DISTINCT coin of the tweet (sorted), to cryptomood.sentiment, keyed
//   by that coin.
// The payload is the line's bytes as read, without its newline. Duplicate lines are published
// like any other (consumers drop duplicates).
// Interleaving: the two files advance together: the next line comes from the file that has
// consumed the smaller fraction of its bytes, so both topics progress through event time at
// about the same pace (for inputs sorted by time). When a size is unknown (a pipe), the files
// alternate line by line.
// Rate: with rate > 0, a token bucket holding up to max(1, rate / 10) tokens, refilled at
// `rate` tokens per second, lets a message through per token (waiting for one when empty):
// the long-run rate is at most `rate` messages per second, bursts at most a tenth of a second's.
// Errors: a whole-file problem (missing, empty, binary, the other kind, no valid line) or,
// under strict, the first bad line (kRejected) stops publishing; lines handed over before
// that stay published. A failing publish function stops it too.
// Memory: one chunk buffer per file. Thread-safety: runs on the calling thread only (the
// publish function and the reject sink are called from it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record_kind.h"
#include "core/result.h"
#include "io/chunk_reader.h"
#include "io/reject_sink.h"

namespace cryptomood {

using PublishFunction =
    std::function<Status(std::string_view topic, std::string_view key, std::string_view payload)>;

struct PublishOptions {
  std::string trade_file;      // empty: none; "-" reads standard input
  std::string sentiment_file;  // empty: none; "-" reads standard input
  bool strict = false;
  RejectSink* rejects = nullptr;  // not owned; may be null
  bool show_progress = false;     // drawn only when stderr is a terminal
  double rate = 0;                // messages per second; 0 = unlimited
  std::size_t chunk_bytes = ChunkReader::kDefaultChunkBytes;
};

struct FilePublishSummary {
  std::string file;  // display name
  RecordKind kind = RecordKind::kTrade;
  std::int64_t lines = 0;
  std::int64_t rejected = 0;
  std::int64_t messages = 0;  // published
};

// Summaries in the order trades, sentiment (the files given).
Result<std::vector<FilePublishSummary>> PublishFiles(const PublishOptions& options,
                                                     const PublishFunction& publish);

}  // namespace cryptomood
