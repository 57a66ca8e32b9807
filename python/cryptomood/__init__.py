"""cryptomood: does Twitter sentiment move with coin prices?

The cryptomood engine for notebooks. Every function takes the trades and the scored tweets as
file paths (JSON lines or CSV, plain, gzip or zstd), lists of paths, or pandas DataFrames with
the seed's columns, and returns DataFrames:

    >>> import cryptomood
    >>> trades, tweets = cryptomood.simulate(days=3)
    >>> rows = cryptomood.analyze(trades, tweets, mode="bars", interval="1m", lags=(-3, 3))
    >>> rows[rows.best_lag][["coin", "lag", "pearson", "p_value_robust_adjusted"]]

``load`` reads the inputs once into a ``Dataset`` that every function also accepts, for
repeated analyses of the same data. The engine runs without the GIL; Ctrl-C interrupts it
(KeyboardInterrupt within a fraction of a second).

Rejected input lines (and DataFrame rows) are counted in ``df.attrs["inputs"]`` and listed in
``df.attrs["rejects"]`` (file, line, reason, text), as ``cryptomood analyze --rejects`` reports
them; ``rejects=PATH`` also writes every rejected line verbatim to a file. The definitions of
every column are in the project's docs/analysis.md.
"""

from __future__ import annotations

import datetime as _datetime
import io as _io
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as _np
import pandas as _pd

from . import _cryptomood
from ._cryptomood import InputError, __commit__, __version__

__all__ = [
    "Dataset",
    "InputError",
    "analyze",
    "causality",
    "diagnostics",
    "load",
    "series",
    "simulate",
    "__commit__",
    "__version__",
]

# Trade and tweet columns a DataFrame input must have, and the aliases CSV inputs accept too.
TRADE_COLUMNS = ("timestamp", "price", "size", "symbol_id")
SENTIMENT_COLUMNS = ("timestamp", "coins", "sentiment_polarity")
_TRADE_ALIASES = {"amount": "size", "symbol": "symbol_id"}

# Result columns holding RFC 3339 instants, returned as datetime64[ns, UTC].
_INSTANT_COLUMNS = ("window_start", "window_end", "first_timestamp", "last_timestamp",
                    "from", "to", "bar_start")


class Dataset:
    """Trades and tweets loaded once, for any number of analyses.

    Build one with ``cryptomood.load``. ``inputs`` holds the line counts of each side (lines,
    accepted, rejected, duplicates) and ``rejects`` the rejected lines as a DataFrame. Every
    function of the module accepts a Dataset in place of its trades and sentiment.
    """

    def __init__(self, engine: Any):
        self._engine = engine
        self.inputs: dict = engine.inputs()
        self.rejects: _pd.DataFrame = _pd.DataFrame(engine.rejects(),
                                                    columns=["file", "line", "reason", "text"])

    @property
    def coins(self) -> list:
        """The coins (base assets and tickers tweets name) in the data."""
        return self._engine.coins()

    @property
    def symbols(self) -> list:
        """The symbol ids of the trades, e.g. COINBASE_SPOT_BTC_USD."""
        return self._engine.symbols()

    def analyze(self, **options: Any) -> _pd.DataFrame:
        """``cryptomood.analyze`` on this data set."""
        return analyze(self, **options)

    def series(self, **options: Any) -> _pd.DataFrame:
        """``cryptomood.series`` on this data set."""
        return series(self, **options)

    def diagnostics(self, **options: Any) -> _pd.DataFrame:
        """``cryptomood.diagnostics`` on this data set."""
        return diagnostics(self, **options)

    def causality(self, **options: Any) -> _pd.DataFrame:
        """``cryptomood.causality`` on this data set."""
        return causality(self, **options)

    def __repr__(self) -> str:
        trades, tweets = self.inputs["trades"], self.inputs["sentiment"]
        return (f"<cryptomood.Dataset: {trades['accepted']} trades of {len(self.symbols)} "
                f"symbols, {tweets['accepted']} tweets; {len(self.rejects)} rejected lines>")


# ---- argument checks ----

def _is_path(value: Any) -> bool:
    return isinstance(value, (str, _os.PathLike))


def _paths(argument: str, value: Any) -> list:
    if _is_path(value):
        paths = [value]
    elif isinstance(value, (list, tuple)):
        paths = list(value)
    else:
        raise TypeError(f"{argument}: expected a path, a list of paths or a DataFrame, "
                        f"not {type(value).__name__}")
    if not paths or not all(_is_path(path) for path in paths):
        raise TypeError(f"{argument}: expected a path, a list of paths or a DataFrame")
    paths = [_os.fspath(path) for path in paths]
    for path in paths:
        if path != "-" and not _os.path.exists(path):
            raise FileNotFoundError(2, f"{argument}: no such file", path)
    return paths


