// AsofJoiner: pairs each trade with one sentiment record chosen by time, as a streaming
// operator. Feed events in timestamp order, and at equal timestamps sentiment before trades
// (the batch driver and the stream both do); pairs come out in trade order.
//
// Semantics are pandas merge_asof's: backward takes the latest record with timestamp <= the
// trade's (the last one among equal timestamps), forward the earliest with timestamp >= the
// trade's (the first among equal timestamps), nearest the closer of the two with ties going
// to backward. A tolerance drops pairs further apart than it; trades with no match are dropped.
//
// Forward and nearest joins must wait for the next record, so trades may be pending; an
// AdvanceWatermark or Finish resolves what can no longer change.
// State: EncodeState saves the latest records and the pending trades with the configuration;
// DecodeState restores them into a joiner configured the same (core/state_codec.h).
// Thread-safety: none; one joiner per (symbol, stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "core/market_data.h"
#include "core/result.h"
#include "core/state_codec.h"

namespace cryptomood {

enum class JoinDirection { kBackward, kForward, kNearest };

struct JoinedPair {
  TimestampNs trade_time;
  double price;
  TimestampNs sentiment_time;
  double polarity;
};

inline void EncodeValue(StateWriter& writer, const SentimentPoint& point) {
  EncodeValue(writer, point.timestamp);
  EncodeValue(writer, point.polarity);
}

inline Status DecodeValue(StateReader& reader, SentimentPoint& point) {
  SentimentPoint decoded{};
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.timestamp));
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.polarity));
  point = decoded;
  return Status::Ok();
}

class AsofJoiner {
 public:
  AsofJoiner(JoinDirection direction, std::optional<std::int64_t> tolerance_nanos)
      : direction_(direction), tolerance_(tolerance_nanos) {}

  template <typename Emit>
  void OnSentiment(const SentimentPoint& record, Emit&& emit) {
    if (!latest_ || latest_->timestamp != record.timestamp) first_at_latest_time_ = record;
    latest_ = record;
    while (!pending_.empty()) {  // the first record at or after each pending trade
      const PendingTrade trade = pending_.front();
      pending_.pop_front();
      Resolve(trade, record, emit);
    }
  }

  template <typename Emit>
  void OnTrade(const TradePoint& trade, Emit&& emit) {
    const bool exact_match = latest_ && latest_->timestamp == trade.timestamp;
    switch (direction_) {
      case JoinDirection::kBackward:
        if (latest_) EmitWithinTolerance(trade.timestamp, trade.price, *latest_, emit);
        return;
      case JoinDirection::kForward:
        if (exact_match) {
          EmitWithinTolerance(trade.timestamp, trade.price, *first_at_latest_time_, emit);
        } else {
          pending_.push_back(PendingTrade{trade.timestamp, trade.price, std::nullopt});
        }
        return;
      case JoinDirection::kNearest:
        if (exact_match) {
          EmitWithinTolerance(trade.timestamp, trade.price, *latest_, emit);
        } else {
          pending_.push_back(PendingTrade{trade.timestamp, trade.price, latest_});
        }
        return;
    }
  }

  // Promises that no sentiment record earlier than watermark will come. Pending trades that no
  // later record could still win are resolved now.
  template <typename Emit>
  void AdvanceWatermark(TimestampNs watermark, Emit&& emit) {
    while (!pending_.empty() && ForwardCannotWin(pending_.front(), watermark)) {
      const PendingTrade trade = pending_.front();
      pending_.pop_front();
      ResolveWithoutForward(trade, emit);
    }
  }

  // End of input: no forward record will come.
  template <typename Emit>
  void Finish(Emit&& emit) {
    while (!pending_.empty()) {
      const PendingTrade trade = pending_.front();
      pending_.pop_front();
      ResolveWithoutForward(trade, emit);
    }
  }

  // Earliest trade still waiting for a forward record, if any: windows holding it stay open.
  std::optional<TimestampNs> earliest_pending() const {
    if (pending_.empty()) return std::nullopt;
    return pending_.front().timestamp;
  }

  // Estimate of the heap bytes held: the pending trades.
  std::size_t heap_bytes() const { return pending_.size() * sizeof(PendingTrade); }

  void EncodeState(StateWriter& writer) const {
    EncodeValue(writer, static_cast<std::uint8_t>(direction_));
    EncodeValue(writer, tolerance_);
    EncodeValue(writer, latest_);
    EncodeValue(writer, first_at_latest_time_);
    EncodeValue(writer, pending_);
  }

  // Replaces the state with the saved one; unchanged on error.
  Status DecodeState(StateReader& reader) {
    CRYPTOMOOD_RETURN_IF_ERROR(
        ExpectSavedConfig(reader, static_cast<std::uint8_t>(direction_), "join direction"));
    CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, tolerance_, "join tolerance"));
    AsofJoiner decoded(direction_, tolerance_);
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.latest_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.first_at_latest_time_));
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.pending_));
    if (decoded.latest_.has_value() != decoded.first_at_latest_time_.has_value()) {
      return CorruptState("a joiner's latest records disagree");
    }
    *this = std::move(decoded);
    return Status::Ok();
  }

 private:
  struct PendingTrade {
    TimestampNs timestamp = 0;
    double price = 0;
    std::optional<SentimentPoint> backward;  // nearest only

    void EncodeState(StateWriter& writer) const {
      EncodeValue(writer, timestamp);
      EncodeValue(writer, price);
      EncodeValue(writer, backward);
    }
    Status DecodeState(StateReader& reader) {
      PendingTrade decoded{};
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.timestamp));
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.price));
      CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, decoded.backward));
      *this = decoded;
      return Status::Ok();
    }
  };

  // Any record still to come is at least (watermark - trade time) away.
  bool ForwardCannotWin(const PendingTrade& trade, TimestampNs watermark) const {
    const std::int64_t least_forward_distance = watermark - trade.timestamp;
    if (tolerance_ && least_forward_distance > *tolerance_) return true;
    return trade.backward && least_forward_distance >= trade.timestamp - trade.backward->timestamp;
  }

  template <typename Emit>
  void Resolve(const PendingTrade& trade, const SentimentPoint& forward, Emit& emit) {
    const SentimentPoint* chosen = &forward;
    if (trade.backward &&
        trade.timestamp - trade.backward->timestamp <= forward.timestamp - trade.timestamp) {
      chosen = &*trade.backward;
    }
    EmitWithinTolerance(trade.timestamp, trade.price, *chosen, emit);
  }

  template <typename Emit>
  void ResolveWithoutForward(const PendingTrade& trade, Emit& emit) {
    if (trade.backward) EmitWithinTolerance(trade.timestamp, trade.price, *trade.backward, emit);
  }

  template <typename Emit>
  void EmitWithinTolerance(TimestampNs trade_time, double price, const SentimentPoint& record,
                           Emit& emit) {
    const std::int64_t distance = trade_time >= record.timestamp ? trade_time - record.timestamp
                                                                 : record.timestamp - trade_time;
    if (tolerance_ && distance > *tolerance_) return;
    emit(JoinedPair{trade_time, price, record.timestamp, record.polarity});
  }

  JoinDirection direction_;
  std::optional<std::int64_t> tolerance_;
  std::optional<SentimentPoint> latest_;
  std::optional<SentimentPoint> first_at_latest_time_;
  std::deque<PendingTrade> pending_;
};

}  // namespace cryptomood
