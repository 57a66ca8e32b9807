#include "store/market_data_from_store.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status_macros.h"
#include "store/coins_json.h"

namespace cryptomood {

Result<LoadedInput> LoadMarketDataFromStore(Store& store, const StoreLoadOptions& options,
                                            TradeOrders* orders) {
  MarketDataBuilder builder(options.range);
  LoadedInput loaded;
  std::vector<std::vector<std::int64_t>> orders_by_symbol;
  const auto keep_trade = [&](std::string_view symbol_id, std::string_view base,
                              const TradePoint& point, std::int64_t order) {
    const std::optional<SymbolIndex> symbol = builder.AddTrade(symbol_id, base, point);
    ++loaded.trades.accepted;
    if (orders == nullptr || !symbol) return;
    if (*symbol >= orders_by_symbol.size()) orders_by_symbol.resize(*symbol + 1);
    orders_by_symbol[*symbol].push_back(order);
  };
  CRYPTOMOOD_RETURN_IF_ERROR(store.ScanTradePoints(options.coins, options.range, keep_trade));

  std::vector<std::string> coins;
  std::vector<std::string_view> coin_views;
  Status decode_status;
  const std::vector<std::string> no_coins;
  const auto keep_sentiment = [&](std::string_view coins_json, const SentimentPoint& point) {
    if (!decode_status.ok()) return;
    decode_status = DecodeCoinsJson(coins_json, coins);
    coin_views.assign(coins.begin(), coins.end());
    builder.AddSentiment(coin_views, point);
    ++loaded.sentiment.accepted;
  };
  CRYPTOMOOD_RETURN_IF_ERROR(store.ScanSentimentPoints(
      options.all_sentiment ? no_coins : options.coins, options.range, keep_sentiment));
  CRYPTOMOOD_RETURN_IF_ERROR(decode_status);

  loaded.trades.lines = loaded.trades.accepted;
  loaded.sentiment.lines = loaded.sentiment.accepted;
  loaded.data = std::move(builder).Finish();
  if (orders != nullptr) {
    // The store hands trades over in (timestamp, order) order, so the builder's stable sort
    // leaves each series in the order its orders were collected in.
    orders_by_symbol.resize(loaded.data.symbols().size());
    *orders = TradeOrders(std::move(orders_by_symbol));
  }
  return loaded;
}

}  // namespace cryptomood
