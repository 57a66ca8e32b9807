#include "core/stream_engine.h"

#include <type_traits>
#include <utility>

#include "core/status_macros.h"
#include "core/stream_params_key.h"
#include "core/window_rows.h"

namespace cryptomood {
std::size_t StreamEngine::DedupKeyHash::operator()(const DedupKey& key) const {
  // Uuids and content digests are already well mixed; fold in the coin.
  const std::uint64_t mixed =
      key.key.high ^ (key.key.low * 0x9E3779B97F4A7C15ULL) ^ (std::uint64_t{key.coin} << 32);
  return static_cast<std::size_t>(mixed ^ (mixed >> 29));
}

StreamEngine::StreamEngine(AnalysisParams params) : params_(std::move(params)) {}

Result<StreamEngine> StreamEngine::Create(const AnalysisParams& params) {
  CRYPTOMOOD_RETURN_IF_ERROR(ValidateAnalysisParams(params));
  if (params.mode == AnalysisMode::kCompat) {
    return Error{"the stream runs tick and bars modes; compat (the pooled figure) is batch only",
                 ErrorKind::kUsage};
  }
  if (!params.window) {
    return Error{"a stream needs --window: it reports closed windows, never an all-time one",
                 ErrorKind::kUsage};
  }
  return StreamEngine(params);
}

StreamEngine::Operator StreamEngine::NewOperator() const {
  if (params_.mode == AnalysisMode::kBars) {
    return BarsCorrelation(params_.interval, params_.lags, params_.window);
  }
  return TickCorrelation(EffectiveDirection(params_), params_.tolerance_nanos, params_.window);
}

StreamEngine::Index StreamEngine::InternCoin(std::string_view coin) {
  return InternName(coin_index_, coin, [&] {
    const auto index = static_cast<Index>(coins_.size());
    coins_.push_back(CoinState{std::string(coin), NewOperator(), {}});
    return index;
  });
}

StreamEngine::Index StreamEngine::InternSymbol(std::string_view symbol_id, Index coin) {
  return InternName(symbol_index_, symbol_id, [&] {
    const auto index = static_cast<Index>(symbols_.size());
    symbols_.push_back(SymbolState{std::string(symbol_id), coin, std::nullopt});
    coins_[coin].symbols.push_back(index);
    return index;
  });
}

EventOutcome StreamEngine::Admit(const BufferedEvent& event, Index dedup_coin) {
  if (!buffered_keys_.insert(DedupKey{event.key, dedup_coin}).second) {
    return EventOutcome::kDuplicate;
  }
  buffer_.Insert(event);
  return EventOutcome::kAccepted;
}

EventOutcome StreamEngine::OnTrade(const StreamTrade& trade) {
  if (finished_ || (watermark_ && trade.timestamp < *watermark_)) return EventOutcome::kLate;
  if (buffered_keys_.contains(DedupKey{trade.uuid, kNoCoin})) return EventOutcome::kDuplicate;
  const Index symbol = InternSymbol(trade.symbol_id, InternCoin(trade.coin));
  return Admit(BufferedEvent{trade.timestamp, kTradeRank, next_arrival_++, symbol, trade.price,
                             trade.size, trade.uuid},
               kNoCoin);
}

EventOutcome StreamEngine::OnSentiment(const StreamSentiment& sentiment) {
  if (finished_ || (watermark_ && sentiment.timestamp < *watermark_)) return EventOutcome::kLate;
  const Index coin = InternCoin(sentiment.coin);
  return Admit(BufferedEvent{sentiment.timestamp, kSentimentRank, next_arrival_++, coin,
                             sentiment.polarity, 0, sentiment.content},
               coin);
}

void StreamEngine::Release(const BufferedEvent& event) {
  if (event.rank == kSentimentRank) {
    buffered_keys_.erase(DedupKey{event.key, event.series});
    CoinState& coin = coins_[event.series];
    const SentimentPoint point{event.timestamp, event.value};
    std::visit([&](auto& op) { op.OnSentiment(point); }, coin.prototype);
    for (const Index symbol : coin.symbols) {
      if (symbols_[symbol].op)
        std::visit([&](auto& op) { op.OnSentiment(point); }, *symbols_[symbol].op);
    }
    return;
  }
  buffered_keys_.erase(DedupKey{event.key, kNoCoin});
  SymbolState& symbol = symbols_[event.series];
  if (!symbol.op) symbol.op = coins_[symbol.coin].prototype;
  const TradePoint point{event.timestamp, event.value, event.size};
  std::visit([&](auto& op) { op.OnTrade(point); }, *symbol.op);
}

void StreamEngine::CloseWindows(SymbolState& symbol, std::optional<TimestampNs> watermark,
                                std::vector<CorrelationRow>& rows) {
  const SeriesIdentity identity{symbol.symbol_id, coins_[symbol.coin].coin};
  auto sink = [&](const WindowBounds& window, auto&& closed) {
    using Closed = std::decay_t<decltype(closed)>;
    if constexpr (std::is_same_v<Closed, CorrelationAccumulator>) {
      rows.push_back(TickWindowRow(identity, params_, window, closed, scratch_));
    } else {
      AppendBarsWindowRows(identity, params_, window, closed, scratch_, rows);
    }
  };
  std::visit(
      [&](auto& op) {
        if (watermark) {
          op.AdvanceWatermark(*watermark, sink);
        } else {
          op.Finish(sink);
        }
      },
      *symbol.op);
}

void StreamEngine::AdvanceWatermark(TimestampNs watermark, std::vector<CorrelationRow>& rows) {
  if (finished_ || (watermark_ && watermark <= *watermark_)) return;
  buffer_.ReleaseBefore(watermark, [this](const BufferedEvent& event) { Release(event); });
  watermark_ = watermark;
  // Prototypes hold no pair, so they close no window; they only forget what no symbol needs.
  const auto discard = [](const WindowBounds&, auto&&) {};
  for (CoinState& coin : coins_) {
    std::visit([&](auto& op) { op.AdvanceWatermark(watermark, discard); }, coin.prototype);
  }
  for (SymbolState& symbol : symbols_) {
    if (symbol.op) CloseWindows(symbol, watermark, rows);
  }
}

void StreamEngine::Finish(std::vector<CorrelationRow>& rows) {
  if (finished_) return;
  buffer_.ReleaseAll([this](const BufferedEvent& event) { Release(event); });
  for (SymbolState& symbol : symbols_) {
    if (symbol.op) CloseWindows(symbol, std::nullopt, rows);
  }
  finished_ = true;
}

std::size_t StreamEngine::open_windows() const {
  std::size_t open = 0;
  for (const SymbolState& symbol : symbols_) {
    if (symbol.op) open += std::visit([](const auto& op) { return op.open_windows(); }, *symbol.op);
  }
  return open;
}

std::size_t StreamEngine::state_bytes() const {
  std::size_t bytes = buffer_.size() * sizeof(BufferedEvent) +
                      buffered_keys_.size() * (sizeof(DedupKey) + 2 * sizeof(void*));
  const auto operator_bytes = [](const Operator& op) {
    return std::visit([](const auto& concrete) { return concrete.state_bytes(); }, op);
  };
  for (const CoinState& coin : coins_) {
    bytes += sizeof(CoinState) + coin.coin.size() + operator_bytes(coin.prototype) +
             coin.symbols.size() * sizeof(Index);
  }
  for (const SymbolState& symbol : symbols_) {
    bytes += sizeof(SymbolState) + symbol.symbol_id.size();
    if (symbol.op) bytes += operator_bytes(*symbol.op);
  }
  return bytes;
}

void StreamEngine::BufferedEvent::EncodeState(StateWriter& writer) const {
  writer.WriteI64(timestamp);
  writer.WriteU8(rank);
  writer.WriteU64(arrival);
  writer.WriteU32(series);
  writer.WriteF64(value);
  writer.WriteF64(size);
  writer.WriteU64(key.high);
  writer.WriteU64(key.low);
}

Status StreamEngine::BufferedEvent::DecodeState(StateReader& reader) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(timestamp, reader.ReadI64());
  CRYPTOMOOD_ASSIGN_OR_RETURN(rank, reader.ReadU8());
  CRYPTOMOOD_ASSIGN_OR_RETURN(arrival, reader.ReadU64());
  CRYPTOMOOD_ASSIGN_OR_RETURN(series, reader.ReadU32());
  CRYPTOMOOD_ASSIGN_OR_RETURN(value, reader.ReadF64());
  CRYPTOMOOD_ASSIGN_OR_RETURN(size, reader.ReadF64());
  CRYPTOMOOD_ASSIGN_OR_RETURN(key.high, reader.ReadU64());
  CRYPTOMOOD_ASSIGN_OR_RETURN(key.low, reader.ReadU64());
  if (rank != kSentimentRank && rank != kTradeRank) return CorruptState("buffered event kind");
  return Status::Ok();
}

