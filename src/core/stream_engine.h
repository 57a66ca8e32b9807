// StreamEngine: the correlation operators of one stream partition, fed events in arrival
// order and a watermark, giving the rows of each window as it closes. It is the batch run's
// code path cut open: the same per-symbol operators (TickCorrelation, BarsCorrelation), the
// same row finaliser (window_rows.h), fed the same event order, so its rows equal a batch
// `analyze --window` over the same events, bit for bit.
//
// - Order: events wait in a ReorderBuffer until the watermark passes them, then reach the
//   operators in (timestamp, sentiment before trades, arrival) order: batch's stable sort.
// - Late: an event earlier than the current watermark can no longer be placed (its operator
//   may have closed the window that would hold it): OnTrade/OnSentiment say kLate and it is
//   not used. A duplicate of an event whose window has closed is late too.
// - Duplicates: a trade with the uuid of a buffered trade, or a tweet with the content key of
//   a buffered tweet for the same coin, is dropped (first arrival wins). Keys are kept only
//   while their event is buffered: anything older is late anyway, so memory stays bounded.
// - New symbols: each coin has a prototype operator that sees the coin's sentiment but no
//   trade; a symbol's operator starts as a copy of it when its first trade is released, so a
//   symbol first seen mid-stream joins its coin's earlier sentiment exactly as batch does.
// - State: the open windows, the bars and pending joins they need, and the buffered events;
//   never an all-time window (a window interval is required). EncodeState/DecodeState
//   checkpoint it; a restored engine continues exactly as the original would have.
// Thread-safety: none; one engine per partition, used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "core/analysis.h"
#include "core/bars_correlation.h"
#include "core/market_data.h"
#include "core/rank_correlation.h"
#include "core/reorder_buffer.h"
#include "core/result.h"
#include "core/state_codec.h"
#include "core/string_index.h"
#include "core/tick_correlation.h"

namespace cryptomood {

// A 128-bit identity of an event: a trade's uuid, a tweet's content digest.
struct EventKey {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const EventKey&, const EventKey&) = default;
};

struct StreamTrade {
  TimestampNs timestamp = 0;
  double price = 0;
  double size = 0;
  std::string_view symbol_id;
  std::string_view coin;  // the symbol's base asset
  EventKey uuid;
};

// A tweet as delivered for one coin (a tweet naming three coins arrives three times).
struct StreamSentiment {
  TimestampNs timestamp = 0;
  double polarity = 0;
  std::string_view coin;
  EventKey content;
};

enum class EventOutcome { kAccepted, kDuplicate, kLate };

class StreamEngine {
 public:
  // params.mode must be tick or bars and params.window set; coins and threads are ignored.
  static Result<StreamEngine> Create(const AnalysisParams& params);

  EventOutcome OnTrade(const StreamTrade& trade);
  EventOutcome OnSentiment(const StreamSentiment& sentiment);

  // No event earlier than watermark will be used: buffered ones before it go to the
  // operators, and every window that can no longer change is appended to rows. A watermark
  // at or before the current one changes nothing.
  void AdvanceWatermark(TimestampNs watermark, std::vector<CorrelationRow>& rows);
  // End of input: every buffered event is used and every open window closes, as at the end
  // of a batch run. The engine accepts no more events after this (they are late).
  void Finish(std::vector<CorrelationRow>& rows);

  // Events earlier than this are late; null before the first AdvanceWatermark.
  std::optional<TimestampNs> watermark() const { return watermark_; }
  const AnalysisParams& params() const { return params_; }
  std::size_t buffered_events() const { return buffer_.size(); }
  std::size_t symbol_count() const { return symbols_.size(); }
  std::size_t open_windows() const;
  // Estimated heap bytes of the state (operators, buffer, keys, names).
  std::size_t state_bytes() const;

  void EncodeState(StateWriter& writer) const;
  // Into an engine created with the same params (else an error, and the engine unchanged
  // only up to the failing part: discard it); replaces all its state.
  Status DecodeState(StateReader& reader);

 private:
  using Operator = std::variant<TickCorrelation, BarsCorrelation>;
  using Index = std::uint32_t;
  static constexpr std::uint8_t kSentimentRank = 0;  // before trades at equal timestamps
  static constexpr std::uint8_t kTradeRank = 1;

  struct BufferedEvent {
    TimestampNs timestamp = 0;
    std::uint8_t rank = kTradeRank;
    std::uint64_t arrival = 0;
    Index series = 0;  // symbol index (trades) or coin index (sentiment)
    double value = 0;  // price or polarity
    double size = 0;   // trades only
    EventKey key;

    void EncodeState(StateWriter& writer) const;
    Status DecodeState(StateReader& reader);
  };
  struct DedupKey {
    EventKey key;
    Index coin = 0;  // sentiment: the coin it was delivered for; trades: kNoCoin
    friend bool operator==(const DedupKey&, const DedupKey&) = default;
  };
  struct DedupKeyHash {
    std::size_t operator()(const DedupKey& key) const;
  };
  struct CoinState {
    std::string coin;
    Operator prototype;  // has seen this coin's sentiment, no trade
    std::vector<Index> symbols;
  };
  struct SymbolState {
    std::string symbol_id;
    Index coin = 0;
    std::optional<Operator> op;  // created at the first released trade
  };
  static constexpr Index kNoCoin = ~Index{0};

  explicit StreamEngine(AnalysisParams params);

  Operator NewOperator() const;
  Index InternCoin(std::string_view coin);
  Index InternSymbol(std::string_view symbol_id, Index coin);
  EventOutcome Admit(const BufferedEvent& event, Index dedup_coin);
  void Release(const BufferedEvent& event);
  // Closes what the watermark allows (Finish when null) and appends the symbol's rows.
  void CloseWindows(SymbolState& symbol, std::optional<TimestampNs> watermark,
                    std::vector<CorrelationRow>& rows);

  AnalysisParams params_;
  std::vector<CoinState> coins_;
  std::vector<SymbolState> symbols_;
  StringIndexMap coin_index_;  // looked up by string_view: no allocation per event
  StringIndexMap symbol_index_;
  ReorderBuffer<BufferedEvent> buffer_;
  std::unordered_set<DedupKey, DedupKeyHash> buffered_keys_;
  std::uint64_t next_arrival_ = 0;
  std::optional<TimestampNs> watermark_;
  bool finished_ = false;
  SpearmanScratch scratch_;
};

}  // namespace cryptomood
