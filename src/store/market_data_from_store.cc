#include "store/market_data_from_store.h"

#include <string_view>

#include "store/coins_json.h"

namespace cryptomood {

Result<LoadedInput> LoadMarketDataFromStore(Store& store, const StoreLoadOptions& options) {
  MarketDataBuilder builder(options.range);
  LoadedInput loaded;
  Status status = store.ScanTradePoints(
      options.coins, options.range,
      [&](std::string_view symbol_id, std::string_view base, const TradePoint& point) {
        builder.AddTrade(symbol_id, base, point);
        ++loaded.trades.accepted;
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
  return loaded;
}

}  // namespace cryptomood
