#include "http/computed_replies.h"

#include <algorithm>
#include <vector>

#include "core/bar_series.h"
#include "core/causality.h"
#include "core/status_macros.h"
#include "http/row_stream_writer.h"
#include "io/causality_writer.h"
#include "io/correlation_row_json.h"
#include "io/diagnostics_writer.h"
#include "io/json_writer.h"
#include "io/result_writer.h"
#include "store/market_data_from_store.h"

namespace cryptomood::http {
namespace {

// Rows or bars written between two polls of the cancellation token.
constexpr std::uint64_t kRowsPerPoll = 1024;

Result<std::vector<CorrelationRow>> AnalyzeStored(const MarketData& data,
                                                  const CorrelationRequest& request,
                                                  const CancellationToken& cancel) {
  if (!request.with_compat) return Analyze(data, request.params, cancel);
  AnalysisParams compat = request.params;
  compat.mode = AnalysisMode::kCompat;
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, Analyze(data, compat, cancel));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto tick, Analyze(data, request.params, cancel));
  rows.insert(rows.end(), tick.begin(), tick.end());
  return rows;
}

// The reply body; empty when `cancel` is cancelled midway (the caller checks the token).
std::string CorrelationBody(const std::vector<CorrelationRow>& rows, ResponseFormat format,
                            const CancellationToken& cancel) {
  if (format == ResponseFormat::kCsv) return ResultsToCsv(rows);
  PollEvery poll(cancel, kRowsPerPoll);
  JsonWriter writer;
  std::string body;
  if (format == ResponseFormat::kNdjson) {
    for (const CorrelationRow& row : rows) {
      if (poll.Tick()) return {};
      writer.Clear();
      WriteCorrelationRowObject(writer, row);
      body += writer.view();
      body += '\n';
    }
    return body;
  }
  writer.StartObject();
  writer.Key("data");
  writer.StartArray();
  for (const CorrelationRow& row : rows) {
    if (poll.Tick()) return {};
    WriteCorrelationRowObject(writer, row);
  }
  writer.EndArray();
  writer.EndObject();
  body = writer.view();
  body += '\n';
  return body;
}

void WriteBar(RowStreamWriter& writer, const SymbolInfo& symbol, const std::string& coin,
              const SeriesBar& bar) {
  writer.BeginRow();
  writer.String("symbol_id", symbol.symbol_id);
  writer.String("coin", coin);
  writer.Timestamp("bar_start", bar.start);
  writer.OptionalDouble("close", bar.close);
  writer.OptionalDouble("vwap", bar.vwap);
  writer.Double("volume", bar.volume);
  writer.Int("trades", bar.trades);
  writer.OptionalDouble("return", bar.log_return);
  writer.OptionalDouble("sentiment", bar.sentiment);
  writer.Int("tweets", bar.tweets);
  writer.Bool("incomplete", bar.incomplete);
  writer.EndRow();
}

}  // namespace

Result<std::shared_ptr<const StoredMarketData>> LoadStoredMarketData(Store& store,
                                                                     const TimeRange& range) {
  StoreLoadOptions load;
  load.range = range;
  load.all_sentiment = true;
  auto stored = std::make_shared<StoredMarketData>();
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto input,
                              LoadMarketDataFromStore(store, load, &stored->trade_orders));
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto data_end, store.LatestTradeTimestamp());
  stored->data = std::move(input.data);
  // The server keeps these until the next ingest: no spare capacity.
  stored->data.ShrinkToFit();
  stored->data_end = data_end;
  return std::shared_ptr<const StoredMarketData>(std::move(stored));
}

Result<std::string> ComputeCorrelationReply(const StoredMarketData& stored,
                                            const CorrelationRequest& request,
                                            const CancellationToken& cancel) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, AnalyzeStored(stored.data, request, cancel));
  std::string body = CorrelationBody(rows, request.format, cancel);
  if (cancel.cancelled()) return cancel.CancelledError();
  return body;
}

