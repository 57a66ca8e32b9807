#!/usr/bin/env python3
"""End-to-end tests of `cryptomood serve` against the HTTP API contract (docs: api-contract).

Why: the API is what the dashboard and outside tools consume, so it is tested as they see it,
through a real server process on a real store (SQLite or PostgreSQL), not through the C++
classes. Every expected value is computed here, independently of the server, from the input
files: the as-of join, the bars, the returns and the compat Pearson are re-implemented in plain
Python. The only values taken from our own code are `cryptomood analyze` results, which
/correlation must reproduce by contract.

What runs: simulated data (20k trades, 5k tweets) in one database, the seed files in a second,
and a third that the ingest tests modify while its server runs; a `serve --port 0` process per
database. The tests cover every route, parameter and error class of the contract, pagination,
the output formats, caching, the OpenAPI document (responses validated with jsonschema),
static-file safety, oversized requests and graceful shutdown on SIGTERM.

Usage: api_test.py --binary CRYPTOMOOD --seed-dir DIR --backend sqlite|postgresql
                   [--postgres-url-file FILE] [unittest options, e.g. -v or -k series]
Needs Python 3.11 and Debian's python3-jsonschema.
"""

import argparse
import bisect
import calendar
import csv
import http.client
import io
import json
import math
import pathlib
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
import unittest

import serve_fixture
from serve_fixture import (REQUEST_TIMEOUT, SENTIMENT_FILE, TRADES_FILE, Server, Stores,
                           metric_value, query_path, raw_status)

try:
    import jsonschema
except ImportError:  # reported, never skipped: the OpenAPI checks must not pass silently
    sys.exit(f"{sys.argv[0]}: jsonschema is not importable by {sys.executable}; "
             "install Debian's python3-jsonschema")

SIMULATION = ["--trades", "20000", "--tweets", "5000", "--seed", "7"]
# New data for the ingest-while-serving test: another seed, so other uuids and other tweets.
EXTRA_SIMULATION = ["--trades", "3000", "--tweets", "800", "--seed", "8"]
REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
# API numbers must equal analyze's to this relative tolerance (contract); independent
# re-computations in Python (other summation order) to the looser one.
SAME_CODE_TOLERANCE = 1e-12
INDEPENDENT_TOLERANCE = 1e-9
NANOS = 1_000_000_000
DURATION_UNITS = {"ms": NANOS // 1000, "s": NANOS, "m": 60 * NANOS, "h": 3600 * NANOS,
                  "d": 86400 * NANOS}

ARGUMENTS = None  # the parsed command line
FIXTURE = None    # the databases, servers and reference data shared by all tests


# ---------------------------------------------------------------------------------------------
# Time and numbers
# ---------------------------------------------------------------------------------------------

TIMESTAMP_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$")


def parse_timestamp(text):
    """RFC 3339 -> integer nanoseconds since the epoch, UTC."""
    match = TIMESTAMP_PATTERN.match(text)
    if not match:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = (match.group(7) or "").ljust(9, "0")
    seconds = calendar.timegm((year, month, day, hour, minute, second))
    zone = match.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return seconds * NANOS + int(fraction)


def format_timestamp(nanos, offset_minutes=0):
    """Nanoseconds -> RFC 3339 with 6 fractional digits; Z, or the given UTC offset."""
    local = nanos + offset_minutes * 60 * NANOS
    seconds, rest = divmod(local, NANOS)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{rest // 1000:06d}"
    if offset_minutes == 0:
        return text + "Z"
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


def parse_duration(text):
    match = re.fullmatch(r"(\d+)(ms|s|m|h|d)", text)
    if not match:
        raise ValueError(f"unsupported duration in the test: {text!r}")
    return int(match.group(1)) * DURATION_UNITS[match.group(2)]


def close_enough(expected, actual, tolerance):
    return math.isclose(expected, actual, rel_tol=tolerance, abs_tol=1e-300)


def pearson(xs, ys):
    """Two-pass Pearson r with exactly rounded sums; None when undefined."""
    n = len(xs)
    if n < 3:
        return None
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx, syy = math.fsum(d * d for d in dx), math.fsum(d * d for d in dy)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, math.fsum(a * b for a, b in zip(dx, dy)) / math.sqrt(sxx * syy)))


def base_asset(symbol_id):
    """COINBASE_SPOT_BTC_USD -> BTC."""
    return symbol_id.split("_")[2]


# ---------------------------------------------------------------------------------------------
# Reference data: the input files, re-read and re-joined in Python
# ---------------------------------------------------------------------------------------------

class Trade:
    def __init__(self, record):
        self.record = normalized_record(record, ("timestamp", "time_exchange"))
        self.nanos = parse_timestamp(record["timestamp"])
        self.symbol_id = record["symbol_id"]
        self.coin = base_asset(self.symbol_id)
        self.price = record["price"]
        self.size = record["size"]


class Tweet:
    def __init__(self, record):
        self.record = normalized_record(record, ("timestamp",))
        self.nanos = parse_timestamp(record["timestamp"])
        self.coins = list(dict.fromkeys(record["coins"]))  # a coin named twice counts once
        self.polarity = record["sentiment_polarity"]


def normalized_record(record, timestamp_fields):
    """The input record as the API prints it: timestamps in canonical RFC 3339 UTC."""
    copy = dict(record)
    for field in timestamp_fields:
        if field in copy:
            copy[field] = format_timestamp(parse_timestamp(copy[field]))
    return copy


def read_json_lines(paths):
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    return records


class TweetTimeline:
    """Tweets in time order with their timestamps, for as-of lookups (merge_asof semantics)."""

    def __init__(self, tweets):
        self.tweets = tweets
        self.times = [tweet.nanos for tweet in tweets]

    def match(self, nanos, direction="backward", tolerance=None):
        """The tweet joined to a trade at `nanos`, or None.

        backward: last tweet with time <= nanos (last among equal times); forward: first with
        time >= nanos; nearest: the closer of the two, a tie going to backward.
        """
        before = bisect.bisect_right(self.times, nanos) - 1
        after = bisect.bisect_left(self.times, nanos)
        before = before if before >= 0 else None
        after = after if after < len(self.times) else None
        if direction == "backward":
            index = before
        elif direction == "forward":
            index = after
        elif before is None or after is None:
            index = after if before is None else before
        else:
            index = before if nanos - self.times[before] <= self.times[after] - nanos else after
        if index is None:
            return None
        if tolerance is not None and abs(self.times[index] - nanos) > tolerance:
            return None
        return self.tweets[index]