def _instant_nanos(argument: str, value: Any) -> Optional[int]:
    """An instant (RFC 3339 text, datetime, Timestamp; naive means UTC) as epoch nanoseconds."""
    if value is None:
        return None
    if not isinstance(value, (str, _datetime.datetime, _datetime.date, _np.datetime64)):
        raise TypeError(f"{argument}: expected an RFC 3339 string or a datetime, "
                        f"not {type(value).__name__}")
    try:
        instant = _pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{argument}: {value!r} is not an instant ({error})") from None
    if instant is _pd.NaT:
        raise ValueError(f"{argument}: NaT is not an instant")
    instant = instant.tz_localize("UTC") if instant.tzinfo is None else instant.tz_convert("UTC")
    return int(instant.value)


def _duration_text(argument: str, value: Any) -> Optional[str]:
    """A duration as the engine's text ("30s", "1m", "1mo"); timedeltas in whole ms."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (_datetime.timedelta, _np.timedelta64)):
        nanos = int(_pd.Timedelta(value).value)
        if nanos <= 0 or nanos % 1_000_000 != 0:
            raise ValueError(f"{argument}: {value!r} is not a positive whole number of "
                             "milliseconds")
        return f"{nanos // 1_000_000}ms"
    raise TypeError(f"{argument}: expected a duration like '30s' or a timedelta, "
                    f"not {type(value).__name__}")


def _lags_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, _np.integer)) and not isinstance(value, bool):
        return f"{int(value)}:{int(value)}"
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(bound, (int, _np.integer)) and not isinstance(bound, bool)
            for bound in value):
        return f"{int(value[0])}:{int(value[1])}"
    raise TypeError("lags: expected (first, last) integers, an integer or 'A:B'")


def _coins_list(value: Any) -> Optional[list]:
    if value is None:
        return None
    coins = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(coin, str) for coin in coins):
        raise TypeError("coins: expected a ticker or a list of tickers")
    return [coin for text in coins for coin in text.split(",") if coin]


def _positive_int(argument: str, value: Any) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, _np.integer)):
        raise TypeError(f"{argument}: expected an integer, not {type(value).__name__}")
    return int(value)


def _text(argument: str, value: Any) -> Optional[str]:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{argument}: expected a string, not {type(value).__name__}")
    return value


# ---- DataFrame inputs ----

def _require_columns(argument: str, frame: _pd.DataFrame, required: Sequence[str]) -> None:
    for column in required:
        if column not in frame.columns:
            raise ValueError(f"{argument}: the DataFrame has no column '{column}' "
                             f"(needs {', '.join(required)})")


def _timestamp_nanos(argument: str, column: _pd.Series) -> _np.ndarray:
    if _pd.api.types.is_numeric_dtype(column) and not _pd.api.types.is_bool_dtype(column):
        raise TypeError(f"{argument}: column 'timestamp' holds numbers; give datetime64 values "
                        "or RFC 3339 strings (numbers have no unit)")
    instants = _pd.to_datetime(column, utc=True, errors="coerce")
    return instants.to_numpy(dtype="datetime64[ns]").view("int64")


def _numbers(column: _pd.Series) -> _np.ndarray:
    return _pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=_np.nan)


def _cells(column: _pd.Series) -> list:
    """The column's values as a list of Python objects (no per-row Python loop)."""
    return column.tolist()


def _trade_columns(frame: _pd.DataFrame) -> dict:
    aliases = {alias: name for alias, name in _TRADE_ALIASES.items()
               if alias in frame.columns and name not in frame.columns}
    if aliases:
        frame = frame.rename(columns=aliases, copy=False)
    _require_columns("trades", frame, TRADE_COLUMNS)
    return {
        "timestamp": _timestamp_nanos("trades", frame["timestamp"]),
        "price": _numbers(frame["price"]),
        "size": _numbers(frame["size"]),
        "symbol_id": _cells(frame["symbol_id"]),
        "uuid": _cells(frame["uuid"]) if "uuid" in frame.columns else None,
    }


