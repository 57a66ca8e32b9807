// _cryptomood: the engine as a CPython extension (pybind11). The public face is the pure
// Python package python/cryptomood, which checks argument types, turns DataFrames into the
// column arrays read here and builds DataFrames from what comes back; this file binds:
//   load(...) -> Dataset          trades and sentiment from files or column arrays
//   Dataset.analyze(...) -> str   the analyze JSON document (results, inputs, causality)
//   Dataset.series(...) -> dict   the bars of /series as numpy columns
//   Dataset.causality(...) -> str  the causality JSON document
//   Dataset.diagnostics(...) -> str  the diagnostics CSV document (flat columns)
//   simulate(...) -> (dict, dict) simulated trades and tweets as columns
// Long calls run through RunInterruptibly: without the GIL, and Ctrl-C cancels them.
// Errors: bad parameter values raise ValueError naming the Python argument; unusable input
// (a missing file, a file of the wrong kind, a bad line under strict) raises InputError.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/analysis.h"
#include "core/bar_series.h"
#include "core/causality.h"
#include "core/cost_estimate.h"
#include "core/diagnostics.h"
#include "core/identifier.h"
#include "core/simulation.h"
#include "core/status_macros.h"
#include "core/taker_side.h"
#include "cryptomood_version.h"
#include "io/causality_writer.h"
#include "io/csv_line.h"
#include "io/diagnostics_writer.h"
#include "io/market_data_loader.h"
#include "io/planted_effect_spec.h"
#include "io/record_writer.h"
#include "io/result_writer.h"
#include "python/collected_rejects.h"
#include "python/frame_lines.h"
#include "python/frame_pipe.h"
#include "python/interruptible.h"

namespace py = pybind11;

