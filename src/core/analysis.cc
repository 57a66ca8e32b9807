#include "core/analysis.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <queue>
#include <thread>

#include "core/bars_correlation.h"
#include "core/diagnostics.h"
#include "core/ranking_helpers.h"
#include "core/status_macros.h"
#include "core/tick_correlation.h"
#include "core/window_rows.h"

namespace cryptomood {
namespace {

constexpr int kMaxAbsoluteLag = 10'000;

Error UsageError(std::string message) { return Error{std::move(message), ErrorKind::kUsage}; }

// Events between two polls of the cancellation token while feeding an operator: a few
// hundred microseconds of joining or bar building.
constexpr std::uint64_t kEventsPerPoll = 4096;

// Delivers both series to the operator in time order, sentiment first at equal timestamps,
// which is the order AsofJoiner and the bar builders require. `for_each_trade(visit)` calls
// visit on each trade in time order until visit returns false. False when cancelled midway.
template <typename Operator, typename ForEachTrade>
bool FeedInTimeOrder(std::span<const SentimentPoint> sentiment, ForEachTrade&& for_each_trade,
                     Operator& op, const CancellationToken& cancel) {
  PollEvery poll(cancel, kEventsPerPoll);
  std::size_t next_sentiment = 0;
  bool stopped = false;
  for_each_trade([&](const TradePoint& trade) {
    while (next_sentiment < sentiment.size() &&
           sentiment[next_sentiment].timestamp <= trade.timestamp) {
      op.OnSentiment(sentiment[next_sentiment++]);
      if (poll.Tick()) return !(stopped = true);
    }
    op.OnTrade(trade);
    return !(stopped = poll.Tick());
  });
  for (; next_sentiment < sentiment.size() && !stopped; ++next_sentiment) {
    op.OnSentiment(sentiment[next_sentiment]);
    stopped = poll.Tick();
  }
  return !stopped;
}

auto EachOf(std::span<const TradePoint> trades) {
  return [trades](auto&& visit) {
    for (const TradePoint& trade : trades) {
      if (!visit(trade)) return;
    }
  };
}

// Visits the trades of several time-ordered series as one series in time order. Equal
// timestamps come in the order of `series`, then each series' own order: what a stable sort
// of their concatenation gives, without the copy (two, with the sort's buffer) that costs.
auto MergedInTimeOrder(std::span<const std::span<const TradePoint>> series) {
  return [series](auto&& visit) {
    using Head = std::pair<TimestampNs, std::size_t>;  // next timestamp, series index
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    std::vector<std::size_t> next(series.size(), 0);
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (!series[i].empty()) heads.emplace(series[i].front().timestamp, i);
    }
    while (!heads.empty()) {
      const std::size_t i = heads.top().second;
      heads.pop();
      if (!visit(series[i][next[i]])) return;
      if (++next[i] < series[i].size()) heads.emplace(series[i][next[i]].timestamp, i);
    }
  };
}

// RunTick and RunBars return the rows of one series; cut short (incomplete rows) once the
// token is cancelled, which the caller then reports instead of the rows.
template <typename ForEachTrade>
std::vector<CorrelationRow> RunTick(const SeriesIdentity& identity, const AnalysisParams& params,
                                    std::span<const SentimentPoint> sentiment,
                                    ForEachTrade&& for_each_trade, std::size_t trade_count,
                                    SpearmanScratch& scratch, const CancellationToken& cancel) {
  TickCorrelation correlation(EffectiveDirection(params), params.tolerance_nanos, params.window,
                              trade_count);
  std::vector<CorrelationRow> rows;
  if (!FeedInTimeOrder(sentiment, for_each_trade, correlation, cancel)) return rows;
  // Reserved, not grown: growing copies every row made so far in one stretch.
  rows.reserve(correlation.open_windows());
  bool stopped = false;
  correlation.Finish([&](const WindowBounds& window, CorrelationAccumulator&& accumulator) {
    // A closed window's pairs are freed here whether or not its row is made.
    const CorrelationAccumulator pairs = std::move(accumulator);
    if (stopped || (stopped = cancel.StopRequested())) return;
    rows.push_back(TickWindowRow(identity, params, window, pairs, scratch));
  });
  return rows;
}

std::vector<CorrelationRow> RunBars(const SeriesIdentity& identity, const AnalysisParams& params,
                                    std::span<const SentimentPoint> sentiment,
                                    std::span<const TradePoint> trades, SpearmanScratch& scratch,
                                    const CancellationToken& cancel) {
  BarsCorrelation correlation(params.interval, params.lags, params.window);
  std::vector<CorrelationRow> rows;
  if (!FeedInTimeOrder(sentiment, EachOf(trades), correlation, cancel)) return rows;
  rows.reserve(correlation.open_windows() * static_cast<std::size_t>(params.lags.size()));
  bool stopped = false;
  correlation.Finish(
      [&](const WindowBounds& window, BarsCorrelation::LagAccumulators&& by_lag) {
        const BarsCorrelation::LagAccumulators pairs = std::move(by_lag);
        if (stopped || (stopped = cancel.StopRequested())) return;
        stopped = !AppendBarsWindowRows(identity, params, window, pairs, scratch, rows, cancel);
      },
      cancel);
  return rows;
}

bool CoinSelected(const AnalysisParams& params, const std::string& coin) {
  return params.coins.empty() ||
         std::find(params.coins.begin(), params.coins.end(), coin) != params.coins.end();
}

std::vector<CorrelationRow> RunCompat(const MarketData& data, const AnalysisParams& params,
                                      const std::vector<SymbolIndex>& symbols,
                                      SpearmanScratch& scratch, const CancellationToken& cancel) {
  // The notebook's figure pools every trade, in time order, ties in symbol order.
  std::vector<std::span<const TradePoint>> series;
  series.reserve(symbols.size());
  std::size_t trade_count = 0;
  for (SymbolIndex symbol : symbols) {
    series.push_back(data.trades(symbol));
    trade_count += series.back().size();
  }
  return RunTick(SeriesIdentity{"*", "*"}, params, data.all_sentiment(), MergedInTimeOrder(series),
                 trade_count, scratch, cancel);
}

using AnalysisTask = std::function<void(SpearmanScratch&)>;

// Runs tasks on up to `threads` threads; each task writes only its own output slot. Each
// thread has its own Spearman working memory (tens of MB for a million pairs), reused across
// its tasks and freed when the analysis ends, so a long-running server does not keep it.
// With `options.share_rankings`, a thread out of tasks helps the others rank until all are done.
void RunInParallel(std::vector<AnalysisTask>& tasks, int threads, const AnalysisOptions& options,
                   const CancellationToken& cancel) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> unfinished{tasks.size()};
  RankingHelpers helpers;
  if (tasks.empty()) helpers.Close();
  auto worker = [&] {
    SpearmanScratch scratch(options.spearman_compact_from);
    scratch.StopWhen(cancel);
    if (options.share_rankings) scratch.ShareRankingsWith(&helpers);
    for (std::size_t task = next++; task < tasks.size(); task = next++) {
      tasks[task](scratch);
      if (--unfinished == 0) helpers.Close();
    }
    if (options.share_rankings) helpers.Serve(scratch);
  };
  const auto extra = static_cast<std::size_t>(std::max(threads, 1) - 1);
  std::vector<std::jthread> helper_threads;
  for (std::size_t i = 0; i < std::min(extra, tasks.size()); ++i) {
    helper_threads.emplace_back(worker);
  }
  worker();
}

}  // namespace

