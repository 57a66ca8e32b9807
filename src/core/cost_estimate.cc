#include "core/cost_estimate.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace cryptomood {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

std::int64_t SaturatingAdd(std::int64_t a, std::int64_t b) {
  return a > kInt64Max - b ? kInt64Max : a + b;
}

std::int64_t SaturatingMul(std::int64_t a, std::int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kInt64Max / b ? kInt64Max : a * b;
}

// The bytes of one row beyond its symbol_id and coin, at the longest each field can print
// (shortest round-trip doubles, RFC 3339 microsecond timestamps), and of the reply's envelope.
// The formats are those of io/correlation_row_json.cc, io/result_writer.cc and
// http/row_stream_writer.cc; tests/http/request_cost_test.cc checks them against the writers.
struct RowBytes {
  std::int64_t per_row;
  std::int64_t envelope;
};

RowBytes CorrelationRowBytes(RowFormat format) {
  switch (format) {
    case RowFormat::kJson:
      return {1300, 16};
    case RowFormat::kNdjson:
      return {1300, 0};
    case RowFormat::kCsv:
      return {750, 700};
  }
  return {1300, 16};
}

RowBytes SeriesRowBytes(RowFormat format) {
  switch (format) {
    case RowFormat::kJson:
      return {340, 16};
    case RowFormat::kNdjson:
      return {340, 0};
    case RowFormat::kCsv:
      return {220, 128};
  }
  return {340, 16};
}

bool CoinSelected(const std::vector<std::string>& coins, const std::string& coin) {
  return coins.empty() || std::find(coins.begin(), coins.end(), coin) != coins.end();
}

// Buckets of `interval` from the one holding `first` to the one holding `last`, both within
// `range`; 0 when the clipped span is empty.
std::int64_t BucketsSpanned(const Interval& interval, std::optional<TimestampNs> first,
                            std::optional<TimestampNs> last, const TimeRange& range) {
  if (!first || !last) return 0;
  TimestampNs from = *first;
  TimestampNs to = *last;
  if (range.from) from = std::max(from, *range.from);
  if (range.to) to = std::min(to, *range.to - 1);
  if (from > to) return 0;
  return SaturatingAdd(interval.BucketIndex(to) - interval.BucketIndex(from), 1);
}

// Windows holding at least one of `count` points spread from first to last.
std::int64_t WindowsUsed(const std::optional<Interval>& window, std::int64_t count,
                         std::optional<TimestampNs> first, std::optional<TimestampNs> last,
                         const TimeRange& range) {
  if (count == 0) return 0;
  if (!window) return 1;
  return std::min(count, BucketsSpanned(*window, first, last, range));
}

