// End-to-end load throughput: LoadMarketData over JSON-lines files (read, parse in parallel,
// deduplicate, build columns). By default it writes a synthetic 64 MB trade file and a
// small tweet file to the temp directory; set CRYPTOMOOD_BENCH_TRADES and
// CRYPTOMOOD_BENCH_SENTIMENT to measure real or larger files, e.g. the output of
// `cryptomood simulate --trades 2000000 --tweets 500000 --seed 1`.
// Reported: bytes_per_second over both files. Peak RSS: run under `/usr/bin/time -v`.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/market_data_loader.h"

namespace cryptomood {
namespace {

struct BenchInput {
  std::string trades;
  std::string sentiment;
  std::uint64_t bytes = 0;
};

void WriteSyntheticFiles(const std::string& trades, const std::string& sentiment) {
  const char* coins[] = {"BTC", "ETH", "LTC"};
  std::ofstream trade_out(trades, std::ios::binary);
  char line[512];
  for (int i = 0; i < 200'000; ++i) {
    const char* coin = coins[i % 3];
    const int second = i / 100;
    std::snprintf(line, sizeof(line),
                  R"({"coins": ["%s"], "price": %.17g, "sequence": %d, "size": %.17g, )"
                  R"("symbol_id": "COINBASE_SPOT_%s_USD", "taker_side": "SELL_ESTIMATED", )"
                  R"("timestamp": "2018-07-16T%02d:%02d:%02d.%06dZ", )"
                  R"("time_exchange": "2018-07-16T%02d:%02d:%02d.%06dZ", "type": "trade", )"
                  R"("uuid": "%08x-c909-4903-8315-%012x"})"
                  "\n",
                  coin, 6000.0 + i * 0.013, i, 66.59917596430333 + i % 17, coin, second / 3600,
                  second / 60 % 60, second % 60, i % 100 * 10000, second / 3600, second / 60 % 60,
                  second % 60, i % 100 * 10000, i, i * 31);
    trade_out << line;
  }
  std::ofstream tweet_out(sentiment, std::ios::binary);
  for (int i = 0; i < 50'000; ++i) {
    const int second = i / 25;
    std::snprintf(line, sizeof(line),
                  R"({"coins": ["ETH", "BTC"], "sentiment_polarity": %.17g, "text": "TEST", )"
                  R"("timestamp": "2018-07-16T%02d:%02d:%02d.%06dZ"})"
                  "\n",
                  (i % 2001 - 1000) / 1000.0, second / 3600, second / 60 % 60, second % 60,
                  i % 25 * 40000);
    tweet_out << line;
  }
}

const BenchInput& Input() {
  static const BenchInput input = [] {
    BenchInput made;
    const char* trades = std::getenv("CRYPTOMOOD_BENCH_TRADES");
    const char* sentiment = std::getenv("CRYPTOMOOD_BENCH_SENTIMENT");
    if (trades != nullptr && sentiment != nullptr) {
      made.trades = trades;
      made.sentiment = sentiment;
    } else {
      const auto dir = std::filesystem::temp_directory_path();
      made.trades = (dir / "cryptomood_loader_bench_trades.txt").string();
      made.sentiment = (dir / "cryptomood_loader_bench_sentiment.txt").string();
      WriteSyntheticFiles(made.trades, made.sentiment);
    }
    made.bytes =
        std::filesystem::file_size(made.trades) + std::filesystem::file_size(made.sentiment);
    return made;
  }();
  return input;
}

void BM_LoadMarketData(benchmark::State& state) {
  const BenchInput& input = Input();
  LoadOptions options;
  options.trade_files = {input.trades};
  options.sentiment_files = {input.sentiment};
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto loaded = LoadMarketData(options);
    if (!loaded.ok()) {
      state.SkipWithError(loaded.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(loaded->trades.accepted);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.bytes));
}
BENCHMARK(BM_LoadMarketData)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace cryptomood