namespace {

template <typename Operator>
void EncodeOperator(StateWriter& writer, const Operator& op) {
  std::visit([&](const auto& concrete) { concrete.EncodeState(writer); }, op);
}

template <typename Operator>
Status DecodeOperator(StateReader& reader, Operator& op) {
  return std::visit([&](auto& concrete) { return concrete.DecodeState(reader); }, op);
}

}  // namespace

void StreamEngine::EncodeState(StateWriter& writer) const {
  EncodeValue(writer, StreamParamsKey(params_));
  writer.WriteU64(coins_.size());
  for (const CoinState& coin : coins_) {
    writer.WriteString(coin.coin);
    EncodeOperator(writer, coin.prototype);
  }
  writer.WriteU64(symbols_.size());
  for (const SymbolState& symbol : symbols_) {
    writer.WriteString(symbol.symbol_id);
    writer.WriteU32(symbol.coin);
    writer.WriteBool(symbol.op.has_value());
    if (symbol.op) EncodeOperator(writer, *symbol.op);
  }
  writer.WriteU64(buffer_.size());
  for (const BufferedEvent& event : buffer_.events()) event.EncodeState(writer);
  writer.WriteU64(next_arrival_);
  EncodeValue(writer, watermark_);
  writer.WriteBool(finished_);
}