namespace cryptomood::python {
namespace {

using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::object& InputErrorType() {
  static py::object type;
  return type;
}

// Raises the Python exception for an engine error; a usage error names its argument first.
[[noreturn]] void Raise(const Error& error) {
  if (error.kind == ErrorKind::kUsage) throw py::value_error(error.message);
  PyErr_SetString(InputErrorType().ptr(), error.message.c_str());
  throw py::error_already_set();
}

template <typename T>
T ValueOrRaise(Result<T> result) {
  if (!result) Raise(result.error());
  return std::move(*result);
}

void RaiseIfError(const Status& status) {
  if (!status) Raise(status.error());
}

// Parses `text` with `parse`, naming `argument` in the error.
template <typename Parse>
auto ParseArgument(const char* argument, const std::string& text, Parse&& parse) {
  auto parsed = parse(text);
  if (!parsed) throw py::value_error(std::string(argument) + ": " + parsed.error().message);
  return std::move(*parsed);
}

// ---- DataFrame inputs ----

template <typename Array>
Array Column(const py::dict& columns, const char* name, std::size_t rows,
             std::vector<py::object>& alive) {
  Array array = py::cast<Array>(columns[name]);
  if (array.ndim() != 1 || static_cast<std::size_t>(array.shape(0)) != rows) {
    throw py::value_error(std::string("column ") + name + " has the wrong length");
  }
  alive.push_back(array);
  return array;
}

template <typename T>
std::span<const T> SpanOf(const py::array_t<T, py::array::c_style | py::array::forcecast>& array) {
  return {array.data(), static_cast<std::size_t>(array.shape(0))};
}

bool IsMissingCell(py::handle cell) {
  if (cell.is_none()) return true;
  if (!PyFloat_Check(cell.ptr())) return false;
  const double value = PyFloat_AsDouble(cell.ptr());
  return value != value;  // NaN
}

// A list of Python objects as a text column: str cells borrowed, None and NaN missing, any
// other cell converted with str() and owned. `values` must outlive the column's use.
TextColumn ReadTextColumn(const py::list& values) {
  TextColumn column;
  column.cells.reserve(values.size());
  for (const py::handle cell : values) {
    Py_ssize_t length = 0;
    const char* text =
        PyUnicode_Check(cell.ptr()) != 0 ? PyUnicode_AsUTF8AndSize(cell.ptr(), &length) : nullptr;
    if (text != nullptr) {
      column.cells.emplace_back(text, static_cast<std::size_t>(length));
    } else if (PyErr_Clear(), IsMissingCell(cell)) {
      column.cells.emplace_back();
    } else {
      const std::string& owned = column.owned.emplace_back(
          py::str(cell).attr("encode")("utf-8", "replace").cast<std::string>());
      column.cells.emplace_back(owned);
    }
  }
  return column;
}

// The text column `name` of `columns` (a list), or nullopt when the frame has none (None).
std::optional<TextColumn> OptionalTextColumn(const py::dict& columns, const char* name,
                                             std::size_t rows, std::vector<py::object>& alive) {
  if (!columns.contains(name) || columns[name].is_none()) return std::nullopt;
  const auto values = py::cast<py::list>(columns[name]);
  if (values.size() != rows) {
    throw py::value_error(std::string("column ") + name + " has the wrong length");
  }
  alive.push_back(values);
  return ReadTextColumn(values);
}

TradeColumns ReadTradeColumns(const py::dict& columns, std::vector<py::object>& alive) {
  TradeColumns trades;
  const auto rows = static_cast<std::size_t>(py::len(columns["timestamp"]));
  trades.timestamp = SpanOf(Column<Int64Array>(columns, "timestamp", rows, alive));
  trades.price = SpanOf(Column<DoubleArray>(columns, "price", rows, alive));
  trades.size = SpanOf(Column<DoubleArray>(columns, "size", rows, alive));
  trades.symbol = *OptionalTextColumn(columns, "symbol_id", rows, alive);
  trades.uuid = OptionalTextColumn(columns, "uuid", rows, alive);
  return trades;
}

// One row's coins: a list, tuple or array of tickers, or one string "BTC|ETH".
void ReadRowCoins(py::handle cell, std::vector<std::string>& coins) {
  coins.clear();
  if (py::isinstance<py::str>(cell)) {
    const std::string text = cell.cast<std::string>();
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t bar = std::min(text.find('|', start), text.size());
      coins.push_back(text.substr(start, bar - start));
      start = bar + 1;
    }
    return;
  }
  for (const py::handle coin : cell) coins.push_back(py::str(coin).cast<std::string>());
}

void ReadCoinLists(const py::list& cells, SentimentColumns& sentiment) {
  std::map<std::string, std::uint32_t, std::less<>> codes;
  std::vector<std::string> row_coins;
  const std::size_t rows = cells.size();
  sentiment.coin_ends.reserve(rows);
  sentiment.coins_missing.assign(rows, false);
  for (std::size_t row = 0; row < rows; ++row) {
    const py::handle cell = cells[row];
    if (IsMissingCell(cell)) {
      sentiment.coins_missing[row] = true;
    } else if (py::isinstance<py::str>(cell) || py::hasattr(cell, "__iter__")) {
      ReadRowCoins(cell, row_coins);
      for (const std::string& coin : row_coins) {
        auto [found, added] = codes.try_emplace(coin, static_cast<std::uint32_t>(codes.size()));
        if (added) sentiment.coins.Add(coin);
        sentiment.coin_codes.push_back(found->second);
      }
    } else {
      throw py::type_error("coins: row " + std::to_string(row) +
                           " is neither a list of tickers nor a string like 'BTC|ETH'");
    }
    sentiment.coin_ends.push_back(sentiment.coin_codes.size());
  }
}

SentimentColumns ReadSentimentColumns(const py::dict& columns, std::vector<py::object>& alive) {
  SentimentColumns sentiment;
  const auto rows = static_cast<std::size_t>(py::len(columns["timestamp"]));
  sentiment.timestamp = SpanOf(Column<Int64Array>(columns, "timestamp", rows, alive));
  sentiment.polarity = SpanOf(Column<DoubleArray>(columns, "sentiment_polarity", rows, alive));
  const auto cells = py::cast<py::list>(columns["coins"]);
  if (cells.size() != rows) {
    throw py::value_error("column coins has the wrong length");
  }
  ReadCoinLists(cells, sentiment);
  sentiment.text = OptionalTextColumn(columns, "text", rows, alive);
  return sentiment;
}

// One side of a load (trades or sentiment): file paths, or a frame fed through a pipe.
struct InputSide {
  std::vector<std::string> paths;
  std::vector<py::object> alive;  // the numpy arrays the pipe's writer reads
  std::variant<std::monostate, TradeColumns, SentimentColumns> columns;  // of a frame
  std::unique_ptr<FramePipe> pipe;
};

void StartPipe(InputSide& side, std::size_t rows, FramePipe::RowWriter writer,
               const std::string& label, CollectedRejects& rejects) {
  side.pipe = ValueOrRaise(FramePipe::Start(rows, std::move(writer)));
  side.paths = {side.pipe->path()};
  rejects.Relabel(side.pipe->path(), label);
}

// Fills `side` from what Python gave: a list of paths, or a frame's columns (a dict) read by
// `read` and fed through a pipe as lines written by `append`, labelled `label` in rejects.
template <typename Columns, typename Read, typename Append>
void OpenSide(const py::object& given, InputSide& side, CollectedRejects& rejects, Read read,
              Append append, const std::string& label) {
  if (!py::isinstance<py::dict>(given)) {
    side.paths = given.cast<std::vector<std::string>>();
    return;
  }
  const Columns& columns = side.columns.emplace<Columns>(read(given.cast<py::dict>(), side.alive));
  StartPipe(
      side, columns.rows(),
      [&columns, append](std::size_t row, std::string& out) { append(columns, row, out); }, label,
      rejects);
}

void ClosePipes(InputSide& trades, InputSide& sentiment) {
  py::gil_scoped_release released;
  for (InputSide* side : {&trades, &sentiment}) {
    if (side->pipe) side->pipe->Close();
  }
}

// ---- the loaded data set ----

py::dict CountsDict(const InputCounts& counts) {
  py::dict dict;
  dict["lines"] = counts.lines;
  dict["accepted"] = counts.accepted;
  dict["rejected"] = counts.rejected;
  dict["duplicates"] = counts.duplicates;
  return dict;
}

// Data loaded once and analysed any number of times; read-only after load.
class Dataset {
 public:
  Dataset(LoadedInput loaded, std::vector<RejectedRecord> rejects, TimeRange range, int threads)
      : loaded_(std::move(loaded)), rejects_(std::move(rejects)), range_(range), threads_(threads) {
    for (SymbolIndex symbol = 0; symbol < loaded_.data.symbols().size(); ++symbol) {
      const auto trades = loaded_.data.trades(symbol);
      if (!trades.empty() && (!data_end_ || trades.back().timestamp > *data_end_)) {
        data_end_ = trades.back().timestamp;
      }
    }
  }

