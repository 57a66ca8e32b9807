#include "core/causality.h"

#include <algorithm>
#include <charconv>
#include <span>

#include "core/bar_series.h"
#include "core/multiple_testing.h"
#include "core/status_macros.h"

namespace cryptomood {
namespace {

// The largest fixed order accepted: the unrestricted design holds 2P + 1 columns per bar.
constexpr std::size_t kMaxGrangerLags = 100;

bool CoinSelected(const AnalysisParams& params, const std::string& coin) {
  return params.coins.empty() ||
         std::find(params.coins.begin(), params.coins.end(), coin) != params.coins.end();
}

// One symbol's bars in one window, as the two gapped series the tests read.
struct WindowSeries {
  WindowBounds window;
  std::vector<std::optional<double>> returns;
  std::vector<std::optional<double>> sentiment;
};

// The bars cut into windows (one window with null bounds when there is no window interval).
std::vector<WindowSeries> SplitIntoWindows(const std::vector<SeriesBar>& bars,
                                           const std::optional<Interval>& window) {
  std::vector<WindowSeries> out;
  for (const SeriesBar& bar : bars) {
    const std::optional<TimestampNs> start =
        window ? std::optional<TimestampNs>(window->Floor(bar.start)) : std::nullopt;
    if (out.empty() || out.back().window.start != start) {
      WindowSeries& added = out.emplace_back();
      added.window.start = start;
      if (start) added.window.end = window->Next(*start);
    }
    out.back().returns.push_back(bar.log_return);
    out.back().sentiment.push_back(bar.sentiment);
  }
  return out;
}

CausalityRow MakeRow(const SymbolInfo& info, const std::string& coin, const AnalysisParams& params,
                     const WindowSeries& series, CausalitySeries cause, std::size_t lags) {
  CausalityRow row;
  row.symbol_id = info.symbol_id;
  row.coin = coin;
  row.interval = params.interval;
  row.window = series.window;
  row.cause = cause;
  const bool sentiment_causes = cause == CausalitySeries::kSentiment;
  row.effect = sentiment_causes ? CausalitySeries::kReturns : CausalitySeries::kSentiment;
  row.test = sentiment_causes ? GrangerTest(series.sentiment, series.returns, lags)
                              : GrangerTest(series.returns, series.sentiment, lags);
  return row;
}

void AdjustAcrossRun(std::vector<CausalityRow>& rows) {
  std::vector<std::optional<double>> p_values;
  p_values.reserve(rows.size());
  for (const CausalityRow& row : rows) p_values.push_back(row.test.p_value);
  const std::vector<std::optional<double>> adjusted = HolmAdjust(p_values);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].p_value_adjusted = adjusted[i];
}

}  // namespace

std::string GrangerLags::ToString() const {
  return fixed ? std::to_string(*fixed) : std::string("auto");
}

Result<GrangerLags> ParseGrangerLags(std::string_view text) {
  if (text == "auto") return GrangerLags{};
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < 1 || value > kMaxGrangerLags) {
    return Error{"Granger lags must be auto or a whole number from 1 to " +
                     std::to_string(kMaxGrangerLags) + ", not '" + std::string(text) + "'",
                 ErrorKind::kUsage};
  }
  return GrangerLags{value};
}

std::string_view ToString(CausalitySeries series) {
  return series == CausalitySeries::kSentiment ? "sentiment" : "returns";
}

Result<std::vector<CausalityRow>> AnalyzeCausality(const MarketData& data,
                                                   const AnalysisParams& params,
                                                   const GrangerLags& lags,
                                                   const CancellationToken& cancel) {
  if (lags.fixed && (*lags.fixed < 1 || *lags.fixed > kMaxGrangerLags)) {
    return Error{"Granger lags must be from 1 to " + std::to_string(kMaxGrangerLags),
                 ErrorKind::kUsage};
  }
  std::vector<SymbolIndex> symbols;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    if (CoinSelected(params, data.coins()[data.symbols()[symbol].coin])) symbols.push_back(symbol);
  }
  std::sort(symbols.begin(), symbols.end(), [&](SymbolIndex a, SymbolIndex b) {
    return data.symbols()[a].symbol_id < data.symbols()[b].symbol_id;
  });

  BarSeriesSpan span;
  span.interval = params.interval;
  std::vector<CausalityRow> rows;
  for (const SymbolIndex symbol : symbols) {
    const SymbolInfo& info = data.symbols()[symbol];
    const std::string& coin = data.coins()[info.coin];
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto bars, BuildBarSeries(data.trades(symbol), data.sentiment(info.coin), span, cancel));
    for (const WindowSeries& series : SplitIntoWindows(bars, params.window)) {
      if (cancel.StopRequested()) return cancel.CancelledError();
      const std::size_t order =
          lags.fixed ? *lags.fixed : AutoGrangerLags(series.returns, series.sentiment);
      if (cancel.StopRequested()) return cancel.CancelledError();
      rows.push_back(MakeRow(info, coin, params, series, CausalitySeries::kSentiment, order));
      rows.push_back(MakeRow(info, coin, params, series, CausalitySeries::kReturns, order));
    }
  }
  if (cancel.StopRequested()) return cancel.CancelledError();
  AdjustAcrossRun(rows);
  return rows;
}

}  // namespace cryptomood