def _sentiment_columns(frame: _pd.DataFrame) -> dict:
    _require_columns("sentiment", frame, SENTIMENT_COLUMNS)
    return {
        "timestamp": _timestamp_nanos("sentiment", frame["timestamp"]),
        "sentiment_polarity": _numbers(frame["sentiment_polarity"]),
        "coins": _cells(frame["coins"]),
        "text": _cells(frame["text"]) if "text" in frame.columns else None,
    }


def _input(argument: str, value: Any, to_columns) -> Union[list, dict]:
    if isinstance(value, _pd.DataFrame):
        return to_columns(value)
    return _paths(argument, value)


def load(trades: Any, sentiment: Any, *, start: Any = None, end: Any = None,
         strict: bool = False, rejects: Optional[Union[str, _os.PathLike]] = None,
         threads: int = 2, keep_rejects: int = 100_000) -> Dataset:
    """Read trades and tweets once into a Dataset.

    trades, sentiment: a path (JSON lines or CSV with a header; gzip and zstd read by content),
        a list of paths, or a DataFrame (trades: timestamp, price, size, symbol_id, optional
        uuid; tweets: timestamp, coins as lists or 'BTC|ETH' strings, sentiment_polarity,
        optional text). DataFrame rows go through the same validation as file lines; rows are
        numbered from 1 in reject reports. Without a uuid column no trade is a duplicate.
    start, end: keep records with start <= timestamp < end (RFC 3339 text or datetimes).
    strict: raise InputError on the first rejected line instead of skipping it.
    rejects: also write every rejected line verbatim to this file.
    threads: parsing threads.
    keep_rejects: rejected lines kept in ``Dataset.rejects`` (all are counted).

    Raises FileNotFoundError for a missing file, TypeError and ValueError naming the argument
    or column, and InputError for unusable input (binary data, a file of the other kind, a
    file without a valid line, a bad line under strict).
    """
    trade_input = _input("trades", trades, _trade_columns)
    sentiment_input = _input("sentiment", sentiment, _sentiment_columns)
    start_nanos = _instant_nanos("start", start)
    end_nanos = _instant_nanos("end", end)
    if not isinstance(strict, bool):
        raise TypeError("strict: expected True or False")
    rejects_path = "" if rejects is None else _os.fspath(rejects)
    engine = _cryptomood.load(trade_input, sentiment_input, start_nanos, end_nanos, strict,
                              rejects_path, _positive_int("threads", threads),
                              _positive_int("keep_rejects", keep_rejects))
    return Dataset(engine)


def _dataset(trades: Any, sentiment: Any, load_options: Mapping[str, Any]) -> Dataset:
    if isinstance(trades, Dataset):
        if sentiment is not None:
            raise TypeError("sentiment: must be None when trades is a Dataset")
        given = {name: value for name, value in load_options.items() if value is not None}
        if given:
            raise TypeError(f"{sorted(given)[0]}: applies when loading; pass it to "
                            "cryptomood.load")
        return trades
    if sentiment is None:
        raise TypeError("sentiment: required unless trades is a Dataset")
    return load(trades, sentiment, **{name: value for name, value in load_options.items()
                                      if value is not None})


# ---- results ----

def _frame(records: list, columns: Sequence[str]) -> _pd.DataFrame:
    frame = _pd.DataFrame.from_records(records, columns=list(columns))
    for column in _INSTANT_COLUMNS:
        if column in frame.columns:
            frame[column] = _pd.to_datetime(frame[column], utc=True)
    return frame


def _with_inputs(frame: _pd.DataFrame, data: Dataset) -> _pd.DataFrame:
    frame.attrs["inputs"] = data.inputs
    frame.attrs["rejects"] = data.rejects
    return frame


def _columns_of(kind: str) -> list:
    return _cryptomood.columns(kind)


