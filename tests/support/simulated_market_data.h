// Test support: MarketData from the simulator (core/simulation.h), loaded as the file loader
// would load the simulated files: one COINBASE_SPOT_<COIN>_USD symbol per coin. An invalid
// config gives empty data. Used by tests and benchmarks alike (no test framework needed).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/market_data.h"
#include "core/simulation.h"

namespace cryptomood::testing {

inline MarketData SimulateMarketData(const SimulationConfig& config) {
  Result<Simulation> simulation = Simulation::Create(config);
  MarketDataBuilder builder;
  if (!simulation.ok()) return std::move(builder).Finish();
  std::vector<std::string> symbols;
  for (const std::string& coin : config.coins) symbols.push_back("COINBASE_SPOT_" + coin + "_USD");
  SimulatedRecord record;
  std::vector<std::string_view> coins;
  while (simulation->Next(record)) {
    if (record.kind == SimulatedRecord::Kind::kTrade) {
      const SimulatedTrade& trade = record.trade;
      builder.AddTrade(symbols[trade.coin], config.coins[trade.coin],
                       TradePoint{trade.timestamp, trade.price, trade.size});
    } else {
      coins.clear();
      for (std::uint32_t i = 0; i < record.tweet.coin_count; ++i) {
        coins.push_back(config.coins[record.tweet.coins[i]]);
      }
      builder.AddSentiment(coins, SentimentPoint{record.tweet.timestamp, record.tweet.polarity});
    }
  }
  return std::move(builder).Finish();
}

// A small simulated data set of that size, simulated once per size and kept for the test
// binary's life (tests read it from any thread; it is never changed).
inline const MarketData& SmallSimulatedData(std::int64_t trades, std::int64_t tweets, int days) {
  static std::mutex mutex;
  static std::map<std::tuple<std::int64_t, std::int64_t, int>, std::unique_ptr<MarketData>> kept;
  std::lock_guard lock(mutex);
  auto& data = kept[{trades, tweets, days}];
  if (!data) {
    SimulationConfig config;
    config.trades = trades;
    config.tweets = tweets;
    config.days = days;
    data = std::make_unique<MarketData>(SimulateMarketData(config));
  }
  return *data;
}

}  // namespace cryptomood::testing
