// BatchedIngestWriter: the batching and bookkeeping both backends' ingest writers share.
// It counts rows, bytes and lines, decides when a batch is full, keeps the tally of what has
// been committed, and leaves each backend only the database work: open a batch, write rows
// into it, flush it (learning how many rows were new), commit it with the run's progress.
// Thread-safety: one thread, like any IngestWriter.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/store.h"

namespace cryptomood {

class BatchedIngestWriter : public IngestWriter {
 public:
  Status AddTrade(const TradeRow& trade) final;
  Status AddSentiment(const SentimentRow& sentiment) final;
  Status AddReject(const RejectRow& reject) final;
  Status EndLines(std::int64_t lines) final;
  Result<IngestTally> Finish() final;
  void Abandon(std::string_view message) final;
  const IngestTally& committed() const final { return committed_; }

 protected:
  // What one flushed batch did to the tables.
  struct BatchOutcome {
    std::int64_t records_added = 0;    // new trades or tweets
    std::int64_t records_present = 0;  // valid records the store already held
    std::int64_t rejects_added = 0;    // rejected lines not stored before
  };

  BatchedIngestWriter(std::int64_t run, std::int64_t batch_rows)
      : run_(run), batch_rows_(batch_rows > 0 ? batch_rows : 1) {}

  std::int64_t run() const { return run_; }

  virtual Status BeginBatch() = 0;
  virtual Status WriteTrade(const TradeRow& trade) = 0;
  virtual Status WriteSentiment(const SentimentRow& sentiment) = 0;
  virtual Status WriteReject(const RejectRow& reject) = 0;
  // Makes every written row part of the open transaction; reports what was new.
  virtual Result<BatchOutcome> FlushBatch() = 0;
  // Records `tally` as the run's progress, adds `outcome` to the store's counters (bumping
  // the data version if rows were added), and commits.
  virtual Status CommitBatch(const IngestTally& tally, const BatchOutcome& outcome) = 0;
  virtual void RollbackBatch() = 0;
  // Marks the run closed ("done" or "failed") in its own transaction.
  virtual Status CloseRun(std::string_view status, std::string_view message,
                          const IngestTally& tally) = 0;

 private:
  Status BeforeRow(std::size_t bytes);
  Status Commit();

  std::int64_t run_;
  std::int64_t batch_rows_;
  bool batch_open_ = false;
  bool closed_ = false;
  std::int64_t pending_rows_ = 0;
  std::int64_t pending_bytes_ = 0;
  std::int64_t pending_lines_ = 0;
  std::int64_t pending_rejects_ = 0;
  IngestTally committed_;
};

}  // namespace cryptomood
