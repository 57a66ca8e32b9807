// RunOrderedChunkPipeline: the parallel loading loop shared by every bulk reader of line
// input (the market-data loader and the store's ingester). Worker threads take turns reading
// the next chunk of whole lines and then turn it into an Output ("parse"), concurrently; the
// calling thread hands the outputs over strictly in input order ("consume"), so that line
// numbers, duplicate decisions and the first error are the same as in a sequential read.
// Reading happens on the workers so that the consuming thread, the one stage that cannot
// be parallel, does nothing else.
// At most `chunks_in_flight` chunks (and Outputs) exist at once, whatever the input size; a
// slot's Chunk and Output are reused, so parse should clear and refill its Output (keeping
// capacity) rather than build a new one.
// Thread-safety: parse runs concurrently on different chunks and gets a worker index in
// [0, threads) for per-thread state; consume runs on the calling thread only. The reader is
// used by one worker at a time. A non-ok Status from consume stops the pipeline and is
// returned; so is a read error (after the chunks before it have been consumed).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/result.h"
#include "core/status_macros.h"
#include "core/thread_annotations.h"
#include "io/chunk_reader.h"

namespace cryptomood {

struct PipelineOptions {
  int threads = 2;           // parse workers; 1 or less parses on the calling thread
  int chunks_in_flight = 0;  // 0: twice the number of workers
};

template <typename Output>
struct ChunkPipelineStages {
  std::function<void(int worker, const Chunk& chunk, Output& output)> parse;
  std::function<Status(const Chunk& chunk, Output& output)> consume;
};

namespace pipeline_detail {

template <typename Output>
struct Slot {
  Chunk chunk;
  Output output;
};

template <typename Output>
Status RunSequential(ChunkReader& reader, const ChunkPipelineStages<Output>& stages) {
  Slot<Output> slot;
  while (true) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto more, reader.Next(slot.chunk));
    if (!more) return {};
    stages.parse(0, slot.chunk, slot.output);
    CRYPTOMOOD_RETURN_IF_ERROR(stages.consume(slot.chunk, slot.output));
  }
}

// The shared state of one parallel run. Slots are used round-robin: chunk number k lives
// in slot k % slots.size() from its reading until its consumption.
template <typename Output>
class ParallelRun {
 public:
  ParallelRun(ChunkReader& reader, const ChunkPipelineStages<Output>& stages,
              std::size_t slot_count)
      : reader_(reader), stages_(stages), slots_(slot_count), parsed_(slot_count, false) {}

  Status Run(int threads) EXCLUDES(mutex_) {
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads));
    for (int worker = 0; worker < threads; ++worker) {
      workers.emplace_back([this, worker] { Work(worker); });
    }
    Status status = ConsumeInOrder();
    {
      MutexLock lock(mutex_);
      stopping_ = true;
    }
    changed_.NotifyAll();
    for (auto& thread : workers) thread.join();
    return status;
  }

 private:
  void Work(int worker) EXCLUDES(mutex_) {
    while (true) {
      std::size_t slot = 0;
      {
        MutexLock lock(mutex_);
        while (!stopping_ && !input_done_ &&
               (reading_ || next_read_ - next_consume_ >= slots_.size())) {
          changed_.Wait(mutex_);
        }
        if (stopping_ || input_done_) return;
        reading_ = true;
        slot = next_read_ % slots_.size();
      }
      Result<bool> more = reader_.Next(slots_[slot].chunk);
      {
        MutexLock lock(mutex_);
        reading_ = false;
        if (!more.ok()) read_error_ = more.error();
        if (!more.ok() || !*more) {
          input_done_ = true;
        } else {
          ++next_read_;
        }
      }
      changed_.NotifyAll();
      if (!more.ok() || !*more) return;
      stages_.parse(worker, slots_[slot].chunk, slots_[slot].output);
      {
        MutexLock lock(mutex_);
        parsed_[slot] = true;
      }
      changed_.NotifyAll();
    }
  }

  Status ConsumeInOrder() EXCLUDES(mutex_) {
    while (true) {
      std::size_t slot = 0;
      {
        MutexLock lock(mutex_);
        slot = next_consume_ % slots_.size();
        while (!parsed_[slot] && !(input_done_ && next_consume_ == next_read_)) {
          changed_.Wait(mutex_);
        }
        if (!parsed_[slot]) return read_error_ ? Status(*read_error_) : Status();
      }
      CRYPTOMOOD_RETURN_IF_ERROR(stages_.consume(slots_[slot].chunk, slots_[slot].output));
      {
        MutexLock lock(mutex_);
        parsed_[slot] = false;
        ++next_consume_;
      }
      changed_.NotifyAll();
    }
  }

  ChunkReader& reader_;
  const ChunkPipelineStages<Output>& stages_;
  // A slot's chunk and output belong to the one thread the protocol gives them to (the reading
  // worker, the parsing worker, then the consumer); parsed_ hands them over.
  std::vector<Slot<Output>> slots_;
  Mutex mutex_;
  CondVar changed_;
  std::vector<bool> parsed_ GUARDED_BY(mutex_);        // per slot: parsed, not yet consumed
  std::uint64_t next_read_ GUARDED_BY(mutex_) = 0;     // chunks read so far
  std::uint64_t next_consume_ GUARDED_BY(mutex_) = 0;  // chunks consumed so far
  bool reading_ GUARDED_BY(mutex_) = false;            // a worker is inside reader_.Next
  bool input_done_ GUARDED_BY(mutex_) = false;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::optional<Error> read_error_ GUARDED_BY(mutex_);
};

}  // namespace pipeline_detail

template <typename Output>
Status RunOrderedChunkPipeline(ChunkReader& reader, const PipelineOptions& options,
                               const ChunkPipelineStages<Output>& stages) {
  if (options.threads <= 1) return pipeline_detail::RunSequential(reader, stages);
  const std::size_t slot_count = static_cast<std::size_t>(
      options.chunks_in_flight > 0 ? options.chunks_in_flight : 2 * options.threads);
  pipeline_detail::ParallelRun<Output> run(reader, stages, slot_count);
  return run.Run(options.threads);
}

}  // namespace cryptomood