  py::dict Inputs() const {
    py::dict inputs;
    inputs["trades"] = CountsDict(loaded_.trades);
    inputs["sentiment"] = CountsDict(loaded_.sentiment);
    return inputs;
  }

  py::dict Rejects() const {
    py::list files;
    py::list lines;
    py::list reasons;
    py::list texts;
    for (const RejectedRecord& reject : rejects_) {
      files.append(reject.file);
      lines.append(reject.line);
      reasons.append(reject.reason);
      texts.append(py::bytes(reject.text).attr("decode")("utf-8", "replace"));
    }
    py::dict dict;
    dict["file"] = files;
    dict["line"] = lines;
    dict["reason"] = reasons;
    dict["text"] = texts;
    return dict;
  }

  py::list Coins() const { return py::cast(loaded_.data.coins()); }
  py::list Symbols() const {
    py::list symbols;
    for (const SymbolInfo& info : loaded_.data.symbols()) symbols.append(info.symbol_id);
    return symbols;
  }

  std::string Analyze(const py::dict& arguments) const;
  std::string Causality(const py::dict& arguments) const;
  std::string Diagnostics(const py::dict& arguments) const;
  py::dict Series(const py::dict& arguments) const;

 private:
  AnalysisParams ParamsOf(const py::dict& arguments) const;
  CostLimits LimitsOf(const py::dict& arguments) const;
  std::vector<SymbolIndex> SymbolsOf(const std::vector<std::string>& coins) const;

