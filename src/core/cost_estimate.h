// Cost estimate: what a correlation or series request will cost, known before any work from
// the data's shape (counts and time extents per symbol and coin) and the request's
// parameters, and the limits a request must stay within.
//
// Invariants: every estimate is an upper bound of what the computation then does (result
// rows, bars built, lag pairs tried, reply bytes written by the real writers), and a tight
// one on ordinary data (within a small factor). Estimating costs O(symbols), whatever the
// parameters; arithmetic saturates instead of overflowing.
// CheckCost names the parameter the user should change, so a refusal is actionable.
// Thread-safety: plain data and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis.h"
#include "core/interval.h"
#include "core/market_data.h"
#include "core/result.h"

namespace cryptomood {

// One symbol's share of the data: its trades and its coin's tweets, with their time extents.
struct SymbolShape {
  std::string symbol_id;
  std::string coin;
  std::int64_t trades = 0;
  std::optional<TimestampNs> first_trade, last_trade;
  std::int64_t tweets = 0;  // the coin's
  std::optional<TimestampNs> first_tweet, last_tweet;
};

struct DataShape {
  std::vector<SymbolShape> symbols;
  std::int64_t all_tweets = 0;  // every tweet once (compat's pooled series)
};

// O(symbols): reads only the sizes and ends of each series.
DataShape ShapeOf(const MarketData& data);

// How rows are written: the API's formats; `analyze`'s table is estimated as json.
enum class RowFormat { kJson, kCsv, kNdjson };

struct CostEstimate {
  std::int64_t rows = 0;         // result rows (correlation) or bars shown (series)
  std::int64_t bars = 0;         // bars built over all selected symbols
  std::int64_t pairs = 0;        // joined trades (tick, compat) and lag pairs tried (bars)
  std::int64_t reply_bytes = 0;  // the body the real writers produce
};

// A correlation run: `params` (mode, interval, lags, window, coins) over `range`;
// `with_compat` adds the pooled compat rows before the tick rows (the API's default reply).
CostEstimate EstimateCorrelationCost(const DataShape& shape, const AnalysisParams& params,
                                     const TimeRange& range, bool with_compat, RowFormat format);

// A bar series (/series): gap-free bars of `interval` over `range` (or the data's extent) per
// selected symbol, thinned to at most max_points each.
struct SeriesParams {
  std::vector<std::string> coins;  // empty keeps all
  TimeRange range;
  Interval interval = Interval::Fixed(60 * kNanosPerSecond);
  std::optional<std::int64_t> max_points;
};
CostEstimate EstimateSeriesCost(const DataShape& shape, const SeriesParams& params,
                                RowFormat format);

// The most one request may cost. The defaults are a contract with the server's 150 MB memory
// target on a 2-core machine: whatever a request asks, an accepted one holds at most
//   - max_bars bars: a series bar is about 100 bytes and a bars-mode bar about 80, and a
//     series holds one symbol's bars at a time, so at most 50 MB;
//   - max_pairs pairs: 16 bytes each while a window is open and at most 36 more each while
//     ranked, so a scan with every pair in one window stays near 100 MB, and the work
//     (joining, filing and ranking) stays within a few seconds of one core;
//   - max_rows rows: about 600 bytes each in memory before they are written;
//   - max_reply_bytes of reply, built whole and cached, so at most twice that.
// `analyze` applies the same defaults; its --max-* options raise them for a one-off run.
struct CostLimits {
  std::int64_t max_rows = 100'000;
  std::int64_t max_bars = 500'000;
  std::int64_t max_pairs = 5'000'000;
  std::int64_t max_reply_bytes = std::int64_t{32} << 20;
};

// What a limit measures, for messages: its name in a query or config and as a CLI option.
enum class CostMeasure { kRows, kBars, kPairs, kReplyBytes };

// How names are spelled in a refusal: a query's (`window`, `max_rows`) or the command line's
// (`--window`, `--max-rows`).
enum class NameStyle { kQuery, kOption };

// A request over a limit: the parameter to change, the limit exceeded and by how much.
struct CostRefusal {
  std::string parameter;  // window, interval, lags, from, max_points or coin
  std::string value;      // the parameter's value as a user would write it; may be empty
  CostMeasure measure = CostMeasure::kRows;
  std::int64_t estimate = 0;
  std::int64_t limit = 0;
  std::string advice;  // what to do, e.g. "use a longer window or a shorter range"

  // e.g. "window=1ms implies ~2,400,000 rows over the limit of 100,000 (max_rows); use a
  // longer window or a shorter range"
  std::string Describe(NameStyle style) const;
  // Describe as a kUsage error.
  Error ToError(NameStyle style) const;
};

// The first limit `estimate` exceeds (rows, bars, pairs, reply bytes in that order), blamed
// on the parameter that drives it; nullopt within every limit.
std::optional<CostRefusal> CheckCorrelationCost(const CostEstimate& estimate,
                                                const CostLimits& limits,
                                                const AnalysisParams& params);
std::optional<CostRefusal> CheckSeriesCost(const CostEstimate& estimate, const CostLimits& limits,
                                           const SeriesParams& params);

// The limit's name: max_rows / --max-rows, ..., max_reply_mb / --max-reply-mb.
std::string LimitName(CostMeasure measure, NameStyle style);

}  // namespace cryptomood