def analyze(trades: Any, sentiment: Any = None, *, mode: str = "tick",
            direction: Optional[str] = None, tolerance: Any = None, interval: Any = "1m",
            lags: Any = (0, 0), window: Any = None, coins: Any = None, start: Any = None,
            end: Any = None, threads: int = 2, granger: Any = None, strict: Optional[bool] = None,
            rejects: Any = None, max_rows: Optional[int] = None, max_bars: Optional[int] = None,
            max_pairs: Optional[int] = None) -> _pd.DataFrame:
    """Correlate sentiment with prices per symbol: ``cryptomood analyze`` as a DataFrame.

    mode: 'tick' (each trade with the latest tweet), 'bars' (returns against mean sentiment
        per bar, with lags) or 'compat' (the original notebook's pooled figure).
    direction: as-of join direction in tick/compat mode: 'backward', 'forward', 'nearest'.
    tolerance: drop pairs further apart than this ('30s' or a timedelta).
    interval: bar length in bars mode ('1m', '1h', '1d', '1mo'; or a timedelta).
    lags: (first, last) lag range in bars; k > 0 means sentiment leads by k bars.
    window: split results into tumbling windows ('1d', '1w', ...).
    coins: keep these base assets ('BTC' or ['BTC', 'ETH']).
    start, end: keep records with start <= timestamp < end.
    granger: 'auto' or a lag order: Granger causality both ways (bars mode), returned in
        ``df.attrs['causality']``.
    max_rows, max_bars, max_pairs: refuse runs estimated to exceed these (defaults as the CLI's).
    strict, rejects, threads: as in ``load``.

    Returns one row per symbol, window and lag with the columns of the JSON contract
    (docs/api.md): instants as datetime64[ns, UTC], missing values as NaN/NaT/None.
    ``df.attrs['inputs']`` holds the line counts, ``df.attrs['rejects']`` the rejected lines.
    """
    data = _dataset(trades, sentiment, {"start": start, "end": end, "strict": strict,
                                        "rejects": rejects})
    options = {
        "mode": _text("mode", mode),
        "direction": _text("direction", direction),
        "tolerance": _duration_text("tolerance", tolerance),
        "interval": _duration_text("interval", interval),
        "lags": _lags_text(lags),
        "window": _duration_text("window", window),
        "coins": _coins_list(coins),
        "threads": _positive_int("threads", threads),
        "granger": None if granger is None else str(_text_or_int("granger", granger)),
        "max_rows": _positive_int("max_rows", max_rows),
        "max_bars": _positive_int("max_bars", max_bars),
        "max_pairs": _positive_int("max_pairs", max_pairs),
    }
    document = _json.loads(data._engine.analyze(options))
    frame = _with_inputs(_frame(document["results"], _columns_of("results")), data)
    if "causality" in document:
        frame.attrs["causality"] = _frame(document["causality"], _columns_of("causality"))
    return frame


def _text_or_int(argument: str, value: Any) -> Union[str, int]:
    if isinstance(value, str):
        return value
    return _positive_int(argument, value)


def causality(trades: Any, sentiment: Any = None, *, interval: Any = "1m", lags: Any = "auto",
              window: Any = None, coins: Any = None, start: Any = None, end: Any = None,
              threads: int = 2, strict: Optional[bool] = None,
              rejects: Any = None) -> _pd.DataFrame:
    """Granger causality both ways per symbol on bar returns and mean sentiment.

    lags: 'auto' (the VAR's AIC order, at least 1) or a lag order. One row per symbol, window
    and direction, with F, degrees of freedom, p-values (F, HC1 Wald, Holm-adjusted).
    """
    data = _dataset(trades, sentiment, {"start": start, "end": end, "strict": strict,
                                        "rejects": rejects})
    options = {
        "mode": "bars",
        "interval": _duration_text("interval", interval),
        "window": _duration_text("window", window),
        "coins": _coins_list(coins),
        "threads": _positive_int("threads", threads),
        "granger": str(_text_or_int("lags", lags)),
    }
    document = _json.loads(data._engine.causality(options))
    return _with_inputs(_frame(document["causality"], _columns_of("causality")), data)


def _bars_options(interval: Any, coins: Any, max_bars: Any) -> dict:
    """The options of the per-symbol bar computations (series, diagnostics), checked."""
    return {
        "interval": _duration_text("interval", interval),
        "coins": _coins_list(coins),
        "max_bars": _positive_int("max_bars", max_bars),
    }


def diagnostics(trades: Any, sentiment: Any = None, *, interval: Any = "1m", coins: Any = None,
                start: Any = None, end: Any = None, strict: Optional[bool] = None,
                rejects: Any = None, max_bars: Optional[int] = None) -> _pd.DataFrame:
    """Stationarity tests (ADF and KPSS) of each symbol's log price, returns and sentiment.

    One row per symbol and series with the statistics, p-values and a verdict: 'stationary',
    'unit_root' or 'inconclusive'.
    """
    data = _dataset(trades, sentiment, {"start": start, "end": end, "strict": strict,
                                        "rejects": rejects})
    options = _bars_options(interval, coins, max_bars)
    table = _pd.read_csv(_io.StringIO(data._engine.diagnostics(options)),
                         float_precision="round_trip", keep_default_na=False,
                         na_values=[""])
    return _with_inputs(table, data)