  LoadedInput loaded_;
  std::vector<RejectedRecord> rejects_;
  TimeRange range_;
  int threads_;
  std::optional<TimestampNs> data_end_;
};

std::string TextArgument(const py::dict& arguments, const char* name, const char* fallback) {
  if (!arguments.contains(name) || arguments[name].is_none()) return fallback;
  return arguments[name].cast<std::string>();
}

std::vector<std::string> CoinsArgument(const py::dict& arguments) {
  if (!arguments.contains("coins") || arguments["coins"].is_none()) return {};
  auto coins = arguments["coins"].cast<std::vector<std::string>>();
  for (const std::string& coin : coins) {
    if (!IsTicker(coin)) {
      throw py::value_error("coins: '" + coin + "' is not a ticker (" + std::string(kTickerShape) +
                            ")");
    }
  }
  return coins;
}

AnalysisParams Dataset::ParamsOf(const py::dict& arguments) const {
  AnalysisParams params;
  params.threads = arguments.contains("threads") && !arguments["threads"].is_none()
                       ? arguments["threads"].cast<int>()
                       : threads_;
  if (params.threads < 1 || params.threads > 64) {
    throw py::value_error("threads: must be between 1 and 64");
  }
  params.coins = CoinsArgument(arguments);
  params.mode = ParseArgument("mode", TextArgument(arguments, "mode", "tick"), ParseAnalysisMode);
  if (const std::string direction = TextArgument(arguments, "direction", ""); !direction.empty()) {
    params.direction = ParseArgument("direction", direction, ParseJoinDirection);
  }
  if (const std::string tolerance = TextArgument(arguments, "tolerance", ""); !tolerance.empty()) {
    params.tolerance_nanos = ParseArgument("tolerance", tolerance, ParseFixedDuration);
  }
  params.interval =
      ParseArgument("interval", TextArgument(arguments, "interval", "1m"), Interval::Parse);
  params.lags = ParseArgument("lags", TextArgument(arguments, "lags", "0:0"), ParseLagRange);
  if (const std::string window = TextArgument(arguments, "window", ""); !window.empty()) {
    params.window = ParseArgument("window", window, Interval::Parse);
  }
  if (Status status = ValidateAnalysisParams(params); !status) {
    throw py::value_error(status.error().message);
  }
  return params;
}

CostLimits Dataset::LimitsOf(const py::dict& arguments) const {
  CostLimits limits;
  for (const auto& [name, limit] :
       {std::pair{"max_rows", &limits.max_rows}, std::pair{"max_bars", &limits.max_bars},
        std::pair{"max_pairs", &limits.max_pairs}}) {
    if (!arguments.contains(name) || arguments[name].is_none()) continue;
    *limit = arguments[name].cast<std::int64_t>();
    if (*limit < 1) throw py::value_error(std::string(name) + ": must be at least 1");
  }
  limits.max_reply_bytes = std::numeric_limits<std::int64_t>::max();
  return limits;
}

std::string Dataset::Analyze(const py::dict& arguments) const {
  const AnalysisParams params = ParamsOf(arguments);
  std::optional<GrangerLags> granger;
  if (arguments.contains("granger") && !arguments["granger"].is_none()) {
    if (params.mode != AnalysisMode::kBars) {
      throw py::value_error("granger: needs mode='bars'");
    }
    granger = ParseArgument("granger", arguments["granger"].cast<std::string>(), ParseGrangerLags);
  }
  const CostEstimate cost = EstimateCorrelationCost(ShapeOf(loaded_.data), params, range_,
                                                    /*with_compat=*/false, RowFormat::kJson);
  if (auto refusal = CheckCorrelationCost(cost, LimitsOf(arguments), params)) {
    Raise(refusal->ToError(NameStyle::kQuery));
  }
  auto text = RunInterruptibly([&](const CancellationToken& cancel) -> Result<std::string> {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, cryptomood::Analyze(loaded_.data, params, cancel));
    const std::string results =
        ResultsToJson(rows, InputSummary{loaded_.trades, loaded_.sentiment});
    if (!granger) return results;
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto causality,
                                AnalyzeCausality(loaded_.data, params, *granger, cancel));
    return AddCausalityToResultsJson(results, causality);
  });
  return ValueOrRaise(std::move(text));
}

