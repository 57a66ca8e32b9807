// MergedPage: one page of /merged (the tick-mode pairs), cut from the server's in-memory data
// set instead of read from the store, so a page costs binary searches and a merge rather
// than a scan of the trades table, whatever the backend.
// The page's trades are those of the selected symbols in (timestamp, store order) order --
// the order of the store's trade pages, so cursors are keysets like /coin's and stay valid
// across reloads -- and `limit` counts trades examined, matched or not. Each symbol's run of
// trades on the page is joined to its coin's tweets exactly as `analyze --mode tick` joins
// all of them: the tweets in the run's span plus the one before and the one after it (within
// the request's range) are all an as-of join of that run can look at.
// Ownership: holds the data set it was cut from, so a page outlives a reload.
// Thread-safety: immutable once built; Write may run on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "http/api_queries.h"
#include "http/computed_replies.h"
#include "http/row_stream_writer.h"

namespace cryptomood::http {

class MergedPage {
 public:
  // `stored` must be a whole data set (with trade orders), not a time-range cut.
  MergedPage(std::shared_ptr<const StoredMarketData> stored, const MergedRequest& request);

  // Where the next page starts; nullopt on the last page.
  const std::optional<RowCursor>& next_cursor() const { return next_cursor_; }
  // Writes the matched pairs in page order; stops once the writer fails.
  void Write(RowStreamWriter& writer) const;

 private:
  struct Match {
    double polarity;
    TimestampNs sentiment_time;
  };
  // One symbol's consecutive trades on the page: positions [begin, begin + taken).
  struct Run {
    SymbolIndex symbol;
    std::size_t begin;
    std::size_t end;  // the end of the symbol's selection; the page takes a prefix
    std::size_t taken = 0;
    std::vector<std::optional<Match>> matches;  // by position - begin
  };

  void SelectRuns(const MergedRequest& request);
  void MergeRuns(std::int64_t limit);
  void JoinRun(Run& run, const MergedRequest& request) const;

  std::shared_ptr<const StoredMarketData> stored_;
  std::vector<Run> runs_;
  std::vector<std::uint32_t> page_;  // the run of each trade on the page, in page order
  std::optional<RowCursor> next_cursor_;
};

}  // namespace cryptomood::http
