// TickCorrelation: the tick-mode operator for one symbol (or the pooled compat series).
// Events in time order in (sentiment before trades at equal timestamps), closed windows out:
// each trade is joined as of time to a sentiment record and the (price, polarity) pair is
// filed under the window holding the trade. Batch runs call Finish at the end of the data;
// a stream calls AdvanceWatermark as time passes. Both go through this one code path.
// Emit receives (WindowBounds, CorrelationAccumulator&&).
// State: a value type (copyable). EncodeState/DecodeState checkpoint the joiner and the open
// windows; an operator restored into one constructed with the same configuration continues to
// the same bits as the one that saved it. SaveState/RestoreState (core/state_codec.h) seal it
// under kStateKind and kStateVersion.
// Thread-safety: none; one per symbol.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "core/asof_joiner.h"
#include "core/correlation_accumulator.h"
#include "core/result.h"
#include "core/state_codec.h"
#include "core/tumbling_windows.h"

namespace cryptomood {

class TickCorrelation {
 private:
  // Sinks come first: their deduced return types must be known where they are used.
  auto FilePair() {
    return [this](const JoinedPair& pair) {
      CorrelationAccumulator& accumulator = windows_.At(pair.trade_time);
      if (expected_pairs_ > 0) accumulator.Reserve(std::exchange(expected_pairs_, 0));
      accumulator.Add(pair.trade_time, pair.price, pair.polarity);
    };
  }

 public:
  static constexpr std::uint32_t kStateKind = StateKind("TICK");
  static constexpr std::uint32_t kStateVersion = 1;

  // `trades`, when known, is how many trades will come: without windows, the one
  // accumulator reserves room for that many pairs at its first pair.
  TickCorrelation(JoinDirection direction, std::optional<std::int64_t> tolerance_nanos,
                  std::optional<Interval> window, std::size_t trades = 0)
      : joiner_(direction, tolerance_nanos),
        windows_(window),
        expected_pairs_(window ? 0 : trades) {}

  void OnSentiment(const SentimentPoint& record) { joiner_.OnSentiment(record, FilePair()); }
  void OnTrade(const TradePoint& trade) { joiner_.OnTrade(trade, FilePair()); }

  // Every event earlier than watermark has been delivered.
  template <typename Emit>
  void AdvanceWatermark(TimestampNs watermark, Emit&& emit) {
    joiner_.AdvanceWatermark(watermark, FilePair());
    const TimestampNs boundary =
        std::min(watermark, joiner_.earliest_pending().value_or(watermark));
    windows_.CloseBefore(boundary, emit);
  }

  template <typename Emit>
  void Finish(Emit&& emit) {
    joiner_.Finish(FilePair());
    windows_.CloseAll(emit);
  }

  std::size_t open_windows() const { return windows_.open_count(); }

  // Estimate of the heap bytes held: pending trades, open windows and their pair buffers
  // (capacity, not size); excludes allocator overhead and the deque's block granularity.
  std::size_t state_bytes() const {
    return joiner_.heap_bytes() + windows_.heap_bytes([](const CorrelationAccumulator& window) {
      return window.heap_bytes();
    });
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, joiner_);
    EncodeValue(writer, windows_);
    // The reservation hint is not state: only whether it is still to be used.
    EncodeValue(writer, expected_pairs_ > 0);
  }

  // Replaces the state with the saved one; unchanged on error. A reservation still pending in
  // the saved operator uses this one's hint.
  Status DecodeState(StateReader& reader) {
    TickCorrelation decoded = *this;
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.joiner_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.windows_));
    CRYPTOMOOD_ASSIGN_OR_RETURN(const bool reservation_pending, reader.ReadBool());
    if (!reservation_pending) decoded.expected_pairs_ = 0;
    *this = std::move(decoded);
    return Status::Ok();
  }

 private:
  AsofJoiner joiner_;
  TumblingWindows<CorrelationAccumulator> windows_;
  std::size_t expected_pairs_;  // reserved at the first pair, then 0
};

}  // namespace cryptomood
