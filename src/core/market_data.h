// MarketData: the columns the analysis needs, per symbol and per coin, each series sorted
// by timestamp (stable: ties keep input order). Built once by MarketDataBuilder, then
// read-only and safe to share across threads.
// Memory: 24 bytes a trade, 16 bytes a (tweet, coin) pair plus 16 a tweet for the pooled
// series that --mode compat uses.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/huge_page_allocator.h"
#include "core/string_index.h"
#include "core/timestamp.h"

namespace cryptomood {

using SymbolIndex = std::uint32_t;
using CoinIndex = std::uint32_t;

struct TradePoint {
  TimestampNs timestamp;
  double price;
  double size;
};

struct SentimentPoint {
  TimestampNs timestamp;
  double polarity;
};

struct SymbolInfo {
  std::string symbol_id;  // COINBASE_SPOT_BTC_USD
  CoinIndex coin;         // index of the base asset
};

// Half-open time range [from, to); absent ends are unbounded.
struct TimeRange {
  std::optional<TimestampNs> from;
  std::optional<TimestampNs> to;
  bool Contains(TimestampNs t) const { return (!from || t >= *from) && (!to || t < *to); }
};

class MarketData {
 public:
  const std::vector<SymbolInfo>& symbols() const { return symbols_; }
  const std::vector<std::string>& coins() const { return coins_; }
  std::span<const TradePoint> trades(SymbolIndex symbol) const { return trades_[symbol]; }
  std::span<const SentimentPoint> sentiment(CoinIndex coin) const { return sentiment_[coin]; }
  // Every accepted tweet once, whatever coins it names.
  std::span<const SentimentPoint> all_sentiment() const { return all_sentiment_; }
  std::optional<CoinIndex> FindCoin(std::string_view ticker) const;
  // The records within `range`, as a MarketDataBuilder given that range would have kept
  // them: every series cut by binary search, symbols left without a trade dropped.
  MarketData Within(const TimeRange& range) const;
  // Gives back the spare capacity the builder's growth left in every series (up to half of
  // it), for a copy kept for long; costs one copy of each series.
  void ShrinkToFit();

 private:
  friend class MarketDataBuilder;
  std::vector<SymbolInfo> symbols_;
  std::vector<std::string> coins_;
  std::vector<HugePageVector<TradePoint>> trades_;         // by SymbolIndex
  std::vector<HugePageVector<SentimentPoint>> sentiment_;  // by CoinIndex
  HugePageVector<SentimentPoint> all_sentiment_;
};

// Collects records in input order, keeps those inside the time range, and sorts on Finish.
// Not thread-safe: one builder per loading thread, or feed it from one thread.
class MarketDataBuilder {
 public:
  explicit MarketDataBuilder(TimeRange range = {}) : range_(range) {}

  // How many trades a symbol and tweets a coin may have at most, as hints that size every
  // series when it is created: growing a series by doubling copies it and faults in fresh
  // memory twice over, while room reserved and never filled is never touched (address space,
  // not memory). A loader that knows its input sizes calls these first.
  void ExpectTradesPerSymbol(std::size_t trades);
  void ExpectTweetsPerCoin(std::size_t tweets);

  // Returns the symbol the trade was filed under (nullopt when it is outside the range). The
  // index is the symbol's in the finished MarketData, and Finish keeps each series' order
  // among equal timestamps.
  std::optional<SymbolIndex> AddTrade(std::string_view symbol_id, std::string_view base,
                                      const TradePoint& trade);
  void AddSentiment(std::span<const std::string_view> coins, const SentimentPoint& point);

  // The same by index, for loaders that look each distinct name up once (per chunk) rather
  // than once per record. A symbol or coin looked up here appears in the finished data
  // even if no record then falls inside the range: look up only what a kept record names.
  SymbolIndex InternSymbol(std::string_view symbol_id, std::string_view base);
  CoinIndex InternCoin(std::string_view ticker);
  // False (nothing filed) when the trade is outside the range.
  bool AddTrade(SymbolIndex symbol, const TradePoint& trade);
  void AddSentiment(std::span<const CoinIndex> coins, const SentimentPoint& point);

  MarketData Finish() &&;

 private:
  TimeRange range_;
  std::size_t expected_trades_ = 0;
  std::size_t expected_tweets_ = 0;
  MarketData data_;
  StringIndexMap coin_index_;
  StringIndexMap symbol_index_;
  std::vector<CoinIndex> scratch_coins_;
  std::vector<CoinIndex> coin_indices_;
};

}  // namespace cryptomood
