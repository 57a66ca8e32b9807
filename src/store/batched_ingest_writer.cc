#include "store/batched_ingest_writer.h"

#include "core/status_macros.h"

namespace cryptomood {
namespace {

// A batch also ends at this many bytes of row data, so that a file of huge rejected lines
// cannot make one transaction (or PostgreSQL's client-side buffer) grow without bound.
constexpr std::int64_t kMaxBatchBytes = std::int64_t{64} << 20;

}  // namespace

Status BatchedIngestWriter::BeforeRow(std::size_t bytes) {
  if (closed_) return Error{"ingest writer used after Finish or Abandon"};
  if (!batch_open_) {
    CRYPTOMOOD_RETURN_IF_ERROR(BeginBatch());
    batch_open_ = true;
  }
  ++pending_rows_;
  pending_bytes_ += static_cast<std::int64_t>(bytes);
  return {};
}

Status BatchedIngestWriter::AddTrade(const TradeRow& trade) {
  CRYPTOMOOD_RETURN_IF_ERROR(BeforeRow(sizeof(TradeRow)));
  return WriteTrade(trade);
}

Status BatchedIngestWriter::AddSentiment(const SentimentRow& sentiment) {
  const std::size_t bytes =
      sizeof(SentimentRow) + sentiment.text.size() + sentiment.coins_json.size();
  CRYPTOMOOD_RETURN_IF_ERROR(BeforeRow(bytes));
  return WriteSentiment(sentiment);
}

Status BatchedIngestWriter::AddReject(const RejectRow& reject) {
  const std::size_t bytes = sizeof(RejectRow) + reject.raw_line.size() + reject.reason.size();
  CRYPTOMOOD_RETURN_IF_ERROR(BeforeRow(bytes));
  ++pending_rejects_;
  return WriteReject(reject);
}

Status BatchedIngestWriter::EndLines(std::int64_t lines) {
  pending_lines_ += lines;
  if (pending_rows_ >= batch_rows_ || pending_bytes_ >= kMaxBatchBytes) return Commit();
  return {};
}

Status BatchedIngestWriter::Commit() {
  if (!batch_open_) {
    if (pending_lines_ == 0) return {};
    CRYPTOMOOD_RETURN_IF_ERROR(BeginBatch());
    batch_open_ = true;
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto outcome, FlushBatch());
  IngestTally tally = committed_;
  tally.lines += pending_lines_;
  tally.added += outcome.records_added;
  tally.already_stored += outcome.records_present;
  tally.rejected += pending_rejects_;
  CRYPTOMOOD_RETURN_IF_ERROR(CommitBatch(tally, outcome));
  batch_open_ = false;
  committed_ = tally;
  pending_rows_ = pending_bytes_ = pending_lines_ = pending_rejects_ = 0;
  return {};
}

Result<IngestTally> BatchedIngestWriter::Finish() {
  if (closed_) return Error{"ingest writer finished twice"};
  if (Status status = Commit(); !status.ok()) {
    Abandon(status.error().message);
    return status.error();
  }
  closed_ = true;
  CRYPTOMOOD_RETURN_IF_ERROR(CloseRun("done", "", committed_));
  return committed_;
}

void BatchedIngestWriter::Abandon(std::string_view message) {
  if (closed_) return;
  closed_ = true;
  if (batch_open_) RollbackBatch();
  batch_open_ = false;
  (void)CloseRun("failed", message, committed_);  // best effort: the data is consistent anyway
}

}  // namespace cryptomood
