#include "core/market_data.h"

#include <algorithm>

#include "core/reserve_hint.h"

namespace cryptomood {
namespace {

template <typename Point>
void SortByTimestamp(HugePageVector<Point>& series) {
  const auto earlier = [](const Point& left, const Point& right) {
    return left.timestamp < right.timestamp;
  };
  // Feeds are usually in time order already; checking is one cheap pass, sorting is not.
  if (std::is_sorted(series.begin(), series.end(), earlier)) return;
  std::stable_sort(series.begin(), series.end(), earlier);
}

template <typename Point>
HugePageVector<Point> Slice(const HugePageVector<Point>& series, const TimeRange& range) {
  const auto before = [](const Point& point, TimestampNs t) { return point.timestamp < t; };
  auto begin = series.begin();
  auto end = series.end();
  if (range.from) begin = std::lower_bound(series.begin(), series.end(), *range.from, before);
  if (range.to) end = std::lower_bound(begin, series.end(), *range.to, before);
  return {begin, end};
}

}  // namespace

MarketData MarketData::Within(const TimeRange& range) const {
  MarketData within;
  within.coins_ = coins_;
  for (const auto& series : sentiment_) within.sentiment_.push_back(Slice(series, range));
  within.all_sentiment_ = Slice(all_sentiment_, range);
  for (std::size_t symbol = 0; symbol < symbols_.size(); ++symbol) {
    HugePageVector<TradePoint> trades = Slice(trades_[symbol], range);
    if (trades.empty()) continue;
    within.symbols_.push_back(symbols_[symbol]);
    within.trades_.push_back(std::move(trades));
  }
  return within;
}

void MarketData::ShrinkToFit() {
  for (auto& series : trades_) series.shrink_to_fit();
  for (auto& series : sentiment_) series.shrink_to_fit();
  all_sentiment_.shrink_to_fit();
}

std::optional<CoinIndex> MarketData::FindCoin(std::string_view ticker) const {
  const auto found = std::find(coins_.begin(), coins_.end(), ticker);
  if (found == coins_.end()) return std::nullopt;
  return static_cast<CoinIndex>(found - coins_.begin());
}

void MarketDataBuilder::ExpectTradesPerSymbol(std::size_t trades) { expected_trades_ = trades; }

void MarketDataBuilder::ExpectTweetsPerCoin(std::size_t tweets) {
  expected_tweets_ = tweets;
  // Coins met in trades already have their (empty) tweet series.
  for (auto& series : data_.sentiment_) {
    if (series.empty()) ReserveHint(series, tweets);
  }
  if (data_.all_sentiment_.empty()) ReserveHint(data_.all_sentiment_, tweets);
}

CoinIndex MarketDataBuilder::InternCoin(std::string_view ticker) {
  return InternName(coin_index_, ticker, [&] {
    const auto index = static_cast<CoinIndex>(data_.coins_.size());
    data_.coins_.emplace_back(ticker);
    data_.sentiment_.emplace_back();
    ReserveHint(data_.sentiment_.back(), expected_tweets_);
    return index;
  });
}

SymbolIndex MarketDataBuilder::InternSymbol(std::string_view symbol_id, std::string_view base) {
  return InternName(symbol_index_, symbol_id, [&] {
    const auto index = static_cast<SymbolIndex>(data_.symbols_.size());
    const CoinIndex coin = InternCoin(base);
    data_.symbols_.push_back(SymbolInfo{std::string(symbol_id), coin});
    data_.trades_.emplace_back();
    ReserveHint(data_.trades_.back(), expected_trades_);
    return index;
  });
}

std::optional<SymbolIndex> MarketDataBuilder::AddTrade(std::string_view symbol_id,
                                                       std::string_view base,
                                                       const TradePoint& trade) {
  if (!range_.Contains(trade.timestamp)) return std::nullopt;
  const SymbolIndex symbol = InternSymbol(symbol_id, base);
  AddTrade(symbol, trade);
  return symbol;
}

bool MarketDataBuilder::AddTrade(SymbolIndex symbol, const TradePoint& trade) {
  if (!range_.Contains(trade.timestamp)) return false;
  data_.trades_[symbol].push_back(trade);
  return true;
}

void MarketDataBuilder::AddSentiment(std::span<const std::string_view> coins,
                                     const SentimentPoint& point) {
  if (!range_.Contains(point.timestamp)) return;
  coin_indices_.clear();
  for (std::string_view ticker : coins) coin_indices_.push_back(InternCoin(ticker));
  AddSentiment(coin_indices_, point);
}

void MarketDataBuilder::AddSentiment(std::span<const CoinIndex> coins,
                                     const SentimentPoint& point) {
  if (!range_.Contains(point.timestamp)) return;
  scratch_coins_.clear();
  for (const CoinIndex coin : coins) {
    // A tweet naming a coin twice counts once for it.
    if (std::find(scratch_coins_.begin(), scratch_coins_.end(), coin) != scratch_coins_.end()) {
      continue;
    }
    scratch_coins_.push_back(coin);
    data_.sentiment_[coin].push_back(point);
  }
  data_.all_sentiment_.push_back(point);
}

MarketData MarketDataBuilder::Finish() && {
  for (auto& series : data_.trades_) SortByTimestamp(series);
  for (auto& series : data_.sentiment_) SortByTimestamp(series);
  SortByTimestamp(data_.all_sentiment_);
  return std::move(data_);
}

}  // namespace cryptomood