Status WriteStreamCorrelationReply(Store& store, const CorrelationRequest& request,
                                   std::optional<std::int64_t> through_sequence,
                                   const ReplyWriter& write) {
  const bool json = request.format == ResponseFormat::kJson;
  StreamRowQuery query;
  query.params_key = request.stream_key;
  query.coins = request.params.coins;
  query.range = request.range;
  query.through_sequence = through_sequence;
  query.limit = 0;  // every matching row: they are streamed, not held
  const auto put = [&write](std::string_view bytes) { return bytes.empty() || write(bytes); };
  const Error gone{"the client stopped reading"};
  if (!put(json ? "{\"data\":[" : "")) return gone;
  bool first = true;
  CRYPTOMOOD_RETURN_IF_ERROR(store.ForEachStreamRow(query, [&](const StoredStreamRow& row) {
    const std::string_view before = json && !first ? "," : "";
    first = false;
    if (put(before) && put(row.row_json) && put(json ? "" : "\n")) return Status();
    return Status(gone);
  }));
  if (!put(json ? "]}\n" : "")) return gone;
  return {};
}

Result<std::string> ComputeSeriesReply(const StoredMarketData& stored, const SeriesRequest& request,
                                       const CancellationToken& cancel) {
  const MarketData& data = stored.data;
  std::vector<SymbolIndex> symbols;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    const std::string& coin = data.coins()[data.symbols()[symbol].coin];
    if (request.coins.empty() ||
        std::find(request.coins.begin(), request.coins.end(), coin) != request.coins.end()) {
      symbols.push_back(symbol);
    }
  }
  std::sort(symbols.begin(), symbols.end(), [&](SymbolIndex a, SymbolIndex b) {
    return data.symbols()[a].symbol_id < data.symbols()[b].symbol_id;
  });

  std::string body;
  RowStreamWriter writer(request.format, /*paged=*/false, [&](std::string_view bytes) {
    body += bytes;
    return true;
  });
  BarSeriesSpan span;
  span.interval = request.interval;
  span.range = request.range;
  span.data_end = stored.data_end;
  PollEvery poll(cancel, kRowsPerPoll);
  for (const SymbolIndex symbol : symbols) {
    const SymbolInfo& info = data.symbols()[symbol];
    CRYPTOMOOD_ASSIGN_OR_RETURN(
        auto bars, BuildBarSeries(data.trades(symbol), data.sentiment(info.coin), span, cancel));
    std::vector<SeriesBar> shown =
        request.max_points ? DownsampleExtremes(std::move(bars), *request.max_points, cancel)
                           : std::move(bars);
    for (const SeriesBar& bar : shown) {
      if (poll.Tick()) return cancel.CancelledError();
      WriteBar(writer, info, data.coins()[info.coin], bar);
    }
  }
  if (cancel.cancelled()) return cancel.CancelledError();
  writer.Finish(std::nullopt);
  return body;
}

DiagnosticsParams DiagnosticsParamsOf(const DiagnosticsRequest& request,
                                      std::optional<TimestampNs> data_end) {
  DiagnosticsParams params;
  params.interval = request.interval;
  params.coins = request.coins;
  params.range = request.range;
  params.data_end = data_end;
  return params;
}

Result<std::string> ComputeDiagnosticsReply(const StoredMarketData& stored,
                                            const DiagnosticsRequest& request,
                                            const CancellationToken& cancel) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(
      auto rows,
      RunDiagnostics(stored.data, DiagnosticsParamsOf(request, stored.data_end), cancel));
  return DiagnosticsToJson(rows);
}

Result<std::string> ComputeCausalityReply(const StoredMarketData& stored,
                                          const CausalityRequest& request,
                                          const CancellationToken& cancel) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows,
                              AnalyzeCausality(stored.data, request.params, request.lags, cancel));
  return CausalityToJson(rows);
}

Result<std::string> ComputeSymbolsReply(Store& store, ResponseFormat format) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(auto symbols, store.ListSymbols());
  std::string body;
  RowStreamWriter writer(format, /*paged=*/false, [&body](std::string_view bytes) {
    body += bytes;
    return true;
  });
  for (const SymbolRecord& symbol : symbols) {
    writer.BeginRow();
    writer.String("symbol_id", symbol.symbol_id);
    writer.String("coin", symbol.base);
    writer.String("quote", symbol.quote);
    writer.EndRow();
  }
  writer.Finish(std::nullopt);
  return body;
}

}  // namespace cryptomood::http