std::string Dataset::Causality(const py::dict& arguments) const {
  AnalysisParams params = ParamsOf(arguments);
  if (params.mode != AnalysisMode::kBars) throw py::value_error("mode: causality needs 'bars'");
  const GrangerLags lags =
      ParseArgument("lags", TextArgument(arguments, "granger", "auto"), ParseGrangerLags);
  auto text = RunInterruptibly([&](const CancellationToken& cancel) -> Result<std::string> {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, AnalyzeCausality(loaded_.data, params, lags, cancel));
    return CausalityToJson(rows);
  });
  return ValueOrRaise(std::move(text));
}

std::string Dataset::Diagnostics(const py::dict& arguments) const {
  DiagnosticsParams params;
  params.interval =
      ParseArgument("interval", TextArgument(arguments, "interval", "1m"), Interval::Parse);
  params.coins = CoinsArgument(arguments);
  params.range = range_;
  params.data_end = data_end_;
  if (auto refusal = CheckDiagnosticsCost(ShapeOf(loaded_.data), params, LimitsOf(arguments))) {
    Raise(refusal->ToError(NameStyle::kQuery));
  }
  auto text = RunInterruptibly([&](const CancellationToken& cancel) -> Result<std::string> {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto rows, RunDiagnostics(loaded_.data, params, cancel));
    return DiagnosticsToCsv(rows);
  });
  return ValueOrRaise(std::move(text));
}

std::vector<SymbolIndex> Dataset::SymbolsOf(const std::vector<std::string>& coins) const {
  std::vector<SymbolIndex> symbols;
  const MarketData& data = loaded_.data;
  for (SymbolIndex symbol = 0; symbol < data.symbols().size(); ++symbol) {
    const std::string& coin = data.coins()[data.symbols()[symbol].coin];
    if (coins.empty() || std::find(coins.begin(), coins.end(), coin) != coins.end()) {
      symbols.push_back(symbol);
    }
  }
  std::sort(symbols.begin(), symbols.end(), [&](SymbolIndex a, SymbolIndex b) {
    return data.symbols()[a].symbol_id < data.symbols()[b].symbol_id;
  });
  return symbols;
}

// The bars of each symbol in turn, as /series has them.
struct SeriesColumns {
  std::vector<std::int64_t> symbol;
  std::vector<std::int64_t> start;
  std::vector<double> close;
  std::vector<double> vwap;
  std::vector<double> volume;
  std::vector<std::int64_t> trades;
  std::vector<double> log_return;
  std::vector<double> sentiment;
  std::vector<std::int64_t> tweets;
  std::vector<bool> incomplete;

  void Add(std::int64_t symbol_row, const SeriesBar& bar) {
    constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
    symbol.push_back(symbol_row);
    start.push_back(bar.start);
    close.push_back(bar.close.value_or(kMissing));
    vwap.push_back(bar.vwap.value_or(kMissing));
    volume.push_back(bar.volume);
    trades.push_back(bar.trades);
    log_return.push_back(bar.log_return.value_or(kMissing));
    sentiment.push_back(bar.sentiment.value_or(kMissing));
    tweets.push_back(bar.tweets);
    incomplete.push_back(bar.incomplete);
  }
};