class Dataset:
    """Trades and tweets of some input files, deduplicated and stably sorted as the spec says."""

    def __init__(self, trade_paths, sentiment_paths):
        self.trade_paths = [str(path) for path in trade_paths]
        self.sentiment_paths = [str(path) for path in sentiment_paths]
        trades, seen_uuids = [], set()
        for record in read_json_lines(trade_paths):
            if record["uuid"] not in seen_uuids:
                seen_uuids.add(record["uuid"])
                trades.append(Trade(record))
        tweets, seen_tweets = [], set()
        for record in read_json_lines(sentiment_paths):
            tweet = Tweet(record)
            key = (tweet.nanos, frozenset(tweet.coins), tweet.polarity, record.get("text"))
            if key not in seen_tweets:
                seen_tweets.add(key)
                tweets.append(tweet)
        self.trades = sorted(trades, key=lambda trade: trade.nanos)  # stable
        self.tweets = sorted(tweets, key=lambda tweet: tweet.nanos)
        self.all_tweets = TweetTimeline(self.tweets)
        self.tweets_by_coin = {}
        for tweet in self.tweets:
            for coin in tweet.coins:
                self.tweets_by_coin.setdefault(coin, []).append(tweet)
        self.timeline_by_coin = {coin: TweetTimeline(tweets)
                                 for coin, tweets in self.tweets_by_coin.items()}
        self.latest_trade = max(trade.nanos for trade in self.trades)

    def symbols(self):
        return sorted({trade.symbol_id for trade in self.trades})

    def selected_trades(self, coins=None, start=None, end=None):
        return [trade for trade in self.trades
                if (coins is None or trade.coin in coins)
                and (start is None or trade.nanos >= start) and (end is None or trade.nanos < end)]

    def selected_tweets(self, coins=None, start=None, end=None):
        return [tweet for tweet in self.tweets
                if (coins is None or any(coin in coins for coin in tweet.coins))
                and (start is None or tweet.nanos >= start) and (end is None or tweet.nanos < end)]

    def merged_pairs(self, coins=None, direction="backward", tolerance=None, start=None,
                     end=None):
        """Tick-mode pairs in trade order, as /merged prints them; from/to apply to both inputs
        before the join."""
        timelines = self.timeline_by_coin
        if start is not None or end is not None:
            timelines = {coin: TweetTimeline([tweet for tweet in tweets
                                              if (start is None or tweet.nanos >= start)
                                              and (end is None or tweet.nanos < end)])
                         for coin, tweets in self.tweets_by_coin.items()}
        pairs = []
        for trade in self.selected_trades(coins, start, end):
            timeline = timelines.get(trade.coin)
            tweet = timeline.match(trade.nanos, direction, tolerance) if timeline else None
            if tweet is not None:
                pairs.append({"timestamp": format_timestamp(trade.nanos),
                              "symbol_id": trade.symbol_id, "coin": trade.coin,
                              "price": trade.price, "sentiment_polarity": tweet.polarity,
                              "sentiment_timestamp": format_timestamp(tweet.nanos)})
        return pairs

    def compat_pairs(self):
        """The notebook's pooling: every trade with the nearest tweet of any coin."""
        pairs = []
        for trade in self.trades:
            tweet = self.all_tweets.match(trade.nanos, "nearest")
            if tweet is not None:
                pairs.append((trade.price, tweet.polarity))
        return pairs

    def bars(self, symbol_id, interval, start=None, end=None):
        """The /series rows of one symbol, computed from the input records."""
        coin = base_asset(symbol_id)
        trades = [trade for trade in self.selected_trades({coin}, start, end)
                  if trade.symbol_id == symbol_id]
        tweets = self.selected_tweets({coin}, start, end)
        first = (start if start is not None else trades[0].nanos) // interval
        last = (end - 1) // interval if end is not None else trades[-1].nanos // interval
        trades_in = {}
        for trade in trades:
            trades_in.setdefault(trade.nanos // interval, []).append(trade)
        polarities_in = {}
        for tweet in tweets:
            polarities_in.setdefault(tweet.nanos // interval, []).append(tweet.polarity)
        rows, previous_close = [], None
        for bar in range(first, last + 1):
            bar_trades = trades_in.get(bar, [])
            polarities = polarities_in.get(bar, [])
            close = bar_trades[-1].price if bar_trades else None
            volume = math.fsum(trade.size for trade in bar_trades)
            rows.append({
                "symbol_id": symbol_id, "coin": coin,
                "bar_start": format_timestamp(bar * interval),
                "close": close,
                "vwap": (math.fsum(trade.price * trade.size for trade in bar_trades) / volume
                         if bar_trades and volume > 0 else None),
                "volume": volume, "trades": len(bar_trades),
                "return": (math.log(close / previous_close)
                           if close is not None and previous_close is not None else None),
                "sentiment": math.fsum(polarities) / len(polarities) if polarities else None,
                "tweets": len(polarities),
                "incomplete": (bar + 1) * interval > self.latest_trade,
            })
            previous_close = close
        return rows


# ---------------------------------------------------------------------------------------------
# HTTP, processes and stores
# ---------------------------------------------------------------------------------------------

def ingest(db_url, trade_paths, sentiment_paths):
    return serve_fixture.ingest(ARGUMENTS.binary, db_url, trade_paths, sentiment_paths)


def analyze(trade_paths, sentiment_paths, options):
    return serve_fixture.analyze(ARGUMENTS.binary, trade_paths, sentiment_paths, options)


def analyze_what(what, trade_paths, sentiment_paths, options):
    """The `what` array of `cryptomood analyze --what WHAT --format json` (diagnostics, or
    causality with --mode bars and --granger among the options)."""
    command = [ARGUMENTS.binary, "analyze", "--what", what, "--format", "json"]
    for path in trade_paths:
        command += ["--trades", path]
    for path in sentiment_paths:
        command += ["--sentiment", path]
    return json.loads(serve_fixture.run(command + options))[what]


def analyze_diagnostics(trade_paths, sentiment_paths, options):
    return analyze_what("diagnostics", trade_paths, sentiment_paths, options)


def analyze_causality(trade_paths, sentiment_paths, options):
    return analyze_what("causality", trade_paths, sentiment_paths, ["--mode", "bars", *options])


def simulate(out_dir, options):
    return serve_fixture.simulate(ARGUMENTS.binary, out_dir, options)


class Fixture:
    """Everything the tests share: three stores, a server on each, the reference data."""

    def __init__(self):
        self.work_dir = pathlib.Path(tempfile.mkdtemp(prefix="cryptomood-api-test."))
        self.stores = Stores(ARGUMENTS.backend, self.work_dir, ARGUMENTS.postgres_url_file)
        self.servers = []
        seed_dir = pathlib.Path(ARGUMENTS.seed_dir)
        self.seed_files = ([seed_dir / TRADES_FILE], [seed_dir / SENTIMENT_FILE])
        sim_trades, sim_tweets = simulate(self.work_dir / "sim", SIMULATION)
        self.sim_files = ([sim_trades], [sim_tweets])
        extra_trades, extra_tweets = simulate(self.work_dir / "extra", EXTRA_SIMULATION)
        self.extra_files = ([extra_trades], [extra_tweets])
        self.sim = Dataset(*self.sim_files)
        self.seed = Dataset(*self.seed_files)

        self.sim_db = self.stores.create("sim")
        self.seed_db = self.stores.create("seed")
        self.mutable_db = self.stores.create("mutable")
        ingest(self.sim_db, *self.sim_files)
        ingest(self.seed_db, *self.seed_files)
        ingest(self.mutable_db, *self.seed_files)
        self.sim_server = self.start_server(self.sim_db, "sim")
        self.seed_server = self.start_server(self.seed_db, "seed")
        self.mutable_server = self.start_server(self.mutable_db, "mutable")

    def start_server(self, db_url, name):
        server = Server(ARGUMENTS.binary, db_url, self.work_dir / f"serve-{name}.log")
        self.servers.append(server)
        return server

    def close(self, keep_work_dir):
        for server in self.servers:
            server.close()
        self.stores.drop_all()
        if keep_work_dir:
            print(f"api_test: work folder kept: {self.work_dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.work_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Shared assertions
# ---------------------------------------------------------------------------------------------

class ApiTestCase(unittest.TestCase):
    maxDiff = 4000

    def get_ok(self, server, path, params=(), content_type="application/json"):
        response = server.get(path, params)
        self.assertEqual(200, response.status,
                         f"GET {query_path(path, params)}: {response.body[:500]!r}")
        self.assertEqual(content_type, response.content_type(), query_path(path, params))
        return response

    def get_data(self, server, path, params=()):
        """The `data` array of a JSON answer (the envelope is checked too)."""
        body = self.get_ok(server, path, params).json()
        self.assertIsInstance(body, dict)
        self.assertIsInstance(body.get("data"), list, f"{path}: no data array")
        return body["data"]

    def assert_error(self, response, status, code, parameter=None, label=""):
        self.assertEqual(status, response.status, f"{label}: {response.body[:300]!r}")
        self.assertEqual("application/json", response.content_type(), label)
        error = response.json().get("error")
        self.assertIsInstance(error, dict, label)
        self.assertEqual(code, error.get("code"), label)
        self.assertIsInstance(error.get("message"), str, label)
        self.assertTrue(error["message"], f"{label}: empty message")
        if parameter is not None:
            self.assertEqual(parameter, error.get("parameter"), label)

    def assert_bad_parameter(self, server, path, params, parameter):
        self.assert_error(server.get(path, params), 400, "bad_parameter", parameter,
                          f"GET {query_path(path, params)}")

    def walk_pages(self, server, path, params, limit, format_name="json"):
        """All rows of a paginated route, following next_cursor (or X-Next-Cursor)."""
        rows, cursor, pages = [], None, 0
        while True:
            page_params = list(params) + [("limit", str(limit))]
            if format_name != "json":
                page_params.append(("format", format_name))
            if cursor is not None:
                page_params.append(("cursor", cursor))
            response = self.get_ok(server, path, page_params, CONTENT_TYPES[format_name])
            if format_name == "json":
                body = response.json()
                page, cursor = body["data"], body["next_cursor"]
            else:
                page, cursor = parse_rows(response, format_name), response.header("X-Next-Cursor")
            self.assertLessEqual(len(page), limit, f"{path} page {pages} exceeds the limit")
            rows.extend(page)
            pages += 1
            if cursor is None:
                return rows, pages
            self.assertIsInstance(cursor, str)
            self.assertLess(pages, 100000, f"{path}: the cursor never ends")

    def assert_rows_equal_analyze(self, api_rows, analyze_rows, label):
        """/correlation rows = analyze's result objects (numbers to 1e-12) + legacy keys."""
        self.assertEqual(len(analyze_rows), len(api_rows), f"{label}: row count")
        for index, (api_row, expected) in enumerate(zip(api_rows, analyze_rows)):
            where = f"{label} row {index} ({expected.get('symbol_id')} lag {expected.get('lag')})"
            self.assertEqual(set(expected) | {"first timestamp", "last timestamp", "correlation"},
                             set(api_row), f"{where}: fields")
            for name, value in expected.items():
                self.assert_same_value(value, api_row.get(name), f"{where} {name}")
            self.assertEqual(api_row["first_timestamp"], api_row["first timestamp"], where)
            self.assertEqual(api_row["last_timestamp"], api_row["last timestamp"], where)
            self.assertEqual(api_row["pearson"], api_row["correlation"], where)

    def assert_same_value(self, expected, actual, label, tolerance=SAME_CODE_TOLERANCE):
        if isinstance(expected, float) and isinstance(actual, (int, float)) \
                and not isinstance(actual, bool):
            self.assertTrue(close_enough(expected, actual, tolerance),
                            f"{label}: expected {expected!r}, got {actual!r}")
        else:
            self.assertEqual(expected, actual, label)

    def assert_rows_close(self, expected_rows, actual_rows, label, tolerance):
        self.assertEqual(len(expected_rows), len(actual_rows), f"{label}: row count")
        for index, (expected, actual) in enumerate(zip(expected_rows, actual_rows)):
            self.assertEqual(set(expected), set(actual), f"{label} row {index}: fields")
            for name, value in expected.items():
                self.assert_same_value(value, actual[name], f"{label} row {index} {name}",
                                       tolerance)


# /correlation's JSON-only aliases of first_timestamp, last_timestamp and pearson, kept for the
# original app's consumers; CSV (new, like analyze's CSV) need not repeat them.
LEGACY_CORRELATION_ALIASES = {"first timestamp", "last timestamp", "correlation"}
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv",
                 "ndjson": "application/x-ndjson"}


def parse_rows(response, format_name):
    """Rows of a csv (dicts of strings) or ndjson (dicts) body."""
    text = response.text()
    if format_name == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def csv_cell_for(value):
    """How the contract writes a JSON value in CSV: empty for null, coins joined by ','."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    return value


def csv_cell_matches(value, cell):
    expected = csv_cell_for(value)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return float(cell) == expected
        except ValueError:
            return False
    return cell == expected


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

class RecordRoutesTest(ApiTestCase):
    """/symbols, /coin, /sentiment: the stored records with the input files' field names."""

    def test_symbols_lists_every_symbol_with_coin_and_quote(self):
        expected = [{"symbol_id": symbol, "coin": base_asset(symbol),
                     "quote": symbol.split("_")[3]} for symbol in FIXTURE.sim.symbols()]
        self.assertEqual(expected, self.get_data(FIXTURE.sim_server, "/symbols"))

    def test_coin_pages_concatenate_to_all_trades_in_order(self):
        expected = [trade.record for trade in FIXTURE.sim.trades]
        rows, pages = self.walk_pages(FIXTURE.sim_server, "/coin", [], 1500)
        self.assertGreater(pages, 10)
        self.assertEqual(len(expected), len(rows))
        self.assertEqual(expected, rows)
        one_page = self.get_data(FIXTURE.sim_server, "/coin", {"limit": "100000"})
        self.assertEqual(rows, one_page)

    def test_coin_full_pages_hold_exactly_limit_rows(self):
        body = self.get_ok(FIXTURE.sim_server, "/coin", {"limit": "7"}).json()
        self.assertEqual(7, len(body["data"]))
        self.assertIsInstance(body["next_cursor"], str)
        self.assertEqual(1000, len(self.get_data(FIXTURE.sim_server, "/coin")),
                         "default limit")

    def test_sentiment_pages_concatenate_to_all_tweets_in_order(self):
        expected = [tweet.record for tweet in FIXTURE.sim.tweets]
        rows, pages = self.walk_pages(FIXTURE.sim_server, "/sentiment", [], 700)
        self.assertGreater(pages, 5)
        self.assertEqual(expected, rows)
        self.assertEqual(rows, self.get_data(FIXTURE.sim_server, "/sentiment",
                                             {"limit": "100000"}))

    def test_last_page_has_null_cursor(self):
        body = self.get_ok(FIXTURE.sim_server, "/sentiment", {"limit": "100000"}).json()
        self.assertIsNone(body["next_cursor"])

    def test_coin_parameter_repeated_or_comma_list(self):
        expected = [trade.record for trade in FIXTURE.sim.selected_trades({"BTC", "LTC"})]
        for params in ([("coin", "BTC"), ("coin", "LTC")], [("coin", "BTC,LTC")],
                       [("coin", "LTC,BTC"), ("coin", "BTC")]):
            with self.subTest(params=params):
                self.assertEqual(expected, self.get_data(
                    FIXTURE.sim_server, "/coin", params + [("limit", "100000")]))

    def test_sentiment_coin_keeps_tweets_naming_the_coin(self):
        expected = [tweet.record for tweet in FIXTURE.sim.selected_tweets({"ETH"})]
        self.assertEqual(expected, self.get_data(FIXTURE.sim_server, "/sentiment",
                                                 {"coin": "ETH", "limit": "100000"}))

    def test_unknown_coin_selects_nothing(self):
        for path in ("/coin", "/sentiment", "/merged"):
            with self.subTest(path=path):
                body = self.get_ok(FIXTURE.sim_server, path, {"coin": "NOPE"}).json()
                self.assertEqual([], body["data"])
                self.assertIsNone(body["next_cursor"])

    def test_from_inclusive_to_exclusive_with_offsets(self):
        trades = FIXTURE.sim.trades
        start, end = trades[5000].nanos, trades[9000].nanos
        expected_trades = [t.record for t in FIXTURE.sim.selected_trades(None, start, end)]
        expected_tweets = [t.record for t in FIXTURE.sim.selected_tweets(None, start, end)]
        self.assertEqual(trades[5000].record, expected_trades[0])
        for offset in (0, 120, -330):
            params = {"from": format_timestamp(start, offset),
                      "to": format_timestamp(end, offset), "limit": "100000"}
            with self.subTest(params=params):
                self.assertEqual(expected_trades, self.get_data(FIXTURE.sim_server, "/coin",
                                                                params))
                self.assertEqual(expected_tweets, self.get_data(FIXTURE.sim_server,
                                                                "/sentiment", params))

    def test_trades_have_the_original_field_names(self):
        row = self.get_data(FIXTURE.sim_server, "/coin", {"limit": "1"})[0]
        self.assertEqual({"coins", "price", "sequence", "size", "symbol_id", "taker_side",
                          "timestamp", "time_exchange", "type", "uuid"}, set(row))
        tweet = self.get_data(FIXTURE.sim_server, "/sentiment", {"limit": "1"})[0]
        self.assertEqual({"coins", "sentiment_polarity", "text", "timestamp"}, set(tweet))


class MergedTest(ApiTestCase):
    """/merged = the tick-mode as-of join, re-implemented here from the input files."""

    def test_backward_join_pages_equal_python_join(self):
        expected = FIXTURE.sim.merged_pairs()
        rows, pages = self.walk_pages(FIXTURE.sim_server, "/merged", [], 1500)
        self.assertGreater(pages, 10)
        self.assertEqual(len(expected), len(rows))
        self.assertEqual(expected, rows)

    def test_limit_counts_trades_examined(self):
        first_trades = FIXTURE.sim.trades[:500]
        expected = [pair for pair in FIXTURE.sim.merged_pairs(tolerance=60 * NANOS)
                    if parse_timestamp(pair["timestamp"]) <= first_trades[-1].nanos]
        body = self.get_ok(FIXTURE.sim_server, "/merged",
                           {"limit": "500", "tolerance": "1m"}).json()
        self.assertLess(len(expected), 500, "the simulated data leaves early trades unmatched")
        self.assertEqual(expected, body["data"])
        self.assertIsInstance(body["next_cursor"], str)

    def test_directions_tolerance_and_coins(self):
        for direction in ("forward", "nearest", "backward"):
            for tolerance in (None, "90s"):
                params = [("coin", "ETH,LTC"), ("direction", direction)]
                if tolerance:
                    params.append(("tolerance", tolerance))
                expected = FIXTURE.sim.merged_pairs(
                    {"ETH", "LTC"}, direction, tolerance and parse_duration(tolerance))
                with self.subTest(params=params):
                    rows, _ = self.walk_pages(FIXTURE.sim_server, "/merged", params, 4000)
                    self.assertEqual(expected, rows)

    def test_from_to_restricts_trades_and_tweets(self):
        """from/to apply before the join: a trade never joins a tweet from before `from`."""
        start = FIXTURE.sim.trades[3000].nanos
        end = FIXTURE.sim.trades[3400].nanos
        expected = FIXTURE.sim.merged_pairs(start=start, end=end)
        self.assertGreater(len(expected), 100)
        rows = self.get_data(FIXTURE.sim_server, "/merged",
                             {"from": format_timestamp(start), "to": format_timestamp(end),
                              "limit": "100000"})
        self.assertEqual(expected, rows)


class FormatTest(ApiTestCase):
    """format=csv and format=ndjson carry the same rows as JSON."""

    ROUTES = [("/symbols", []), ("/coin", [("limit", "300")]), ("/sentiment", [("limit", "300")]),
              ("/merged", [("limit", "300"), ("coin", "BTC")]), ("/correlation", []),
              ("/correlation", [("mode", "bars"), ("interval", "1h"), ("lags", "-1:1")]),
              ("/series", [("coin", "LTC"), ("interval", "1h")])]

    def test_csv_and_ndjson_rows_equal_json_rows(self):
        for path, params in self.ROUTES:
            json_rows = self.get_data(FIXTURE.sim_server, path, params)
            self.assertTrue(json_rows, f"{path}: no rows to compare")
            for format_name in ("csv", "ndjson"):
                with self.subTest(path=path, params=params, format=format_name):
                    response = self.get_ok(FIXTURE.sim_server, path,
                                           params + [("format", format_name)],
                                           CONTENT_TYPES[format_name])
                    rows = parse_rows(response, format_name)
                    if format_name == "ndjson":
                        self.assertEqual(json_rows, rows)
                    else:
                        self.assert_csv_rows_match(json_rows, rows, path)

    def assert_csv_rows_match(self, json_rows, csv_rows, label):
        self.assertEqual(len(json_rows), len(csv_rows), f"{label}: csv row count")
        for index, (expected, cells) in enumerate(zip(json_rows, csv_rows)):
            missing = set(expected) - set(cells) - LEGACY_CORRELATION_ALIASES
            self.assertFalse(missing, f"{label} row {index}: columns missing in csv")
            for name, cell in cells.items():
                self.assertTrue(csv_cell_matches(expected.get(name), cell),
                                f"{label} row {index} {name}: json {expected.get(name)!r}, "
                                f"csv {cell!r}")

    def test_csv_and_ndjson_pages_follow_x_next_cursor(self):
        json_rows, _ = self.walk_pages(FIXTURE.sim_server, "/coin", [("coin", "ETH")], 2500)
        ndjson_rows, pages = self.walk_pages(FIXTURE.sim_server, "/coin", [("coin", "ETH")],
                                             2500, "ndjson")
        self.assertGreater(pages, 1)
        self.assertEqual(json_rows, ndjson_rows)
        csv_rows, _ = self.walk_pages(FIXTURE.sim_server, "/coin", [("coin", "ETH")], 2500,
                                      "csv")
        self.assert_csv_rows_match(json_rows, csv_rows, "/coin csv pages")

    def test_last_csv_page_has_no_cursor_header(self):
        response = self.get_ok(FIXTURE.sim_server, "/sentiment",
                               {"limit": "100000", "format": "csv"}, "text/csv")
        self.assertIsNone(response.header("X-Next-Cursor"))
        response = self.get_ok(FIXTURE.sim_server, "/sentiment",
                               {"limit": "10", "format": "ndjson"}, "application/x-ndjson")
        self.assertTrue(response.header("X-Next-Cursor"))


class CorrelationTest(ApiTestCase):
    """/correlation reproduces `cryptomood analyze`, and the seed compat figure independently."""

    def compare_with_analyze(self, server, files, params, option_sets):
        api_rows = self.get_data(server, "/correlation", params)
        expected = [row for options in option_sets for row in analyze(*files, options)]
        self.assert_rows_equal_analyze(api_rows, expected, f"/correlation {params}")
        return api_rows

    def test_seed_default_is_compat_row_then_tick_rows(self):
        rows = self.compare_with_analyze(FIXTURE.seed_server, FIXTURE.seed_files, {},
                                         [["--mode", "compat"], ["--mode", "tick"]])
        self.assertEqual("*", rows[0]["symbol_id"])
        self.assertEqual(["tick"] * (len(rows) - 1), [row["mode"] for row in rows[1:]])

    def test_seed_bars_lag_scan(self):
        self.compare_with_analyze(FIXTURE.seed_server, FIXTURE.seed_files,
                                  {"mode": "bars", "interval": "1m", "lags": "-2:2"},
                                  [["--mode", "bars", "--interval", "1m", "--lags", "-2:2"]])

    def test_seed_windows(self):
        self.compare_with_analyze(FIXTURE.seed_server, FIXTURE.seed_files, {"window": "1h"},
                                  [["--mode", "compat", "--window", "1h"],
                                   ["--mode", "tick", "--window", "1h"]])
        self.compare_with_analyze(FIXTURE.seed_server, FIXTURE.seed_files,
                                  {"mode": "tick", "window": "1m"},
                                  [["--mode", "tick", "--window", "1m"]])

    def test_simulated_data_every_option(self):
        middle = FIXTURE.sim.trades[len(FIXTURE.sim.trades) // 2].nanos
        cases = [
            ({"mode": "tick", "direction": "nearest", "tolerance": "30s", "coin": "BTC,ETH"},
             ["--mode", "tick", "--direction", "nearest", "--tolerance", "30s",
              "--coin", "BTC,ETH"]),
            ([("mode", "bars"), ("interval", "5m"), ("lags", "-3:3"), ("window", "1d"),
              ("coin", "ETH"), ("coin", "LTC")],
             ["--mode", "bars", "--interval", "5m", "--lags", "-3:3", "--window", "1d",
              "--coin", "ETH", "--coin", "LTC"]),
            ({"mode": "compat", "tolerance": "2m", "from": format_timestamp(middle, 60),
              "to": "2018-07-22T00:00:00Z"},
             ["--mode", "compat", "--tolerance", "2m", "--from", format_timestamp(middle),
              "--to", "2018-07-22T00:00:00Z"]),
            ({"mode": "tick", "window": "1h"}, ["--mode", "tick", "--window", "1h"]),
        ]
        for params, options in cases:
            with self.subTest(params=params):
                self.compare_with_analyze(FIXTURE.sim_server, FIXTURE.sim_files, params,
                                          [options])

    def test_seed_compat_pearson_recomputed_independently(self):
        pairs = FIXTURE.seed.compat_pairs()
        self.assertEqual(308, len(pairs), "the seed has 308 trades, all with a nearest tweet")
        expected = pearson([price for price, _ in pairs], [polarity for _, polarity in pairs])
        row = self.get_data(FIXTURE.seed_server, "/correlation")[0]
        self.assertEqual(("*", "*", "compat", 308), (row["symbol_id"], row["coin"], row["mode"],
                                                    row["n"]))
        self.assertTrue(close_enough(expected, row["pearson"], INDEPENDENT_TOLERANCE),
                        f"compat pearson: python {expected!r}, api {row['pearson']!r}")
        self.assertEqual(row["pearson"], row["correlation"])

    def test_seed_tick_rows_recomputed_independently(self):
        rows = {row["symbol_id"]: row
                for row in self.get_data(FIXTURE.seed_server, "/correlation", {"mode": "tick"})}
        pairs = FIXTURE.seed.merged_pairs()
        for symbol in FIXTURE.seed.symbols():
            symbol_pairs = [pair for pair in pairs if pair["symbol_id"] == symbol]
            with self.subTest(symbol=symbol):
                self.assertEqual(len(symbol_pairs), rows[symbol]["n"])
                expected = pearson([pair["price"] for pair in symbol_pairs],
                                   [pair["sentiment_polarity"] for pair in symbol_pairs])
                self.assertTrue(close_enough(expected, rows[symbol]["pearson"],
                                             INDEPENDENT_TOLERANCE),
                                f"{symbol}: python {expected!r}, api {rows[symbol]['pearson']!r}")

    def test_cache_miss_then_hit(self):
        params = {"mode": "bars", "interval": "3m", "lags": "0:1", "coin": "LTC"}  # used once
        hits_before = metric_value(FIXTURE.sim_server, "cryptomood_cache_hits_total")
        first = self.get_ok(FIXTURE.sim_server, "/correlation", params)
        second = self.get_ok(FIXTURE.sim_server, "/correlation", params)
        self.assertEqual("miss", first.header("X-Cache"))
        self.assertEqual("hit", second.header("X-Cache"))
        self.assertEqual(first.json(), second.json())
        self.assertGreaterEqual(
            metric_value(FIXTURE.sim_server, "cryptomood_cache_hits_total"), hits_before + 1)


class SeriesTest(ApiTestCase):
    """/series bars, re-computed from the input trades and tweets."""

    def assert_series(self, params, symbols, interval, start=None, end=None):
        rows = self.get_data(FIXTURE.sim_server, "/series", params)
        expected = [row for symbol in symbols
                    for row in FIXTURE.sim.bars(symbol, interval, start, end)]
        self.assert_rows_close(expected, rows, f"/series {params}", INDEPENDENT_TOLERANCE)
        return rows

    def test_default_one_minute_bars_of_one_coin(self):
        rows = self.assert_series({"coin": "BTC"}, ["COINBASE_SPOT_BTC_USD"], 60 * NANOS)
        self.assertGreater(len(rows), 5000)

    def test_every_symbol_hourly_ordered_by_symbol(self):
        self.assert_series({"interval": "1h"}, FIXTURE.sim.symbols(), 3600 * NANOS)

    def test_from_to_range_starts_and_ends_at_the_given_bars(self):
        start = parse_timestamp("2018-07-17T03:02:30Z")
        end = parse_timestamp("2018-07-17T09:00:00Z")
        rows = self.assert_series({"coin": "ETH,LTC", "interval": "5m",
                                   "from": format_timestamp(start),
                                   "to": format_timestamp(end)},
                                  ["COINBASE_SPOT_ETH_USD", "COINBASE_SPOT_LTC_USD"],
                                  5 * 60 * NANOS, start, end)
        self.assertEqual("2018-07-17T03:00:00.000000Z", rows[0]["bar_start"])
        self.assertEqual("2018-07-17T08:55:00.000000Z", rows[-1]["bar_start"])
        self.assertFalse(any(row["incomplete"] for row in rows))

    def test_bars_are_gap_free_and_returns_are_log_ratios(self):
        """Checked on the server's own rows: each symbol's bar_start steps by the interval."""
        interval = 60 * NANOS
        rows = self.get_data(FIXTURE.sim_server, "/series", {})
        by_symbol = {}
        for row in rows:
            by_symbol.setdefault(row["symbol_id"], []).append(row)
        self.assertEqual(FIXTURE.sim.symbols(), list(by_symbol))
        saw_empty_bar = False
        for symbol, bars in by_symbol.items():
            starts = [parse_timestamp(row["bar_start"]) for row in bars]
            self.assertTrue(all(b - a == interval for a, b in zip(starts, starts[1:])), symbol)
            for previous, bar in zip(bars, bars[1:]):
                if bar["trades"] == 0:
                    saw_empty_bar = True
                    label = f"{symbol} empty bar {bar['bar_start']}"
                    self.assertEqual((None, None, None, 0),
                                     (bar["close"], bar["vwap"], bar["return"], bar["volume"]),
                                     label)
                if bar["tweets"] == 0:
                    self.assertIsNone(bar["sentiment"], f"{symbol} {bar['bar_start']}")
                if bar["close"] is not None and previous["close"] is not None:
                    self.assertTrue(close_enough(math.log(bar["close"] / previous["close"]),
                                                 bar["return"], SAME_CODE_TOLERANCE),
                                    f"{symbol} {bar['bar_start']} return")
                else:
                    self.assertIsNone(bar["return"])
        self.assertTrue(saw_empty_bar, "the simulated data has empty one-minute bars")

    def test_incomplete_only_on_bars_open_at_the_data_end(self):
        rows = self.get_data(FIXTURE.sim_server, "/series", {"interval": "1h"})
        last_symbol = max(FIXTURE.sim.trades, key=lambda trade: trade.nanos).symbol_id
        flagged = [(row["symbol_id"], row["bar_start"]) for row in rows if row["incomplete"]]
        last_bar = [row for row in rows if row["symbol_id"] == last_symbol][-1]
        self.assertIn((last_symbol, last_bar["bar_start"]), flagged)
        for row in rows:
            end = parse_timestamp(row["bar_start"]) + 3600 * NANOS
            self.assertEqual(end > FIXTURE.sim.latest_trade, row["incomplete"], row["bar_start"])

    def test_max_points_keeps_extremes_and_bounds_rows(self):
        full = self.get_data(FIXTURE.sim_server, "/series", {"coin": "BTC"})
        by_start = {row["bar_start"]: row for row in full}
        closes = [row["close"] for row in full if row["close"] is not None]
        for max_points in (2, 50, 1001):
            with self.subTest(max_points=max_points):
                rows = self.get_data(FIXTURE.sim_server, "/series",
                                     {"coin": "BTC", "max_points": str(max_points)})
                self.assertLessEqual(len(rows), max_points)
                self.assertGreaterEqual(len(rows), 2)
                starts = [row["bar_start"] for row in rows]
                self.assertEqual(sorted(set(starts)), starts, "time order, no repeats")
                for row in rows:
                    self.assertEqual(by_start.get(row["bar_start"]), row, "a kept bar")
                kept_closes = [row["close"] for row in rows]
                self.assertIn(min(closes), kept_closes)
                self.assertIn(max(closes), kept_closes)
        rows = self.get_data(FIXTURE.sim_server, "/series",
                             {"coin": "BTC", "max_points": str(len(full))})
        self.assertEqual(full, rows, "max_points >= bar count changes nothing")

    def test_too_many_bars_needs_max_points(self):
        params = {"coin": "BTC", "interval": "100ms"}
        self.assert_error(FIXTURE.sim_server.get("/series", params), 413, "too_large", "interval",
                          f"GET {query_path('/series', params)}")
        rows = self.get_data(FIXTURE.sim_server, "/series",
                             {"coin": "BTC", "interval": "2s", "max_points": "400"})
        self.assertLessEqual(len(rows), 400)


class DiagnosticsTest(ApiTestCase):
    """/diagnostics answers what `cryptomood analyze --what diagnostics` prints."""

    def diagnostics(self, params):
        body = self.get_ok(FIXTURE.sim_server, "/diagnostics", params).json()
        self.assertEqual(["diagnostics"], list(body))
        return body["diagnostics"]

    def test_equal_to_the_command_line(self):
        middle = FIXTURE.sim.trades[len(FIXTURE.sim.trades) // 2].nanos
        cases = [
            ({}, []),
            ({"coin": "ETH,BTC", "interval": "5m"}, ["--coin", "ETH,BTC", "--interval", "5m"]),
            ({"coin": "LTC", "from": format_timestamp(middle), "to": "2018-07-22T00:00:00Z"},
             ["--coin", "LTC", "--from", format_timestamp(middle),
              "--to", "2018-07-22T00:00:00Z"]),
        ]
        for params, options in cases:
            with self.subTest(params=params):
                expected = analyze_diagnostics(*FIXTURE.sim_files, options)
                self.assertEqual(expected, self.diagnostics(params))

    def test_three_series_per_symbol_with_their_regressions(self):
        rows = self.diagnostics({"coin": "BTC"})
        self.assertEqual(["log_price", "returns", "sentiment"], [row["series"] for row in rows])
        self.assertEqual(["ct", "c", "c"], [row["regression"] for row in rows])
        self.assertEqual("stationary", rows[1]["verdict"], rows[1])
        self.assertEqual("upper", rows[0]["kpss"]["p_value_bound"], rows[0])

    def test_bad_parameters_are_named(self):
        for params, parameter in (({"interval": "1x"}, "interval"),
                                  ({"from": "yesterday"}, "from"),
                                  ({"lags": "0:1"}, "lags")):
            with self.subTest(params=params):
                self.assert_bad_parameter(FIXTURE.sim_server, "/diagnostics", params, parameter)

    def test_too_many_bars_are_refused_naming_the_interval(self):
        params = {"coin": "BTC", "interval": "100ms"}
        self.assert_error(FIXTURE.sim_server.get("/diagnostics", params), 413, "too_large",
                          "interval", f"GET {query_path('/diagnostics', params)}")
class CausalityTest(ApiTestCase):
    """/causality reproduces `cryptomood analyze --mode bars --granger`'s causality array."""

    def assert_equals_analyze(self, params, options):
        body = self.get_ok(FIXTURE.sim_server, "/causality", params).json()
        self.assertEqual(["causality"], list(body))
        api_rows = body["causality"]
        expected = analyze_causality(*FIXTURE.sim_files, options)
        self.assertEqual(len(expected), len(api_rows), f"/causality {params}: row count")
        for index, (api_row, row) in enumerate(zip(api_rows, expected)):
            self.assertEqual(list(row), list(api_row), f"/causality {params} row {index} keys")
            for key, value in row.items():
                label = f"/causality {params} row {index} {key}"
                if isinstance(value, float):
                    self.assertTrue(close_enough(value, api_row[key], SAME_CODE_TOLERANCE),
                                    f"{label}: {api_row[key]} != {value}")
                else:
                    self.assertEqual(value, api_row[key], label)
        return api_rows

    def test_reply_equals_analyze(self):
        rows = self.assert_equals_analyze({}, ["--granger"])
        self.assertEqual(2 * len(FIXTURE.sim.symbols()), len(rows))
        self.assertEqual(["sentiment", "returns"], [row["cause"] for row in rows[:2]])
        self.assert_equals_analyze({"coin": "ETH,LTC", "interval": "5m", "window": "1d",
                                    "lags": "3"},
                                   ["--granger", "3", "--coin", "ETH,LTC", "--interval", "5m",
                                    "--window", "1d"])

    def test_bad_lags_is_a_400_naming_lags(self):
        for lags in ("0", "-1", "x", "-2:2", "101"):
            with self.subTest(lags=lags):
                self.assert_bad_parameter(FIXTURE.sim_server, "/causality", {"lags": lags},
                                          "lags")
        self.assert_bad_parameter(FIXTURE.sim_server, "/causality", {"mode": "bars"}, "mode")


class ErrorTest(ApiTestCase):
    """Every error class of the contract, with the parameter it names."""

    ROUTES = ["/symbols", "/coin", "/sentiment", "/merged", "/correlation", "/series",
              "/diagnostics"]
    MALFORMED = [  # (route, context parameters, the bad parameter, its value)
        ("/coin", {}, "from", "yesterday"),
        ("/coin", {}, "to", "2018-13-01T00:00:00Z"),
        ("/sentiment", {}, "from", "2018-07-16T25:00:00Z"),
        ("/coin", {}, "limit", "ten"),
        ("/coin", {}, "limit", "0"),
        ("/coin", {}, "limit", "100001"),
        ("/sentiment", {}, "limit", "-1"),
        ("/merged", {}, "limit", "1.5"),
        ("/coin", {}, "cursor", "not-a-cursor"),
        ("/merged", {}, "cursor", "v1"),
        ("/coin", {}, "format", "xml"),
        ("/symbols", {}, "format", "yaml"),
        ("/merged", {}, "direction", "sideways"),
        ("/merged", {}, "tolerance", "5 parsecs"),
        ("/correlation", {}, "mode", "ticks"),
        ("/correlation", {}, "direction", "up"),
        ("/correlation", {}, "tolerance", "soon"),
        ("/correlation", {"mode": "bars"}, "interval", "fortnight"),
        ("/correlation", {"mode": "bars"}, "lags", "1:x"),
        ("/correlation", {}, "window", "1x"),
        ("/correlation", {}, "from", "2018-07-16 00:00:00"),
        ("/series", {}, "interval", "abc"),
        ("/series", {}, "max_points", "1"),
        ("/series", {}, "max_points", "100001"),
        ("/series", {}, "max_points", "many"),
        ("/series", {}, "to", "tomorrow"),
    ]
    REPEATED = [  # single-valued parameters given twice: (route, context, name, value, other)
        ("/coin", {}, "from", "2018-07-17T00:00:00Z", "2018-07-17T01:00:00Z"),
        ("/coin", {}, "to", "2018-07-18T00:00:00Z", "2018-07-19T00:00:00Z"),
        ("/coin", {}, "limit", "5", "6"), ("/sentiment", {}, "format", "json", "csv"),
        ("/merged", {}, "direction", "backward", "forward"),
        ("/merged", {}, "tolerance", "1s", "2s"),
        ("/correlation", {}, "mode", "tick", "compat"), ("/correlation", {}, "window", "1h", "1d"),
        ("/correlation", {"mode": "bars"}, "interval", "1m", "5m"),
        ("/correlation", {"mode": "bars"}, "lags", "0:1", "0:2"),
        ("/series", {}, "interval", "1h", "1d"), ("/series", {}, "max_points", "10", "20"),
        ("/symbols", {}, "format", "csv", "json"),
    ]

    def test_unknown_parameter_on_every_route(self):
        for route in self.ROUTES:
            with self.subTest(route=route):
                self.assert_bad_parameter(FIXTURE.sim_server, route, {"colour": "blue"},
                                          "colour")

    def test_parameter_of_another_route(self):
        for route, parameter, value in (("/series", "limit", "5"), ("/symbols", "coin", "BTC"),
                                        ("/coin", "mode", "tick"), ("/sentiment", "direction",
                                                                    "forward"),
                                        ("/merged", "interval", "1m"),
                                        ("/correlation", "cursor", "x"),
                                        ("/correlation", "max_points", "10")):
            with self.subTest(route=route, parameter=parameter):
                self.assert_bad_parameter(FIXTURE.sim_server, route, {parameter: value},
                                          parameter)

    def test_malformed_values(self):
        for route, context, parameter, value in self.MALFORMED:
            with self.subTest(route=route, parameter=parameter, value=value):
                self.assert_bad_parameter(FIXTURE.sim_server, route,
                                          list(context.items()) + [(parameter, value)],
                                          parameter)

    def test_repeated_single_valued_parameters(self):
        for route, context, parameter, value, other_value in self.REPEATED:
            for second in (other_value, value):
                params = list(context.items()) + [(parameter, value), (parameter, second)]
                with self.subTest(route=route, parameter=parameter, values=(value, second)):
                    self.assert_bad_parameter(FIXTURE.sim_server, route, params, parameter)

    def test_repeated_cursor(self):
        cursor = self.get_ok(FIXTURE.sim_server, "/coin", {"limit": "3"}).json()["next_cursor"]
        self.assert_bad_parameter(FIXTURE.sim_server, "/coin",
                                  [("limit", "3"), ("cursor", cursor), ("cursor", cursor)],
                                  "cursor")

    def test_limit_bounds_are_inclusive(self):
        self.assertEqual(1, len(self.get_data(FIXTURE.sim_server, "/coin", {"limit": "1"})))
        self.get_ok(FIXTURE.sim_server, "/sentiment", {"limit": "100000"})

    def test_bad_combinations(self):
        for params, parameter in (({"mode": "bars", "direction": "forward"}, "direction"),
                                  ({"mode": "tick", "lags": "-1:1"}, "lags"),
                                  ({"mode": "compat", "lags": "0:2"}, "lags"),
                                  ({"lags": "1:1"}, "lags")):
            with self.subTest(params=params):
                self.assert_bad_parameter(FIXTURE.sim_server, "/correlation", params, parameter)
        self.get_ok(FIXTURE.sim_server, "/correlation", {"mode": "tick", "lags": "0:0"})

    def test_stream_source_parameters(self):
        for params, parameter in (({"source": "kafka", "window": "1h"}, "source"),
                                  ({"source": "stream"}, "window"),
                                  ({"source": "stream", "mode": "bars"}, "window"),
                                  ({"source": "stream", "window": "1h", "format": "csv"},
                                   "format")):
            with self.subTest(params=params):
                self.assert_bad_parameter(FIXTURE.sim_server, "/correlation", params, parameter)
        # No stream has committed rows to this store: an empty list, not computed rows.
        self.assertEqual([], self.get_data(FIXTURE.sim_server, "/correlation",
                                           {"source": "stream", "window": "1h"}))
        self.assertEqual(self.get_data(FIXTURE.sim_server, "/correlation", {"window": "1d"}),
                         self.get_data(FIXTURE.sim_server, "/correlation",
                                       {"source": "computed", "window": "1d"}))

    def test_from_not_before_to(self):
        for route in ("/coin", "/sentiment", "/merged", "/correlation", "/series"):
            for start, end in (("2018-07-17T00:00:00Z", "2018-07-17T00:00:00Z"),
                               ("2018-07-17T02:00:00+02:00", "2018-07-17T00:00:00Z"),
                               ("2018-07-18T00:00:00Z", "2018-07-17T00:00:00Z")):
                with self.subTest(route=route, start=start, end=end):
                    self.assert_bad_parameter(FIXTURE.sim_server, route,
                                              {"from": start, "to": end}, "to")

    def test_unknown_path_is_json_404(self):
        for path in ("/nope", "/coins", "/correlation/extra", "/api/v2/coin"):
            with self.subTest(path=path):
                self.assert_error(FIXTURE.sim_server.get(path), 404, "not_found", label=path)

    def test_wrong_method_is_json_405_with_allow(self):
        for method, path in (("POST", "/correlation"), ("PUT", "/coin"), ("DELETE", "/symbols"),
                             ("POST", "/healthz")):
            with self.subTest(method=method, path=path):
                response = FIXTURE.sim_server.request(method, path, body=b"")
                self.assert_error(response, 405, "method_not_allowed", label=f"{method} {path}")
                allowed = {part.strip() for part in (response.header("Allow") or "").split(",")}
                self.assertEqual({"GET", "HEAD"}, allowed)

    def test_post_without_content_length_is_405(self):
        """A bodyless POST need not carry Content-Length (RFC 9112 section 6.3)."""
        raw = FIXTURE.sim_server.raw_exchange(
            b"POST /correlation HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        self.assertEqual(405, raw_status(raw), raw[:300])

    def test_head_answers_like_get_without_body(self):
        response = FIXTURE.sim_server.request("HEAD", "/symbols")
        self.assertEqual(200, response.status)
        self.assertEqual("application/json", response.content_type())
        self.assertEqual(b"", response.body)


class OperationsTest(ApiTestCase):
    """/healthz, /metrics, /openapi.json and the static files."""

    def test_healthz(self):
        body = self.get_ok(FIXTURE.sim_server, "/healthz").json()
        self.assertEqual("ok", body["status"])
        self.assertEqual(ARGUMENTS.backend, body["backend"])
        for name in ("schema_version", "data_version"):
            self.assertIsInstance(body[name], int)
            self.assertGreaterEqual(body[name], 1)
        self.assertNotIn("streams", body)  # no stream has committed to this store

    def test_metrics_names_and_request_counter(self):
        text = self.get_ok(FIXTURE.sim_server, "/metrics", content_type="text/plain").text()
        for name in ("cryptomood_http_requests_total", "cryptomood_http_request_duration_seconds_bucket",
                     "cryptomood_http_request_duration_seconds_sum",
                     "cryptomood_http_request_duration_seconds_count",
                     "cryptomood_cache_hits_total", "cryptomood_cache_misses_total",
                     "cryptomood_store_trades", "cryptomood_store_sentiment",
                     "cryptomood_store_rejected_lines", "cryptomood_store_data_version",
                     "cryptomood_ingest_runs"):
            self.assertRegex(text, rf"(?m)^{name}(\{{[^}}]*\}})? ", name)
        self.assertIn('le="+Inf"', text)
        ok_symbols = 'cryptomood_http_requests_total{route="/symbols",status="200"}'
        bad_coin = 'cryptomood_http_requests_total{route="/coin",status="400"}'
        before = (metric_value(FIXTURE.sim_server, ok_symbols),
                  metric_value(FIXTURE.sim_server, bad_coin))
        for _ in range(3):
            self.get_ok(FIXTURE.sim_server, "/symbols")
        FIXTURE.sim_server.get("/coin", {"limit": "0"})
        after = (metric_value(FIXTURE.sim_server, ok_symbols),
                 metric_value(FIXTURE.sim_server, bad_coin))
        self.assertGreaterEqual(after[0], before[0] + 3)
        self.assertGreaterEqual(after[1], before[1] + 1)
        self.assertEqual(len(FIXTURE.sim.trades),
                         metric_value(FIXTURE.sim_server, "cryptomood_store_trades"))
        self.assertEqual(len(FIXTURE.sim.tweets),
                         metric_value(FIXTURE.sim_server, "cryptomood_store_sentiment"))

    def test_metrics_content_type(self):
        response = FIXTURE.sim_server.get("/metrics")
        self.assertEqual("text/plain", response.content_type())
        self.assertIn("version=0.0.4", response.header("Content-Type") or "")

    def test_index_page(self):
        response = self.get_ok(FIXTURE.sim_server, "/", content_type="text/html")
        self.assertIn(b"<html", response.body.lower())

    def test_path_traversal_never_leaves_the_web_root(self):
        secrets = [(REPOSITORY / "CMakeLists.txt").read_bytes()[:60], b"root:x:0:0"]
        for path in ("/../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fCMakeLists.txt",
                     "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                     "/vendor/uplot/../../../../CMakeLists.txt",
                     "/vendor/uplot/%2e%2e/%2e%2e/%2e%2e/%2e%2e/CMakeLists.txt",
                     "/vendor/uplot/..%2f..%2f..%2f..%2fCMakeLists.txt",
                     "/static/../../CMakeLists.txt", "//etc/passwd", "/%00/etc/passwd"):
            with self.subTest(path=path):
                raw = FIXTURE.sim_server.raw_exchange(
                    f"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".encode())
                self.assertIn(raw_status(raw), (400, 404), raw[:300])
                for secret in secrets:
                    self.assertNotIn(secret, raw)

    def test_request_line_over_8_kib_is_414_and_server_survives(self):
        line = f"GET /symbols?coin={'A' * 9000} HTTP/1.1\r\nHost: test\r\n\r\n".encode()
        self.assertIn(raw_status(FIXTURE.sim_server.raw_exchange(line)), (414, 400))
        header = f"GET /symbols HTTP/1.1\r\nHost: test\r\nX-Big: {'b' * 70000}\r\n\r\n".encode()
        self.assertIn(raw_status(FIXTURE.sim_server.raw_exchange(header)), (431, 400))
        self.get_ok(FIXTURE.sim_server, "/healthz")


class OpenApiTest(ApiTestCase):
    """/openapi.json is OpenAPI 3.1, lists the contract's routes and parameters, and real
    responses validate against its schemas (JSON Schema 2020-12)."""

    PARAMETERS = {
        "/symbols": {"format"},
        "/coin": {"coin", "from", "to", "limit", "cursor", "format"},
        "/sentiment": {"coin", "from", "to", "limit", "cursor", "format"},
        "/merged": {"coin", "from", "to", "direction", "tolerance", "limit", "cursor", "format"},
        "/correlation": {"coin", "from", "to", "mode", "direction", "tolerance", "interval",
                         "lags", "window", "format", "source"},
        "/events": {"coin", "from", "to", "mode", "direction", "tolerance", "interval", "lags",
                    "window", "last_event_id", "Last-Event-ID"},  # the last one a header
        "/series": {"coin", "from", "to", "interval", "max_points", "format"},
        "/diagnostics": {"coin", "from", "to", "interval"},
        "/causality": {"coin", "from", "to", "interval", "window", "lags"},
        "/healthz": set(), "/metrics": set(), "/openapi.json": set(),
    }
    SAMPLES = [  # real requests whose JSON answers must validate
        ("/symbols", {}), ("/coin", {"limit": "200"}), ("/sentiment", {"limit": "200"}),
        ("/merged", {"limit": "200"}), ("/correlation", {}),
        ("/correlation", {"mode": "bars", "interval": "1h", "lags": "-2:2", "window": "1d"}),
        ("/series", {"coin": "BTC", "interval": "1h"}), ("/healthz", {}),
        ("/coin", {"limit": "0"}), ("/correlation", {"mode": "nope"}),
        ("/correlation", {"source": "stream", "mode": "bars", "window": "1d"}),
        ("/series", {"coin": "BTC", "interval": "1ms"}),  # 413: over the bar limit
        ("/diagnostics", {"coin": "ETH,LTC", "interval": "5m"}), ("/diagnostics", {"coin": "nope"}),
        ("/diagnostics", {"interval": "1ms"}),  # 413
        ("/causality", {}), ("/causality", {"coin": "ETH", "window": "1d", "lags": "2"}),
        ("/causality", {"lags": "0"}), ("/causality", {"interval": "1ms"}),
    ]

    @classmethod
    def setUpClass(cls):
        response = FIXTURE.sim_server.get("/openapi.json")
        assert response.status == 200, response.body[:300]
        cls.document = response.json()

    def resolve(self, node):
        """Follows a local $ref (#/a/b) in the document."""
        while isinstance(node, dict) and "$ref" in node:
            reference = node["$ref"]
            self.assertTrue(reference.startswith("#/"), reference)
            node = self.document
            for part in reference[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def test_document_is_openapi_3_1_with_every_route(self):
        self.assertRegex(self.document.get("openapi", ""), r"^3\.1\.\d+$")
        self.assertEqual(set(self.PARAMETERS), set(self.document["paths"]))

    def test_parameters_match_the_contract(self):
        for path, expected in self.PARAMETERS.items():
            with self.subTest(path=path):
                operation = self.document["paths"][path]["get"]
                names = {self.resolve(parameter)["name"]
                         for parameter in operation.get("parameters", [])}
                self.assertEqual(expected, names)

    def test_every_reference_resolves(self):
        def walk(node):
            if isinstance(node, dict):
                if "$ref" in node:
                    self.resolve(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(self.document)

    def response_schema(self, path, status):
        responses = self.document["paths"][path]["get"]["responses"]
        self.assertIn(str(status), responses, f"{path}: no {status} response documented")
        response = self.resolve(responses[str(status)])
        return response["content"]["application/json"]["schema"]

    def test_real_responses_validate(self):
        for path, params in self.SAMPLES:
            with self.subTest(path=path, params=params):
                response = FIXTURE.sim_server.get(path, params)
                schema = dict(self.response_schema(path, response.status))
                # Embedding the components lets "#/components/..." resolve inside the schema.
                schema["components"] = self.document.get("components", {})
                validator = jsonschema.Draft202012Validator(schema)
                errors = sorted(validator.iter_errors(response.json()), key=str)
                self.assertEqual([], [f"{list(error.path)}: {error.message}"
                                      for error in errors[:5]])

    def test_schemas_reject_a_broken_response(self):
        """Guards the validation above: a schema that accepts anything would prove nothing."""
        schema = dict(self.response_schema("/coin", 200))
        schema["components"] = self.document.get("components", {})
        validator = jsonschema.Draft202012Validator(schema)
        self.assertFalse(validator.is_valid({"data": [{"price": "cheap"}], "next_cursor": None}))

    def test_health_schema_describes_stream_progress(self):
        """/healthz's streams as a stream member's commits fill them (written by
        tests/http/stream_correlation_test.cc against the server): the liveness interval is
        optional, and positive when present."""
        schema = dict(self.response_schema("/healthz", 200))
        schema["components"] = self.document.get("components", {})
        validator = jsonschema.Draft202012Validator(schema)
        entry = {"group": "g", "params_key": "mode=bars window=1h", "partition": 2,
                 "consumer_lag": 42, "committed_at": "2026-12-04T10:00:00.000000Z"}
        body = {"status": "ok", "backend": "sqlite", "schema_version": 5, "data_version": 0,
                "streams": [dict(entry, liveness_interval_seconds=2.5), entry]}
        self.assertTrue(validator.is_valid(body), list(validator.iter_errors(body))[:1])
        for broken in (dict(entry, liveness_interval_seconds=0),
                       dict(entry, liveness_interval_seconds="5s"), dict(entry, liveness=5)):
            with self.subTest(entry=broken):
                self.assertFalse(validator.is_valid(dict(body, streams=[broken])))


class IngestWhileServingTest(ApiTestCase):
    """Ingest into a store while its server runs (the mutable store: seed files at first)."""

    INGEST_LINE = re.compile(r"(\d+) lines, (\d+) new, (\d+) already stored, (\d+) rejected")

    def store_counts(self):
        return (metric_value(FIXTURE.mutable_server, "cryptomood_store_trades"),
                metric_value(FIXTURE.mutable_server, "cryptomood_store_sentiment"),
                len(self.get_data(FIXTURE.mutable_server, "/coin", {"limit": "100000"})))

    def test_1_reingest_is_idempotent(self):
        before = self.store_counts()
        output = ingest(FIXTURE.mutable_db, *FIXTURE.seed_files)
        reports = self.INGEST_LINE.findall(output)
        self.assertEqual(2, len(reports), output)
        for lines, new, stored, rejected in reports:
            self.assertEqual(("0", lines, "0"), (new, stored, rejected), output)
        self.assertEqual(before, self.store_counts())
        self.assertEqual(len(FIXTURE.seed.trades), before[2])

    def test_2_new_data_invalidates_the_cache(self):
        server = FIXTURE.mutable_server
        version_before = self.get_ok(server, "/healthz").json()["data_version"]
        server.get("/correlation")
        cached = self.get_ok(server, "/correlation")
        self.assertEqual("hit", cached.header("X-Cache"))
        # /merged pages come from the server's in-memory copy of the store, loaded by now.
        merged_before, _ = self.walk_pages(server, "/merged", [], 1000)
        self.assertEqual(FIXTURE.seed.merged_pairs(), merged_before)

        ingest(FIXTURE.mutable_db, *FIXTURE.extra_files)
        self.assertGreater(self.get_ok(server, "/healthz").json()["data_version"],
                           version_before)
        fresh = self.get_ok(server, "/correlation")
        self.assertEqual("miss", fresh.header("X-Cache"))
        self.assertNotEqual(cached.json(), fresh.json())
        files = (FIXTURE.seed_files[0] + FIXTURE.extra_files[0],
                 FIXTURE.seed_files[1] + FIXTURE.extra_files[1])
        expected = (analyze(*files, ["--mode", "compat"]) + analyze(*files, ["--mode", "tick"]))
        self.assert_rows_equal_analyze(fresh.json()["data"], expected, "/correlation after ingest")
        merged_after, _ = self.walk_pages(server, "/merged", [], 1000)
        self.assertEqual(Dataset(*files).merged_pairs(), merged_after, "/merged after ingest")
        self.assertEqual(len(FIXTURE.seed.trades) + 3000, self.store_counts()[2])


def slow_reader_request(server, path):
    """Sends GET path on a socket with a tiny receive buffer, so the server is still writing
    the answer for a while; returns (connection, response) once the status line arrived."""
    connection = server.connection()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(REQUEST_TIMEOUT)
    sock.connect((server.host, server.port))
    connection.sock = sock
    connection.request("GET", path)
    return connection, connection.getresponse()


class ShutdownTest(ApiTestCase):
    """SIGTERM drains in-flight requests and exits 0; runs last (it stops every server)."""

    IN_FLIGHT_REQUESTS = 3

    def test_sigterm_completes_in_flight_responses(self):
        server = FIXTURE.start_server(FIXTURE.sim_db, "drain")
        replies = [slow_reader_request(server, "/merged?limit=100000")
                   for _ in range(self.IN_FLIGHT_REQUESTS)]
        server.process.send_signal(signal.SIGTERM)  # every answer has begun, none has ended
        time.sleep(0.5)
        for index, (connection, reply) in enumerate(replies):
            with self.subTest(request=index):
                self.assertEqual(200, reply.status)
                try:
                    body = reply.read()
                except http.client.IncompleteRead as error:
                    self.fail(f"the response was cut after {len(error.partial)} body bytes")
                finally:
                    connection.close()
                self.assertEqual(FIXTURE.sim.merged_pairs(), json.loads(body)["data"])
        self.assertEqual(0, server.stop(), server.log_text())

    def test_sigterm_stops_every_server_with_status_0(self):
        for server in FIXTURE.servers:
            with self.subTest(log=str(server.log_path)):
                self.assertEqual(0, server.stop(), server.log_text())


TEST_CLASSES = [RecordRoutesTest, MergedTest, FormatTest, CorrelationTest, SeriesTest,
                DiagnosticsTest, CausalityTest, ErrorTest,
                OperationsTest, OpenApiTest, IngestWhileServingTest, ShutdownTest]


def main():
    global ARGUMENTS, FIXTURE
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the cryptomood executable")
    parser.add_argument("--seed-dir", required=True, help="folder of the seed files")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url-file",
                        help="file whose first line is an admin postgresql:// URL")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    ARGUMENTS, unittest_arguments = parser.parse_known_args()

    started = time.monotonic()
    FIXTURE = Fixture()
    print(f"api_test: {ARGUMENTS.backend} stores ready in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    try:
        program = unittest.main(module=sys.modules[__name__], argv=[sys.argv[0], *unittest_arguments],
                                testLoader=OrderedLoader(), exit=False, verbosity=2)
        passed = program.result.wasSuccessful() and program.result.testsRun > 0
    finally:
        FIXTURE.close(ARGUMENTS.keep)
    return 0 if passed else 1


class OrderedLoader(unittest.TestLoader):
    """Loads TEST_CLASSES in their listed order (the ingest and shutdown tests come last)."""

    def loadTestsFromModule(self, module, *args, **kwargs):  # noqa: N802 (unittest's name)
        return self.suiteClass(self.loadTestsFromTestCase(case) for case in TEST_CLASSES)

    def loadTestsFromNames(self, names, module=None):  # noqa: N802
        return self.loadTestsFromModule(None)


if __name__ == "__main__":
    sys.exit(main())
