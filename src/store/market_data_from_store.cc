#include "store/market_data_from_store.h"

#include <string_view>

#include "store/coins_json.h"

namespace cryptomood {

Result<LoadedInput> LoadMarketDataFromStore(Store& store, const StoreLoadOptions& options,
                                            TradeOrders* orders) {
  MarketDataBuilder builder(options.range);
  LoadedInput loaded;
  // Orders by symbol_id while loading; the builder numbers symbols its own way.
  StringIndexMap order_series_of_symbol;
  std::vector<std::vector<std::int64_t>> orders_by_first_seen;
  Status status = store.ScanTradePoints(
      options.coins, options.range,
      [&](std::string_view symbol_id, std::string_view base, const TradePoint& point,
          std::int64_t order) {
        builder.AddTrade(symbol_id, base, point);
        ++loaded.trades.accepted;
        if (orders == nullptr) return;
        auto found = order_series_of_symbol.find(symbol_id);
        if (found == order_series_of_symbol.end()) {
          found = order_series_of_symbol
                      .emplace(std::string(symbol_id),
                               static_cast<std::uint32_t>(orders_by_first_seen.size()))
                      .first;
          orders_by_first_seen.emplace_back();
        }
        orders_by_first_seen[found->second].push_back(order);
      });
  if (!status.ok()) return status.error();

  std::vector<std::string> coins;
  std::vector<std::string_view> coin_views;
  Status decode_status;
  const std::vector<std::string> no_coins;
  status =
      store.ScanSentimentPoints(options.all_sentiment ? no_coins : options.coins, options.range,
                                [&](std::string_view coins_json, const SentimentPoint& point) {
                                  if (!decode_status.ok()) return;
                                  decode_status = DecodeCoinsJson(coins_json, coins);
                                  coin_views.assign(coins.begin(), coins.end());
                                  builder.AddSentiment(coin_views, point);
                                  ++loaded.sentiment.accepted;
                                });
  if (!status.ok()) return status.error();
  if (!decode_status.ok()) return decode_status.error();

  loaded.trades.lines = loaded.trades.accepted;
  loaded.sentiment.lines = loaded.sentiment.accepted;
  loaded.data = std::move(builder).Finish();
  if (orders != nullptr) {
    // The store hands trades over in (timestamp, order) order, so the builder's stable sort
    // left each series in the order its orders were collected in.
    std::vector<std::vector<std::int64_t>> by_symbol;
    for (SymbolIndex symbol = 0; symbol < loaded.data.symbols().size(); ++symbol) {
      const auto found = order_series_of_symbol.find(loaded.data.symbols()[symbol].symbol_id);
      if (found == order_series_of_symbol.end() ||
          orders_by_first_seen[found->second].size() != loaded.data.trades(symbol).size()) {
        return Error{"trade orders do not line up with the loaded trades of " +
                     loaded.data.symbols()[symbol].symbol_id};
      }
      by_symbol.push_back(std::move(orders_by_first_seen[found->second]));
    }
    *orders = TradeOrders(std::move(by_symbol));
  }
  return loaded;
}

}  // namespace cryptomood