def series(trades: Any, sentiment: Any = None, *, interval: Any = "1m", coins: Any = None,
           start: Any = None, end: Any = None, strict: Optional[bool] = None,
           rejects: Any = None, max_bars: Optional[int] = None) -> _pd.DataFrame:
    """Each symbol's bars as ``GET /series`` has them, without thinning.

    Columns: symbol_id, coin, bar_start (datetime64[ns, UTC]), close, vwap, volume, trades,
    return (log return from the previous bar), sentiment (mean polarity), tweets, incomplete
    (the bar ends after the latest trade). A bar without trades has NaN close, vwap, return.
    max_bars: refuse series longer than this (default 5,000,000 per symbol).
    """
    data = _dataset(trades, sentiment, {"start": start, "end": end, "strict": strict,
                                        "rejects": rejects})
    options = _bars_options(interval, coins, max_bars)
    columns = data._engine.series(options)
    symbol = columns.pop("symbol")
    symbol_ids = _np.array(columns.pop("symbol_ids"), dtype=object)
    coin_names = _np.array(columns.pop("coins"), dtype=object)
    frame = _pd.DataFrame({
        "symbol_id": symbol_ids[symbol] if len(symbol_ids) else _np.array([], dtype=object),
        "coin": coin_names[symbol] if len(coin_names) else _np.array([], dtype=object),
        "bar_start": _pd.to_datetime(columns.pop("bar_start"), utc=True),
        **columns,
    })
    return _with_inputs(frame, data)


def simulate(*, seed: int = 1, trades: int = 200_000, tweets: int = 50_000,
             coins: Iterable[str] = ("BTC", "ETH", "LTC"), start: Any = "2018-07-16T00:00:00Z",
             days: float = 7, step: Any = "1m", effects: Optional[Iterable[str]] = None,
             sentiment_persistence: float = 0.5, polarity_scale: float = 0.3,
             polarity_noise: float = 0.3) -> Tuple[_pd.DataFrame, _pd.DataFrame]:
    """Simulated trades and scored tweets with planted lead-lag effects.

    The same model and records as ``cryptomood simulate`` (bit for bit for the same
    arguments). effects: planted effects as 'COIN:leads:LAG:STRENGTH' (returns follow the
    coin's sentiment LAG steps later) or 'COIN:follows:LAG:STRENGTH'; None plants
    ETH:leads:2:0.4 and BTC:follows:1:0.3, [] plants nothing.

    Returns (trades, tweets) DataFrames with the seed's columns, ready for ``analyze``.
    """
    if effects is None:
        effects = ["ETH:leads:2:0.4", "BTC:follows:1:0.3"]
    arguments = {
        "seed": _positive_int("seed", seed),
        "trades": _positive_int("trades", trades),
        "tweets": _positive_int("tweets", tweets),
        "coins": _coins_list(coins) or [],
        "start": _instant_nanos("start", start),
        "days": float(days),
        "step": _duration_text("step", step),
        "effects": [_text("effects", effect) for effect in effects],
        "sentiment_persistence": float(sentiment_persistence),
        "polarity_scale": float(polarity_scale),
        "polarity_noise": float(polarity_noise),
    }
    trade_columns, tweet_columns = _cryptomood.simulate(arguments)
    trade_frame = _simulated_trades(trade_columns)
    tweet_frame = _pd.DataFrame({
        "timestamp": _pd.to_datetime(tweet_columns["timestamp"], utc=True),
        "coins": tweet_columns["coins"],
        "sentiment_polarity": tweet_columns["sentiment_polarity"],
        "text": tweet_columns["text"],
    })
    return trade_frame, tweet_frame


def _simulated_trades(columns: dict) -> _pd.DataFrame:
    symbols = _np.array(columns["symbol_values"], dtype=object)
    coins = _np.array(columns["coin_values"], dtype=object)
    sides = _np.array(columns["taker_side_values"], dtype=object)
    codes = columns["symbol_codes"]
    timestamp = _pd.to_datetime(columns["timestamp"], utc=True)
    return _pd.DataFrame({
        "timestamp": timestamp,
        "price": columns["price"],
        "size": columns["size"],
        "symbol_id": symbols[codes] if len(codes) else _np.array([], dtype=object),
        "coin": coins[codes] if len(codes) else _np.array([], dtype=object),
        "taker_side": sides[columns["taker_side_codes"]] if len(codes) else
        _np.array([], dtype=object),
        "sequence": columns["sequence"],
        "uuid": columns["uuid"],
    })
