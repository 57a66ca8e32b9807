// Line parser throughput on realistic lines (the seed files' shapes), parsed in place from
// one padded buffer as the loader does. Reports items (lines) and bytes per second. The
// argument picks the parse path: 0 = the flat fast path (production), 1 = simdjson only.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "io/sentiment_parser.h"
#include "io/trade_parser.h"

namespace cryptomood {
namespace {

struct LineBuffer {
  std::string bytes;  // the lines, newline-separated, then padding
  std::vector<std::pair<std::size_t, std::size_t>> lines;  // offset, length
};

LineBuffer ReadLines(const std::string& path) {
  LineBuffer buffer;
  std::ifstream in(path, std::ios::binary);
  buffer.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  while (start < buffer.bytes.size()) {
    std::size_t end = buffer.bytes.find('\n', start);
    if (end == std::string::npos) end = buffer.bytes.size();
    buffer.lines.emplace_back(start, end - start);
    start = end + 1;
  }
  buffer.bytes.append(simdjson::SIMDJSON_PADDING, ' ');
  return buffer;
}

template <typename Parser, typename Record>
void RunParser(benchmark::State& state, const std::string& file) {
  const LineBuffer buffer = ReadLines(std::string(CRYPTOMOOD_SEED_DIR) + "/" + file);
  Parser parser(state.range(0) == 0 ? json_line::ParsePath::kFastWhenPossible
                                    : json_line::ParsePath::kSimdjsonOnly);
  Record record;
  std::size_t bytes = 0;
  for (const auto& line : buffer.lines) bytes += line.second + 1;
  for (auto _ : state) {
    for (const auto& [offset, length] : buffer.lines) {
      simdjson::padded_string_view view(buffer.bytes.data() + offset, length,
                                        buffer.bytes.size() - offset);
      Status status = parser.Parse(view, record);
      if (!status.ok()) {
        state.SkipWithError(status.error().message.c_str());
        return;
      }
      benchmark::DoNotOptimize(record.timestamp);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * buffer.lines.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_TradeParser(benchmark::State& state) {
  RunParser<TradeParser, TradeRecord>(state, "historical_coin_data.txt");
}
BENCHMARK(BM_TradeParser)->Arg(0)->Arg(1);

void BM_SentimentParser(benchmark::State& state) {
  RunParser<SentimentParser, SentimentRecord>(state, "historical_sentiment_data.txt");
}
BENCHMARK(BM_SentimentParser)->Arg(0)->Arg(1);

void BM_ParseTimestamp(benchmark::State& state) {
  const std::string text = "2018-07-16T20:11:51.747745Z";
  for (auto _ : state) {
    auto parsed = ParseTimestamp(text);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimestamp);

}  // namespace
}  // namespace cryptomood
