// BarLagCorrelator: from closed price bars and sentiment bars of one symbol, produces the
// lagged pairs (sentiment_b, return_(b+k)) for every lag k in a range, where
// return_b = ln(close_b / close_(b-1)) exists only when bars b and b-1 both have trades.
// k > 0 means sentiment leads price. A pair is final once every bar it needs has closed, so
// the caller says how far the bars are complete (CompleteThrough) and pairs come out then.
// Memory: keeps only the bars a future pair can still need (about the lag span).
// State: EncodeState/DecodeState save and restore the kept bars and the finalized index
// (core/state_codec.h).
// Thread-safety: none; one per symbol.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include "core/bar_builder.h"
#include "core/cancellation.h"
#include "core/log_return.h"
#include "core/result.h"
#include "core/state_codec.h"

namespace cryptomood {

// Inclusive range of lags, in bars.
struct LagRange {
  int first = 0;
  int last = 0;
  int size() const { return last - first + 1; }
};

struct LagPair {
  int lag;
  TimestampNs sentiment_bar_start;  // the bar the pair is filed under
  double sentiment;
  double log_return;
};

class BarLagCorrelator {
 public:
  explicit BarLagCorrelator(LagRange lags) : lags_(lags) {}

  void OnPriceBar(const ClosedBar<PriceBar>& bar) { slots_[bar.index].close = bar.bar.close; }

  void OnSentimentBar(const ClosedBar<SentimentBar>& bar) {
    Slot& slot = slots_[bar.index];
    slot.sentiment = bar.bar.mean();
    slot.start = bar.start;
  }

  // Every bar with index <= index has been delivered on both streams. Polls `cancel` every
  // kWorkPerPoll bars and lag pairs; false, and the state unspecified, once it is cancelled.
  template <typename Emit>
  bool CompleteThrough(std::int64_t index, Emit&& emit,
                       const CancellationToken& cancel = CancellationToken::Never()) {
    const std::int64_t finalizable = index - std::max(lags_.last, 0);
    if (finalizable <= finalized_through_) return true;
    PollEvery poll(cancel, kWorkPerPoll);
    for (auto slot = slots_.upper_bound(finalized_through_);
         slot != slots_.end() && slot->first <= finalizable; ++slot) {
      if (poll.Tick()) return false;
      if (slot->second.sentiment && !EmitPairs(slot->first, slot->second, emit, poll)) {
        return false;
      }
    }
    finalized_through_ = finalizable;
    // Future sentiment bars start after finalized_through_; the earliest close they can need
    // is at (finalized_through_ + 1) + lags_.first - 1.
    const std::int64_t keep_from = finalized_through_ + std::min(lags_.first, 1);
    slots_.erase(slots_.begin(), slots_.lower_bound(keep_from));
    return true;
  }

  template <typename Emit>
  bool Finish(Emit&& emit, const CancellationToken& cancel = CancellationToken::Never()) {
    return CompleteThrough(std::numeric_limits<std::int64_t>::max(), emit, cancel);
  }

  // Index through which every sentiment bar has produced its pairs.
  std::int64_t finalized_through() const { return finalized_through_; }

  // Estimate of the heap bytes held: one map node (entry and about four words of tree links)
  // per kept bar.
  std::size_t heap_bytes() const {
    return slots_.size() * (sizeof(decltype(slots_)::value_type) + 4 * sizeof(void*));
  }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, lags_.first);
    EncodeValue(writer, lags_.last);
    EncodeValue(writer, slots_);
    EncodeValue(writer, finalized_through_);
  }

  // Replaces the kept bars with the saved ones; unchanged on error.
  Status DecodeState(StateReader& reader) {
    CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, lags_.first, "first lag"));
    CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, lags_.last, "last lag"));
    BarLagCorrelator decoded(lags_);
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.slots_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.finalized_through_));
    *this = std::move(decoded);
    return Status::Ok();
  }

 private:
  struct Slot {
    std::optional<double> close;
    std::optional<double> sentiment;
    TimestampNs start = 0;

    void EncodeState(StateWriter& writer) const {
      EncodeValue(writer, close);
      EncodeValue(writer, sentiment);
      EncodeValue(writer, start);
    }
    Status DecodeState(StateReader& reader) {
      Slot decoded;
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.close));
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.sentiment));
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.start));
      *this = decoded;
      return Status::Ok();
    }
  };

  // Bars visited and lag pairs tried between two polls: well under a millisecond.
  static constexpr std::uint64_t kWorkPerPoll = 4096;

  template <typename Emit>
  bool EmitPairs(std::int64_t index, const Slot& slot, Emit& emit, PollEvery& poll) {
    for (int lag = lags_.first; lag <= lags_.last; ++lag) {
      if (poll.Tick()) return false;
      const std::optional<double> log_return = ReturnAt(index + lag);
      if (log_return) emit(LagPair{lag, slot.start, *slot.sentiment, *log_return});
    }
    return true;
  }

  std::optional<double> ReturnAt(std::int64_t index) const {
    const auto current = slots_.find(index);
    const auto previous = slots_.find(index - 1);
    if (current == slots_.end() || previous == slots_.end() || !current->second.close ||
        !previous->second.close) {
      return std::nullopt;
    }
    return LogReturn(*previous->second.close, *current->second.close);
  }

  LagRange lags_;
  std::map<std::int64_t, Slot> slots_;
  std::int64_t finalized_through_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace cryptomood