Status StreamEngine::DecodeState(StateReader& reader) {
  CRYPTOMOOD_RETURN_IF_ERROR(ExpectSavedConfig(reader, StreamParamsKey(params_), "parameters"));
  StreamEngine restored(params_);
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t coins, reader.ReadCount(9));
  for (std::size_t i = 0; i < coins; ++i) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(std::string name, reader.ReadString());
    const Index coin = restored.InternCoin(name);
    if (coin != i) return CorruptState("repeated coin " + name);
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeOperator(reader, restored.coins_[coin].prototype));
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t symbols, reader.ReadCount(13));
  for (std::size_t i = 0; i < symbols; ++i) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(std::string symbol_id, reader.ReadString());
    CRYPTOMOOD_ASSIGN_OR_RETURN(const Index coin, reader.ReadU32());
    if (coin >= restored.coins_.size()) return CorruptState("symbol of an unknown coin");
    const Index symbol = restored.InternSymbol(symbol_id, coin);
    if (symbol != i) return CorruptState("repeated symbol " + symbol_id);
    CRYPTOMOOD_ASSIGN_OR_RETURN(const bool has_operator, reader.ReadBool());
    if (!has_operator) continue;
    restored.symbols_[symbol].op = NewOperator();
    CRYPTOMOOD_RETURN_IF_ERROR(DecodeOperator(reader, *restored.symbols_[symbol].op));
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::size_t buffered, reader.ReadCount(8));
  for (std::size_t i = 0; i < buffered; ++i) {
    BufferedEvent event;
    CRYPTOMOOD_RETURN_IF_ERROR(event.DecodeState(reader));
    const bool is_trade = event.rank == kTradeRank;
    if (event.series >= (is_trade ? restored.symbols_.size() : restored.coins_.size())) {
      return CorruptState("buffered event of an unknown series");
    }
    if (restored.Admit(event, is_trade ? kNoCoin : event.series) != EventOutcome::kAccepted) {
      return CorruptState("repeated buffered event");
    }
  }
  CRYPTOMOOD_ASSIGN_OR_RETURN(restored.next_arrival_, reader.ReadU64());
  CRYPTOMOOD_RETURN_IF_ERROR(DecodeValue(reader, restored.watermark_));
  CRYPTOMOOD_ASSIGN_OR_RETURN(restored.finished_, reader.ReadBool());
  *this = std::move(restored);
  return Status::Ok();
}

}  // namespace cryptomood