std::string_view ToString(AnalysisMode mode) {
  switch (mode) {
    case AnalysisMode::kTick:
      return "tick";
    case AnalysisMode::kCompat:
      return "compat";
    case AnalysisMode::kBars:
      return "bars";
  }
  return "?";
}

std::string_view ToString(JoinDirection direction) {
  switch (direction) {
    case JoinDirection::kBackward:
      return "backward";
    case JoinDirection::kForward:
      return "forward";
    case JoinDirection::kNearest:
      return "nearest";
  }
  return "?";
}

Result<AnalysisMode> ParseAnalysisMode(std::string_view text) {
  for (AnalysisMode mode : {AnalysisMode::kTick, AnalysisMode::kCompat, AnalysisMode::kBars}) {
    if (text == ToString(mode)) return mode;
  }
  return UsageError("mode must be one of tick, bars, compat (got '" + std::string(text) + "')");
}

Result<JoinDirection> ParseJoinDirection(std::string_view text) {
  for (JoinDirection direction :
       {JoinDirection::kBackward, JoinDirection::kForward, JoinDirection::kNearest}) {
    if (text == ToString(direction)) return direction;
  }
  return UsageError("direction must be one of backward, forward, nearest (got '" +
                    std::string(text) + "')");
}

Result<LagRange> ParseLagRange(std::string_view text) {
  const auto parse_lag = [](std::string_view digits, int& lag) {
    const char* begin = digits.data();
    if (!digits.empty() && digits.front() == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, digits.data() + digits.size(), lag);
    return error == std::errc() && end == digits.data() + digits.size() && begin != end &&
           std::abs(lag) <= kMaxAbsoluteLag;
  };
  const std::size_t colon = text.find(':');
  LagRange lags;
  const bool ok = colon == std::string_view::npos
                      ? parse_lag(text, lags.first) && parse_lag(text, lags.last)
                      : parse_lag(text.substr(0, colon), lags.first) &&
                            parse_lag(text.substr(colon + 1), lags.last);
  if (!ok || lags.first > lags.last) {
    return UsageError("lags must be A:B with integers -" + std::to_string(kMaxAbsoluteLag) +
                      " <= A <= B <= " + std::to_string(kMaxAbsoluteLag) + " (got '" +
                      std::string(text) + "')");
  }
  return lags;
}