template <typename T>
py::array_t<T> ToArray(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

py::array_t<bool> ToArray(const std::vector<bool>& values) {
  py::array_t<bool> array(static_cast<py::ssize_t>(values.size()));
  auto cells = array.mutable_unchecked<1>();
  for (std::size_t at = 0; at < values.size(); ++at) {
    cells(static_cast<py::ssize_t>(at)) = values[at];
  }
  return array;
}

py::dict Dataset::Series(const py::dict& arguments) const {
  BarSeriesSpan span;
  span.interval =
      ParseArgument("interval", TextArgument(arguments, "interval", "1m"), Interval::Parse);
  span.range = range_;
  span.data_end = data_end_;
  if (arguments.contains("max_bars") && !arguments["max_bars"].is_none()) {
    span.max_bars = arguments["max_bars"].cast<std::int64_t>();
    if (span.max_bars < 1) throw py::value_error("max_bars: must be at least 1");
  }
  const std::vector<SymbolIndex> symbols = SymbolsOf(CoinsArgument(arguments));
  const MarketData& data = loaded_.data;
  auto built = RunInterruptibly([&](const CancellationToken& cancel) -> Result<SeriesColumns> {
    SeriesColumns columns;
    for (std::size_t row = 0; row < symbols.size(); ++row) {
      const SymbolInfo& info = data.symbols()[symbols[row]];
      CRYPTOMOOD_ASSIGN_OR_RETURN(
          auto bars,
          BuildBarSeries(data.trades(symbols[row]), data.sentiment(info.coin), span, cancel));
      for (const SeriesBar& bar : bars) columns.Add(static_cast<std::int64_t>(row), bar);
    }
    return columns;
  });
  if (!built && built.error().kind == ErrorKind::kUsage) {
    throw py::value_error("max_bars: " + built.error().message);  // the only usage error
  }
  const SeriesColumns columns = ValueOrRaise(std::move(built));
  py::list symbol_ids;
  py::list coins;
  for (const SymbolIndex symbol : symbols) {
    symbol_ids.append(data.symbols()[symbol].symbol_id);
    coins.append(data.coins()[data.symbols()[symbol].coin]);
  }
  py::dict result;
  result["symbol_ids"] = symbol_ids;
  result["coins"] = coins;
  result["symbol"] = ToArray(columns.symbol);
  result["bar_start"] = ToArray(columns.start);
  result["close"] = ToArray(columns.close);
  result["vwap"] = ToArray(columns.vwap);
  result["volume"] = ToArray(columns.volume);
  result["trades"] = ToArray(columns.trades);
  result["return"] = ToArray(columns.log_return);
  result["sentiment"] = ToArray(columns.sentiment);
  result["tweets"] = ToArray(columns.tweets);
  result["incomplete"] = ToArray(columns.incomplete);
  return result;
}

std::optional<TimestampNs> OptionalInstant(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  return value.cast<std::int64_t>();
}

Dataset Load(const py::object& trades, const py::object& sentiment, const py::object& start,
             const py::object& end, bool strict, const std::string& rejects_path, int threads,
             std::size_t keep_rejects) {
  if (threads < 1 || threads > 64) throw py::value_error("threads: must be between 1 and 64");
  LoadOptions options;
  options.range = TimeRange{OptionalInstant(start), OptionalInstant(end)};
  if (options.range.from && options.range.to && *options.range.from >= *options.range.to) {
    throw py::value_error("start: must be earlier than end");
  }
  CollectedRejects rejects = ValueOrRaise(CollectedRejects::Open(rejects_path, keep_rejects));
  InputSide trade_side;
  InputSide sentiment_side;
  OpenSide<TradeColumns>(trades, trade_side, rejects, ReadTradeColumns, AppendTradeLine,
                         "trades DataFrame");
  OpenSide<SentimentColumns>(sentiment, sentiment_side, rejects, ReadSentimentColumns,
                             AppendSentimentLine, "sentiment DataFrame");
  options.trade_files = trade_side.paths;
  options.sentiment_files = sentiment_side.paths;
  options.strict = strict;
  options.rejects = &rejects;
  options.threads = threads;
  auto loaded = RunInterruptibly([&](const CancellationToken& cancel) {
    LoadOptions cancellable = options;
    cancellable.cancel = &cancel;
    return LoadMarketData(cancellable);
  });
  ClosePipes(trade_side, sentiment_side);
  const Status rejects_written = rejects.Finish();
  if (!loaded) {
    Error error = loaded.error();
    error.message = rejects.Relabelled(error.message);
    Raise(error);
  }
  RaiseIfError(rejects_written);
  return Dataset(std::move(*loaded), rejects.kept(), options.range, threads);
}

// The column names of a result document's rows ("results", "causality" or "diagnostics"):
// those of its CSV form, whose header names the JSON fields in order.
std::vector<std::string> ColumnsOf(const std::string& kind) {
  std::string csv;
  if (kind == "results") {
    csv = ResultsToCsv({});
  } else if (kind == "causality") {
    csv = CausalityToCsv({});
  } else if (kind == "diagnostics") {
    csv = DiagnosticsToCsv({});
  } else {
    throw py::value_error("kind: expected results, causality or diagnostics");
  }
  CsvLineSplitter header;
  RaiseIfError(header.Split(std::string_view(csv).substr(0, csv.find('\n'))));
  return {header.fields().begin(), header.fields().end()};
}

// ---- simulation ----

// The simulated trades as the columns of the seed's trade lines (time_exchange, type and
// coins follow from these).
py::dict TradeColumnsOf(const SimulationConfig& config, const std::vector<SimulatedTrade>& trades) {
  std::vector<std::int64_t> timestamp;
  std::vector<double> price;
  std::vector<double> size;
  std::vector<std::int64_t> symbol;
  std::vector<std::int64_t> sequence;
  std::vector<std::int64_t> taker_side;
  py::list uuids;
  for (const SimulatedTrade& trade : trades) {
    timestamp.push_back(trade.timestamp);
    price.push_back(trade.price);
    size.push_back(trade.size);
    symbol.push_back(trade.coin);
    sequence.push_back(trade.sequence);
    taker_side.push_back(static_cast<std::int64_t>(trade.taker_side));
    uuids.append(FormatSimulatedUuid(trade.uuid));
  }
  py::list symbol_values;
  for (const std::string& coin : config.coins) symbol_values.append(SimulatedSymbolId(coin));
  py::list taker_side_values;
  for (const TakerSide side : kTakerSides) {
    taker_side_values.append(std::string(TakerSideName(side)));
  }
  py::dict columns;
  columns["timestamp"] = ToArray(timestamp);
  columns["price"] = ToArray(price);
  columns["size"] = ToArray(size);
  columns["symbol_codes"] = ToArray(symbol);
  columns["symbol_values"] = symbol_values;
  columns["coin_values"] = py::cast(config.coins);
  columns["sequence"] = ToArray(sequence);
  columns["taker_side_codes"] = ToArray(taker_side);
  columns["taker_side_values"] = taker_side_values;
  columns["uuid"] = uuids;
  return columns;
}

py::dict TweetColumnsOf(const SimulationConfig& config, const std::vector<SimulatedTweet>& tweets) {
  std::vector<std::int64_t> timestamp;
  std::vector<double> polarity;
  py::list coins;
  for (const SimulatedTweet& tweet : tweets) {
    timestamp.push_back(tweet.timestamp);
    polarity.push_back(tweet.polarity);
    py::list named;
    for (std::uint32_t slot = 0; slot < tweet.coin_count; ++slot) {
      named.append(config.coins[tweet.coins[slot]]);
    }
    coins.append(named);
  }
  py::dict columns;
  columns["timestamp"] = ToArray(timestamp);
  columns["sentiment_polarity"] = ToArray(polarity);
  columns["coins"] = coins;
  columns["text"] = std::string(kSimulatedTweetText);
  return columns;
}

py::tuple Simulate(const py::dict& arguments) {
  SimulationConfig config;
  config.seed = arguments["seed"].cast<std::uint64_t>();
  config.trades = arguments["trades"].cast<std::int64_t>();
  config.tweets = arguments["tweets"].cast<std::int64_t>();
  config.coins = arguments["coins"].cast<std::vector<std::string>>();
  config.start = arguments["start"].cast<std::int64_t>();
  config.days = arguments["days"].cast<double>();
  const Interval step =
      ParseArgument("step", arguments["step"].cast<std::string>(), Interval::Parse);
  if (step.is_calendar()) throw py::value_error("step: must be a fixed duration, not months");
  config.step_nanos = step.fixed_nanos();
  for (const std::string& effect : arguments["effects"].cast<std::vector<std::string>>()) {
    config.effects.push_back(ParseArgument("effects", effect, ParsePlantedEffect));
  }
  config.sentiment_persistence = arguments["sentiment_persistence"].cast<double>();
  config.polarity_scale = arguments["polarity_scale"].cast<double>();
  config.polarity_noise = arguments["polarity_noise"].cast<double>();
  if (Status status = ValidateSimulationConfig(config); !status) {
    throw py::value_error(status.error().message);
  }
  Simulation simulation = ValueOrRaise(Simulation::Create(config));

  struct Records {
    std::vector<SimulatedTrade> trades;
    std::vector<SimulatedTweet> tweets;
  };
  Records records = RunInterruptibly([&](const CancellationToken& cancel) {
    Records out;
    SimulatedRecord record;
    PollEvery poll(cancel, 1 << 14);
    while (!poll.Tick() && simulation.Next(record)) {
      if (record.kind == SimulatedRecord::Kind::kTrade) {
        out.trades.push_back(record.trade);
      } else {
        out.tweets.push_back(record.tweet);
      }
    }
    return out;
  });
  return py::make_tuple(TradeColumnsOf(config, records.trades),
                        TweetColumnsOf(config, records.tweets));
}

}  // namespace
}  // namespace cryptomood::python

