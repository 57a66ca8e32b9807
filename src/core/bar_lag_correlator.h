// BarLagCorrelator: from closed price bars and sentiment bars of one symbol, produces the
// lagged pairs (sentiment_b, return_(b+k)) for every lag k in a range, where
// return_b = ln(close_b / close_(b-1)) exists only when bars b and b-1 both have trades.
// k > 0 means sentiment leads price. A pair is final once every bar it needs has closed, so
// the caller says how far the bars are complete (CompleteThrough) and pairs come out then.
// Memory: keeps only the bars a future pair can still need (about the lag span).
// Thread-safety: none; one per symbol.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include "core/bar_builder.h"

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

  // Every bar with index <= index has been delivered on both streams.
  template <typename Emit>
  void CompleteThrough(std::int64_t index, Emit&& emit) {
    const std::int64_t finalizable = index - std::max(lags_.last, 0);
    if (finalizable <= finalized_through_) return;
    for (auto slot = slots_.upper_bound(finalized_through_);
         slot != slots_.end() && slot->first <= finalizable; ++slot) {
      if (slot->second.sentiment) EmitPairs(slot->first, slot->second, emit);
    }
    finalized_through_ = finalizable;
    // Future sentiment bars start after finalized_through_; the earliest close they can need
    // is at (finalized_through_ + 1) + lags_.first - 1.
    const std::int64_t keep_from = finalized_through_ + std::min(lags_.first, 1);
    slots_.erase(slots_.begin(), slots_.lower_bound(keep_from));
  }

  template <typename Emit>
  void Finish(Emit&& emit) {
    CompleteThrough(std::numeric_limits<std::int64_t>::max(), emit);
  }

  // Index through which every sentiment bar has produced its pairs.
  std::int64_t finalized_through() const { return finalized_through_; }

 private:
  struct Slot {
    std::optional<double> close;
    std::optional<double> sentiment;
    TimestampNs start = 0;
  };

  template <typename Emit>
  void EmitPairs(std::int64_t index, const Slot& slot, Emit& emit) {
    for (int lag = lags_.first; lag <= lags_.last; ++lag) {
      const std::optional<double> log_return = ReturnAt(index + lag);
      if (log_return) emit(LagPair{lag, slot.start, *slot.sentiment, *log_return});
    }
  }

  std::optional<double> ReturnAt(std::int64_t index) const {
    const auto current = slots_.find(index);
    const auto previous = slots_.find(index - 1);
    if (current == slots_.end() || previous == slots_.end() || !current->second.close ||
        !previous->second.close) {
      return std::nullopt;
    }
    return std::log(*current->second.close / *previous->second.close);
  }

  LagRange lags_;
  std::map<std::int64_t, Slot> slots_;
  std::int64_t finalized_through_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace cryptomood