JoinDirection EffectiveDirection(const AnalysisParams& params) {
  if (params.direction) return *params.direction;
  return params.mode == AnalysisMode::kCompat ? JoinDirection::kNearest : JoinDirection::kBackward;
}

Status ValidateAnalysisParams(const AnalysisParams& params) {
  if (params.mode != AnalysisMode::kBars && (params.lags.first != 0 || params.lags.last != 0)) {
    return UsageError("lags other than 0:0 need --mode bars (a lag counts bars)");
  }
  if (params.mode == AnalysisMode::kCompat && params.direction &&
      *params.direction != JoinDirection::kNearest) {
    return UsageError(
        "compat mode reproduces the notebook's nearest join; direction must be nearest");
  }
  if (params.mode == AnalysisMode::kBars && (params.direction || params.tolerance_nanos)) {
    return UsageError("direction and tolerance apply to tick and compat modes, not bars");
  }
  if (params.tolerance_nanos && *params.tolerance_nanos < 0) {
    return UsageError("tolerance must not be negative");
  }
  return Status::Ok();
}

namespace {

// Tick rows correlate price levels: when the symbol's log price at the run's interval looks like
// a unit root (ADF and KPSS, core/diagnostics.h), every row of the symbol says so. A series too
// long to bar (the bar backstop) or too short to test gets no warning.
void MarkNonStationaryLevels(const MarketData& data, SymbolIndex symbol,
                             const AnalysisParams& params, std::vector<CorrelationRow>& rows,
                             const CancellationToken& cancel) {
  if (rows.empty()) return;
  DiagnosticsParams diagnostics;
  diagnostics.interval = params.interval;
  const Result<StationarityVerdict> verdict = LogPriceVerdict(data, symbol, diagnostics, cancel);
  if (!verdict.ok() || *verdict != StationarityVerdict::kUnitRoot) return;
  for (CorrelationRow& row : rows) row.warning = "levels_nonstationary";
}

}  // namespace

Result<std::vector<CorrelationRow>> Analyze(const MarketData& data, const AnalysisParams& params,
                                            const CancellationToken& cancel,
                                            const AnalysisOptions& options) {
  CRYPTOMOOD_RETURN_IF_ERROR(ValidateAnalysisParams(params));
  if (cancel.StopRequested()) return cancel.CancelledError();

  std::vector<SymbolIndex> symbols;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    if (CoinSelected(params, data.coins()[data.symbols()[symbol].coin])) symbols.push_back(symbol);
  }
  std::sort(symbols.begin(), symbols.end(), [&](SymbolIndex a, SymbolIndex b) {
    return data.symbols()[a].symbol_id < data.symbols()[b].symbol_id;
  });

  std::vector<std::vector<CorrelationRow>> per_task;
  std::vector<AnalysisTask> tasks;
  if (params.mode == AnalysisMode::kCompat) {
    per_task.resize(1);
    tasks.emplace_back([&](SpearmanScratch& scratch) {
      per_task[0] = RunCompat(data, params, symbols, scratch, cancel);
    });
  } else {
    per_task.resize(symbols.size());
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      tasks.emplace_back([&, i](SpearmanScratch& scratch) {
        if (cancel.StopRequested()) return;
        const SymbolInfo& info = data.symbols()[symbols[i]];
        const SeriesIdentity identity{info.symbol_id, data.coins()[info.coin]};
        const auto sentiment = data.sentiment(info.coin);
        const auto trades = data.trades(symbols[i]);
        per_task[i] = params.mode == AnalysisMode::kBars
                          ? RunBars(identity, params, sentiment, trades, scratch, cancel)
                          : RunTick(identity, params, sentiment, EachOf(trades), trades.size(),
                                    scratch, cancel);
        // A run cut short has no answer to warn about (and polls no more).
        if (params.mode == AnalysisMode::kTick && !cancel.cancelled()) {
          MarkNonStationaryLevels(data, symbols[i], params, per_task[i], cancel);
        }
      });
    }
  }
  RunInParallel(tasks, params.threads, options, cancel);
  // A task cut short left incomplete rows: none of them is an answer.
  if (cancel.cancelled()) return cancel.CancelledError();

  std::size_t row_count = 0;
  for (const auto& task_rows : per_task) row_count += task_rows.size();
  std::vector<CorrelationRow> rows;
  rows.reserve(row_count);
  PollEvery poll(cancel, kEventsPerPoll);
  for (auto& task_rows : per_task) {
    for (auto& row : task_rows) {
      if (poll.Tick()) return cancel.CancelledError();
      rows.push_back(std::move(row));
    }
    std::vector<CorrelationRow>().swap(task_rows);  // freed as soon as it is moved
  }
  return rows;
}

}  // namespace cryptomood