PYBIND11_MODULE(_cryptomood, module) {
  using cryptomood::python::Dataset;
  module.doc() = "The cryptomood engine; use the cryptomood package, which wraps it.";
  cryptomood::python::InputErrorType() = py::reinterpret_borrow<py::object>(
      PyErr_NewException("cryptomood.InputError", PyExc_ValueError, nullptr));
  module.attr("InputError") = cryptomood::python::InputErrorType();
  module.attr("__version__") = CRYPTOMOOD_VERSION;
  module.attr("__commit__") = CRYPTOMOOD_COMMIT;
  py::class_<Dataset>(module, "Dataset")
      .def("inputs", &Dataset::Inputs)
      .def("rejects", &Dataset::Rejects)
      .def("coins", &Dataset::Coins)
      .def("symbols", &Dataset::Symbols)
      .def("analyze", &Dataset::Analyze)
      .def("causality", &Dataset::Causality)
      .def("diagnostics", &Dataset::Diagnostics)
      .def("series", &Dataset::Series);
  module.def("load", &cryptomood::python::Load, py::arg("trades"), py::arg("sentiment"),
             py::arg("start"), py::arg("end"), py::arg("strict"), py::arg("rejects_path"),
             py::arg("threads"), py::arg("keep_rejects"));
  module.def("columns", &cryptomood::python::ColumnsOf, py::arg("kind"));
  module.def("simulate", &cryptomood::python::Simulate, py::arg("arguments"));
}