std::optional<TimestampNs> Earlier(std::optional<TimestampNs> a, std::optional<TimestampNs> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

std::optional<TimestampNs> Later(std::optional<TimestampNs> a, std::optional<TimestampNs> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// Adds `rows` rows of `symbol` to the estimate, with their bytes.
void AddRows(CostEstimate& estimate, std::int64_t rows, std::size_t name_bytes,
             const RowBytes& bytes) {
  estimate.rows = SaturatingAdd(estimate.rows, rows);
  const auto row_bytes = bytes.per_row + static_cast<std::int64_t>(name_bytes);
  estimate.reply_bytes = SaturatingAdd(estimate.reply_bytes, SaturatingMul(rows, row_bytes));
}

// The pooled compat series: every selected symbol's trades, one row per window used.
void AddCompat(CostEstimate& estimate, const std::vector<const SymbolShape*>& symbols,
               const AnalysisParams& params, const TimeRange& range, const RowBytes& bytes) {
  std::int64_t trades = 0;
  std::optional<TimestampNs> first;
  std::optional<TimestampNs> last;
  for (const SymbolShape* symbol : symbols) {
    trades = SaturatingAdd(trades, symbol->trades);
    first = Earlier(first, symbol->first_trade);
    last = Later(last, symbol->last_trade);
  }
  estimate.pairs = SaturatingAdd(estimate.pairs, trades);
  AddRows(estimate, WindowsUsed(params.window, trades, first, last, range), 2, bytes);
}

void AddTick(CostEstimate& estimate, const SymbolShape& symbol, const AnalysisParams& params,
             const TimeRange& range, const RowBytes& bytes) {
  estimate.pairs = SaturatingAdd(estimate.pairs, symbol.trades);
  AddRows(estimate,
          WindowsUsed(params.window, symbol.trades, symbol.first_trade, symbol.last_trade, range),
          symbol.symbol_id.size() + symbol.coin.size(), bytes);
}

// Bars mode builds a bar per interval holding a trade and one holding a tweet; each sentiment
// bar tries every lag, and each window holding a sentiment bar gets a row per lag.
void AddBars(CostEstimate& estimate, const SymbolShape& symbol, const AnalysisParams& params,
             const TimeRange& range, const RowBytes& bytes) {
  const std::int64_t price_bars = std::min(
      symbol.trades, BucketsSpanned(params.interval, symbol.first_trade, symbol.last_trade, range));
  const std::int64_t sentiment_bars = std::min(
      symbol.tweets, BucketsSpanned(params.interval, symbol.first_tweet, symbol.last_tweet, range));
  if (price_bars == 0) return;  // no return, no pair, no row
  const std::int64_t lags = params.lags.size();
  estimate.bars = SaturatingAdd(estimate.bars, SaturatingAdd(price_bars, sentiment_bars));
  estimate.pairs = SaturatingAdd(estimate.pairs, SaturatingMul(sentiment_bars, lags));
  const std::int64_t windows =
      WindowsUsed(params.window, sentiment_bars, symbol.first_tweet, symbol.last_tweet, range);
  AddRows(estimate, SaturatingMul(windows, lags), symbol.symbol_id.size() + symbol.coin.size(),
          bytes);
}

std::string WithThousands(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

std::string LagText(const LagRange& lags) {
  return std::to_string(lags.first) + ":" + std::to_string(lags.last);
}

CostRefusal Refuse(CostMeasure measure, std::int64_t estimate, std::int64_t limit,
                   std::string parameter, std::string value, std::string advice) {
  return CostRefusal{std::move(parameter), std::move(value), measure, estimate, limit,
                     std::move(advice)};
}

// The parameter that multiplies the `rows` result rows (and so the reply bytes) of a
// correlation run: the window, or the lag scan when it has more lags than there are windows.
CostRefusal BlameRows(CostMeasure measure, std::int64_t estimate, std::int64_t limit,
                      std::int64_t rows, const AnalysisParams& params) {
  const bool lag_scan = params.mode == AnalysisMode::kBars && params.lags.size() > 1;
  const bool lags_dominate = lag_scan && params.lags.size() > rows / params.lags.size();
  if (params.window && !lags_dominate) {
    return Refuse(measure, estimate, limit, "window", params.window->ToString(),
                  "use a longer window or a shorter range");
  }
  if (lag_scan) {
    return Refuse(measure, estimate, limit, "lags", LagText(params.lags),
                  "use a narrower lag range");
  }
  return Refuse(measure, estimate, limit, "coin", "", "select fewer coins");
}

CostRefusal BlameBars(std::int64_t estimate, std::int64_t limit, const Interval& interval) {
  return Refuse(CostMeasure::kBars, estimate, limit, "interval", interval.ToString(),
                "use a longer interval or a shorter range");
}

}  // namespace

DataShape ShapeOf(const MarketData& data) {
  DataShape shape;
  shape.all_tweets = static_cast<std::int64_t>(data.all_sentiment().size());
  shape.symbols.reserve(data.symbols().size());
  for (SymbolIndex index = 0; index < data.symbols().size(); ++index) {
    const SymbolInfo& info = data.symbols()[index];
    SymbolShape& symbol = shape.symbols.emplace_back();
    symbol.symbol_id = info.symbol_id;
    symbol.coin = data.coins()[info.coin];
    const auto trades = data.trades(index);
    symbol.trades = static_cast<std::int64_t>(trades.size());
    if (!trades.empty()) {
      symbol.first_trade = trades.front().timestamp;
      symbol.last_trade = trades.back().timestamp;
    }
    const auto tweets = data.sentiment(info.coin);
    symbol.tweets = static_cast<std::int64_t>(tweets.size());
    if (!tweets.empty()) {
      symbol.first_tweet = tweets.front().timestamp;
      symbol.last_tweet = tweets.back().timestamp;
    }
  }
  return shape;
}

CostEstimate EstimateCorrelationCost(const DataShape& shape, const AnalysisParams& params,
                                     const TimeRange& range, bool with_compat, RowFormat format) {
  const RowBytes bytes = CorrelationRowBytes(format);
  CostEstimate estimate;
  estimate.reply_bytes = bytes.envelope;
  std::vector<const SymbolShape*> selected;
  for (const SymbolShape& symbol : shape.symbols) {
    if (CoinSelected(params.coins, symbol.coin)) selected.push_back(&symbol);
  }
  if (with_compat || params.mode == AnalysisMode::kCompat) {
    AddCompat(estimate, selected, params, range, bytes);
  }
  if (params.mode == AnalysisMode::kCompat) return estimate;
  for (const SymbolShape* symbol : selected) {
    if (params.mode == AnalysisMode::kBars) {
      AddBars(estimate, *symbol, params, range, bytes);
    } else {
      AddTick(estimate, *symbol, params, range, bytes);
    }
  }
  return estimate;
}

CostEstimate EstimateSeriesCost(const DataShape& shape, const SeriesParams& params,
                                RowFormat format) {
  const RowBytes bytes = SeriesRowBytes(format);
  CostEstimate estimate;
  estimate.reply_bytes = bytes.envelope;
  for (const SymbolShape& symbol : shape.symbols) {
    if (!CoinSelected(params.coins, symbol.coin)) continue;
    // The span BuildBarSeries shows: the range's bounds, else the data's extent.
    std::optional<TimestampNs> first = params.range.from;
    std::optional<TimestampNs> last;
    if (params.range.to) last = *params.range.to - 1;
    if (!first) first = Earlier(symbol.first_trade, symbol.first_tweet);
    if (!last) last = Later(symbol.last_trade, symbol.last_tweet);
    const std::int64_t bars = BucketsSpanned(params.interval, first, last, params.range);
    estimate.bars = SaturatingAdd(estimate.bars, bars);
    const std::int64_t shown =
        params.max_points && *params.max_points >= 2 && bars > *params.max_points
            ? 2 * (*params.max_points / 2)
            : bars;
    AddRows(estimate, shown, symbol.symbol_id.size() + symbol.coin.size(), bytes);
  }
  return estimate;
}

std::optional<CostRefusal> CheckCorrelationCost(const CostEstimate& estimate,
                                                const CostLimits& limits,
                                                const AnalysisParams& params) {
  if (estimate.rows > limits.max_rows) {
    return BlameRows(CostMeasure::kRows, estimate.rows, limits.max_rows, estimate.rows, params);
  }
  if (estimate.bars > limits.max_bars) {
    return BlameBars(estimate.bars, limits.max_bars, params.interval);
  }
  if (estimate.pairs > limits.max_pairs) {
    if (params.mode == AnalysisMode::kBars && params.lags.size() > 1) {
      return Refuse(CostMeasure::kPairs, estimate.pairs, limits.max_pairs, "lags",
                    LagText(params.lags), "use a narrower lag range or a longer interval");
    }
    return Refuse(CostMeasure::kPairs, estimate.pairs, limits.max_pairs, "from", "",
                  "use a shorter range (from/to) or fewer coins");
  }
  if (estimate.reply_bytes > limits.max_reply_bytes) {
    return BlameRows(CostMeasure::kReplyBytes, estimate.reply_bytes, limits.max_reply_bytes,
                     estimate.rows, params);
  }
  return std::nullopt;
}

std::optional<CostRefusal> CheckSeriesCost(const CostEstimate& estimate, const CostLimits& limits,
                                           const SeriesParams& params) {
  if (estimate.bars > limits.max_bars) {
    return BlameBars(estimate.bars, limits.max_bars, params.interval);
  }
  if (estimate.rows > limits.max_rows || estimate.reply_bytes > limits.max_reply_bytes) {
    const bool rows = estimate.rows > limits.max_rows;
    return Refuse(rows ? CostMeasure::kRows : CostMeasure::kReplyBytes,
                  rows ? estimate.rows : estimate.reply_bytes,
                  rows ? limits.max_rows : limits.max_reply_bytes, "max_points",
                  params.max_points ? std::to_string(*params.max_points) : "",
                  "set a smaller max_points or a longer interval");
  }
  return std::nullopt;
}

std::string LimitName(CostMeasure measure, NameStyle style) {
  const bool option = style == NameStyle::kOption;
  switch (measure) {
    case CostMeasure::kRows:
      return option ? "--max-rows" : "max_rows";
    case CostMeasure::kBars:
      return option ? "--max-bars" : "max_bars";
    case CostMeasure::kPairs:
      return option ? "--max-pairs" : "max_pairs";
    case CostMeasure::kReplyBytes:
      return option ? "--max-reply-mb" : "max_reply_mb";
  }
  return "?";
}

std::string CostRefusal::Describe(NameStyle style) const {
  const std::string name = style == NameStyle::kOption ? "--" + parameter : parameter;
  std::string subject;
  if (parameter == "from") {
    subject = style == NameStyle::kOption ? "the range (--from/--to)" : "the range (from/to)";
  } else if (value.empty()) {
    subject = "the request";
  } else {
    subject = name + (style == NameStyle::kOption ? " " : "=") + value;
  }
  std::string amounts;
  if (measure == CostMeasure::kReplyBytes) {
    constexpr std::int64_t kMiB = std::int64_t{1} << 20;
    amounts = "a reply of ~" + WithThousands((estimate + kMiB - 1) / kMiB) +
              " MB over the limit of " + WithThousands(limit / kMiB) + " MB";
  } else {
    const char* unit = measure == CostMeasure::kRows   ? " rows"
                       : measure == CostMeasure::kBars ? " bars"
                                                       : " pairs";
    amounts = "~" + WithThousands(estimate) + unit + " over the limit of " + WithThousands(limit);
  }
  return subject + " implies " + amounts + " (" + LimitName(measure, style) + "); " + advice;
}

Error CostRefusal::ToError(NameStyle style) const {
  return Error{Describe(style), ErrorKind::kUsage};
}

}  // namespace cryptomood
