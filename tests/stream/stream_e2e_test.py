#!/usr/bin/env python3
"""The real-time path end to end, against librdkafka's mock cluster over TCP.

`cryptomood sandbox --brokers 3 --control` hosts the cluster; `cryptomood produce` publishes
simulated data with planted effects at a fixed rate while three `cryptomood stream` members
consume it: two in one bars-mode group (one of them killed with SIGKILL mid-run and restarted)
and one tick-mode member (stopped with SIGTERM mid-run and restarted). Meanwhile the sandbox
fails requests, kcat publishes garbage, and once the producer is done a broker goes down and
comes back up while the members read and commit.

The inputs carry, on purpose: lines swapped within the allowed lateness (put back in order),
exact duplicates (dropped as in batch), events from the first minutes published once both
groups have stored the offsets of everything else (late; until then keep-alive dead letters
stop a member that is done early from ending at --stop-when-idle), and unparseable messages
(dead letters).

Asserts: every process that was not killed exits 0; the rows in the store equal
`cryptomood analyze --window` on the same data without the late lines (same keys, n exactly,
statistics to 1e-12); the correlation topic, read with kcat, holds exactly the stored rows
(repeats only as exact duplicates); the late and dead-letter topics hold exactly the planted
messages, once each per group.

Usage: stream_e2e_test.py --binary PATH [--backend sqlite|postgresql --postgres-url-file F]
Every wait is bounded: the test fails, it never hangs.
"""

import argparse
import datetime
import json
import math
import os
import pathlib
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

TRADES_FILE = "historical_coin_data.txt"
SENTIMENT_FILE = "historical_sentiment_data.txt"
BARS_GROUP = "e2e-bars"
TICK_GROUP = "e2e-tick"
WINDOW = "1h"
BARS_OPTIONS = ["--mode", "bars", "--interval", "1m", "--lags", "-2:2", "--window", WINDOW]
TICK_OPTIONS = ["--mode", "tick", "--tolerance", "5m", "--window", WINDOW]
MEMBER_OPTIONS = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=200",
                  "--stop-when-idle", "10s"]
PRODUCE_RATE = "3000"
# The test's expectations assume each input partition's log holds the files' lines in order,
# once. librdkafka's mock cluster does not check the idempotent producer's sequence numbers,
# as a real broker does: a batch retried after an injected error could land behind batches
# sent after it, and a batch appended just before its broker's connections drop is appended
# again when retried. So the producer keeps one request in flight, and the broker goes down
# only once the producer is done, while the members still run.
PRODUCER_OPTIONS = ["-X", "max.in.flight.requests.per.connection=1"]
LATE_TRADES = 6
LATE_TWEETS = 3
DUPLICATES = 5
SWAPS = 12
FLOAT_TOLERANCE = 1e-12
PROCESS_LIMIT_SECONDS = 240
KEEPALIVE_SECONDS = 2

GARBAGE = {
    "cryptomood.trades": [
        ("BTC", "not json at all"),
        ("BTC", "{}"),
        ("ETH", '{"price": "twelve", "symbol_id": "X", "timestamp": "2018-07-16T00:00:00Z"}'),
    ],
    "cryptomood.sentiment": [
        ("LTC", '{"coins": ["LTC"], "sentiment_polarity": 7}'),
        ("BTC", "\u00ff\u00fe binary-ish"),
    ],
}


def fail(message):
    raise AssertionError(message)


def run(command, timeout=120):
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        fail(f"{' '.join(map(str, command))} exited {completed.returncode}:\n"
             f"{completed.stderr[-4000:]}")
    return completed.stdout


class Processes:
    """Every child process, killed at the end whatever happened."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.children = []

    def start(self, name, command, **kwargs):
        log = open(self.log_dir / f"{name}.log", "w", encoding="utf-8")
        process = subprocess.Popen(command, stdout=kwargs.pop("stdout", log), stderr=log,
                                   text=True, **kwargs)
        process.name = name
        self.children.append(process)
        return process

    def wait(self, process, timeout):
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            fail(f"{process.name} still running after {timeout} s; log:\n{self.log(process)}")

    def log(self, process):
        return (self.log_dir / f"{process.name}.log").read_text(encoding="utf-8")[-4000:]

    def kill_all(self):
        for process in self.children:
            if process.poll() is None:
                process.kill()
                process.wait()


class Sandbox:
    """`cryptomood sandbox --control`: its first line names the brokers; stdin takes faults."""

    def __init__(self, processes, binary):
        self.process = processes.start(
            "sandbox", [binary, "sandbox", "--brokers", "3", "--control"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.read_line(30)
        prefix = "cryptomood: sandbox brokers at "
        if not line.startswith(prefix):
            fail(f"unexpected first sandbox line: {line!r}")
        self.brokers = line[len(prefix):].strip()

    def read_line(self, timeout):
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            fail("sandbox did not answer in time")
        return self.process.stdout.readline()

    def control(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self.read_line(10)
        if not answer.startswith("ok"):
            fail(f"sandbox refused {command!r}: {answer!r}")


class Store:
    """A throw-away store on the chosen backend, read back directly (not through our code)."""

    def __init__(self, backend, work_dir, postgres_url_file):
        self.backend = backend
        self.admin_url = None
        if backend == "sqlite":
            self.path = work_dir / "stream.db"
            self.url = f"sqlite:{self.path}"
            return
        self.admin_url = pathlib.Path(postgres_url_file).read_text().splitlines()[0].strip()
        self.database = f"cryptomood_stream_e2e_{int(time.time() * 1000)}"
        run(["psql", self.admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c",
             f"CREATE DATABASE {self.database}"])
        parts = urllib.parse.urlsplit(self.admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.database))

    def row_texts(self):
        if self.backend == "sqlite":
            import sqlite3
            with sqlite3.connect(self.path) as connection:
                return [text for (text,) in connection.execute("SELECT row_json FROM stream_rows")]
        output = run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-At", "-c",
                      "SELECT convert_from(row_json, 'UTF8') FROM stream_rows"])
        return [line for line in output.splitlines() if line]

    def consumed(self, group):
        """Messages reflected in the group's stored checkpoints, per input topic."""
        # PostgreSQL keeps names as bytea.
        topic = "topic" if self.backend == "sqlite" else "convert_from(topic, 'UTF8')"
        query = (f"SELECT {topic}, SUM(next_offset) FROM stream_offsets "
                 f"WHERE consumer_group = '{group}' GROUP BY topic")
        if self.backend == "sqlite":
            import sqlite3
            with sqlite3.connect(self.path, timeout=30) as connection:
                return {topic: int(total) for topic, total in connection.execute(query)}
        output = run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", query])
        return {line.split("\t")[0]: int(line.split("\t")[1])
                for line in output.splitlines() if line}

    def drop(self):
        if self.admin_url:
            subprocess.run(["psql", self.admin_url, "-q", "-c",
                            f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)"],
                           capture_output=True, check=False)


def seconds_between(earlier_line, later_line):
    def parse(line):
        text = json.loads(line)["timestamp"].replace("Z", "+00:00")
        return datetime.datetime.fromisoformat(text)
    return (parse(later_line) - parse(earlier_line)).total_seconds()


def build_inputs(sim_dir, out_dir, rng):
    """Writes the files produce publishes and those batch analyzes; returns the late payloads."""
    trades = (sim_dir / TRADES_FILE).read_text().splitlines()
    tweets = (sim_dir / SENTIMENT_FILE).read_text().splitlines()
    # Swaps three lines apart, only where that moves an event by less than 20 s: well within
    # the 30 s lateness, so none of them is late.
    swaps = 0
    while swaps < SWAPS:
        position = rng.randrange(200, len(trades) - 200)
        if seconds_between(trades[position], trades[position + 3]) < 20:
            trades[position], trades[position + 3] = trades[position + 3], trades[position]
            swaps += 1
    for position in sorted(rng.sample(range(200, len(trades) - 200), DUPLICATES), reverse=True):
        trades.insert(position, trades[position])
    late_trades = []
    for line in trades[10:10 + LATE_TRADES]:
        record = json.loads(line)
        record["uuid"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        record["price"] *= 1.001
        late_trades.append(json.dumps(record))
    late_tweets = []
    for line in tweets[:200]:
        record = json.loads(line)
        if len(record["coins"]) == 1 and len(late_tweets) < LATE_TWEETS:
            record["sentiment_polarity"] = -record["sentiment_polarity"] / 2
            late_tweets.append(json.dumps(record))
    if len(late_tweets) != LATE_TWEETS:
        fail("the simulated tweets have too few single-coin tweets early on")
    files = {}
    for name, lines in [("batch_trades", trades), ("batch_sentiment", tweets),
                        ("stream_trades", trades), ("stream_sentiment", tweets),
                        ("late_trades", late_trades), ("late_sentiment", late_tweets)]:
        files[name] = out_dir / f"{name}.jsonl"
        files[name].write_text("\n".join(lines) + "\n")
    return files, set(late_trades) | set(late_tweets)


def member_command(binary, brokers, group, db_url, options):
    return [binary, "stream", "--brokers", brokers, "--group", group, "--db", db_url,
            *options, *MEMBER_OPTIONS]


def publish_messages(brokers, topic, messages):
    data = "".join(f"{key}\t{payload}\n" for key, payload in messages)
    completed = subprocess.run(["kcat", "-P", "-b", brokers, "-t", topic, "-K", "\t"],
                               input=data, capture_output=True, text=True, timeout=60)
    if completed.returncode != 0:
        fail(f"kcat -P failed: {completed.stderr}")


def publish_garbage(brokers):
    for topic, messages in GARBAGE.items():
        publish_messages(brokers, topic, messages)


def consume_topic(brokers, topic):
    """Every message of the topic as kcat's JSON envelope (headers as a flat list)."""
    output = run(["kcat", "-C", "-b", brokers, "-t", topic, "-o", "beginning", "-e", "-q",
                  "-J"], timeout=60)
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def headers_of(message):
    flat = message.get("headers") or []
    return dict(zip(flat[0::2], flat[1::2]))


def numbers_close(expected, actual):
    if expected is None or actual is None:
        return expected is actual
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return abs(expected - actual) <= FLOAT_TOLERANCE * max(1.0, abs(expected))


def compare_rows(label, expected_rows, stored_rows):
    def key(row):
        return (row["symbol_id"], row["window_start"], row["lag"])

    expected = {key(row): row for row in expected_rows}
    stored = {}
    for row in stored_rows:
        if key(row) in stored:
            fail(f"{label}: row {key(row)} stored twice")
        stored[key(row)] = row
    if set(expected) != set(stored):
        fail(f"{label}: {len(expected)} batch rows, {len(stored)} stored; missing "
             f"{sorted(set(expected) - set(stored))[:5]}, extra "
             f"{sorted(set(stored) - set(expected))[:5]}")
    for row_key, batch_row in expected.items():
        stream_row = stored[row_key]
        for field, value in batch_row.items():
            if field == "warning":
                # A judgement on a whole run's price series (docs/analysis.md): a stream, which
                # never sees a series whole, leaves it null.
                if stream_row.get(field) is not None:
                    fail(f"{label}: {row_key} stream row carries a warning")
                continue
            same = (numbers_close(value, stream_row.get(field))
                    if isinstance(value, float) else value == stream_row.get(field))
            if not same:
                fail(f"{label}: {row_key} field {field}: batch {value!r}, "
                     f"stream {stream_row.get(field)!r}")
    print(f"{label}: {len(expected)} rows equal batch")


def check_side_topic(brokers, topic, group, expected_payloads, label):
    messages = [message for message in consume_topic(brokers, topic)
                if headers_of(message).get("group") == group]
    distinct = {}
    for message in messages:
        headers = headers_of(message)
        origin = (headers.get("topic"), headers.get("partition"), headers.get("offset"))
        if origin in distinct and distinct[origin] != message["payload"]:
            fail(f"{label}: two different messages copy {origin}")
        distinct[origin] = message["payload"]
    payloads = sorted(distinct.values())
    if payloads != sorted(expected_payloads):
        unexpected = [headers_of(message) | {"payload": message["payload"]}
                      for message in messages if message["payload"] not in expected_payloads]
        fail(f"{label} for {group}: expected {len(expected_payloads)} messages, got "
             f"{len(payloads)}; unexpected: {unexpected[:5]}; missing: "
             f"{sorted(set(expected_payloads) - set(payloads))[:5]}")
    print(f"{label} for {group}: {len(payloads)} messages as planted")


def published_counts(produce_log):
    """Messages per input topic: what `produce` reported, plus the garbage."""
    counts = {}
    for topic, file_name in (("cryptomood.trades", "stream_trades.jsonl"),
                             ("cryptomood.sentiment", "stream_sentiment.jsonl")):
        line = next((line for line in produce_log.splitlines() if file_name in line), None)
        if line is None:
            fail(f"produce did not report {file_name}:\n{produce_log}")
        messages = int(line.split(" messages")[0].rsplit(" ", 1)[1])
        counts[topic] = messages + len(GARBAGE[topic])
    return counts


def wait_until_consumed(store, brokers, published, keepalives):
    """Waits until every group stored the offsets of everything published. Meanwhile a
    keep-alive message (a dead letter) per coin every 2 s stops members that are done early
    from reaching --stop-when-idle while another group catches up; they are appended to
    `keepalives` and counted in `published`."""
    deadline = time.monotonic() + PROCESS_LIMIT_SECONDS
    next_keepalive = time.monotonic() + KEEPALIVE_SECONDS
    consumed = {}
    while time.monotonic() < deadline:
        pending = [group for group in (BARS_GROUP, TICK_GROUP)
                   if any(store.consumed(group).get(topic, 0) < count
                          for topic, count in published.items())]
        if not pending:
            return
        consumed = {group: store.consumed(group) for group in pending}
        if time.monotonic() >= next_keepalive:
            batch = [(coin, f"keep-alive {len(keepalives) + i}")
                     for i, coin in enumerate(("BTC", "ETH", "LTC"))]
            publish_messages(brokers, "cryptomood.trades", batch)
            keepalives.extend(payload for _, payload in batch)
            published["cryptomood.trades"] += len(batch)
            next_keepalive = time.monotonic() + KEEPALIVE_SECONDS
        time.sleep(0.2)
    fail(f"stored offsets {consumed}, not all of {published}")


def stop(process, how, processes, timeout):
    process.send_signal(how)
    code = processes.wait(process, timeout)
    if how == signal.SIGTERM and code != 0:
        fail(f"{process.name} exited {code} after SIGTERM:\n{processes.log(process)}")


def scenario(arguments, work_dir, processes):
    binary = arguments.binary
    rng = random.Random(20181016)
    run([binary, "simulate", "--out", str(work_dir / "sim"), "--trades", "20000", "--tweets",
         "5000", "--days", "1", "--seed", "11"])
    files, late_payloads = build_inputs(work_dir / "sim", work_dir, rng)
    store = Store(arguments.backend, work_dir, arguments.postgres_url_file)
    try:
        sandbox = Sandbox(processes, binary)
        brokers = sandbox.brokers
        members = {
            "bars-a": member_command(binary, brokers, BARS_GROUP, store.url, BARS_OPTIONS),
            "bars-b": member_command(binary, brokers, BARS_GROUP, store.url, BARS_OPTIONS),
            "tick": member_command(binary, brokers, TICK_GROUP, store.url, TICK_OPTIONS),
        }
        running = {name: processes.start(name, command) for name, command in members.items()}
        time.sleep(4)  # let the groups form: the producer then runs while they consume
        producer = processes.start(
            "produce", [binary, "produce", "--brokers", brokers, "--trades",
                        str(files["stream_trades"]), "--sentiment",
                        str(files["stream_sentiment"]), "--rate", PRODUCE_RATE,
                        *PRODUCER_OPTIONS])
        time.sleep(1)
        sandbox.control("errors Produce REQUEST_TIMED_OUT,NOT_LEADER_FOR_PARTITION")
        sandbox.control("errors Fetch NOT_LEADER_FOR_PARTITION,REQUEST_TIMED_OUT")
        publish_garbage(brokers)
        time.sleep(1)
        stop(running["bars-a"], signal.SIGKILL, processes, 30)
        stop(running["tick"], signal.SIGTERM, processes, 60)
        running["bars-a"] = processes.start("bars-a-restarted", members["bars-a"])
        running["tick"] = processes.start("tick-restarted", members["tick"])
        sandbox.control("errors JoinGroup REBALANCE_IN_PROGRESS")
        if processes.wait(producer, PROCESS_LIMIT_SECONDS) != 0:
            fail(f"produce failed:\n{processes.log(producer)}")
        sandbox.control("down 2")
        time.sleep(2)
        sandbox.control("up 2")
        # Kafka orders messages within a partition, not across the trades and sentiment
        # topics: an old event is reliably late only once both inputs were read past it. So
        # the late events go out after every group has stored the offsets of all the rest.
        published = published_counts(processes.log(producer))
        keepalives = []
        wait_until_consumed(store, brokers, published, keepalives)
        late_producer = processes.start(
            "produce-late", [binary, "produce", "--brokers", brokers, "--trades",
                             str(files["late_trades"]), "--sentiment",
                             str(files["late_sentiment"]), *PRODUCER_OPTIONS])
        if processes.wait(late_producer, PROCESS_LIMIT_SECONDS) != 0:
            fail(f"produce of the late events failed:\n{processes.log(late_producer)}")
        for name in ("bars-a", "bars-b", "tick"):
            if processes.wait(running[name], PROCESS_LIMIT_SECONDS) != 0:
                fail(f"{running[name].name} failed:\n{processes.log(running[name])}")

        garbage = [payload for messages in GARBAGE.values() for _, payload in messages]
        garbage += keepalives
        for group in (BARS_GROUP, TICK_GROUP):
            check_side_topic(brokers, "cryptomood.late", group, late_payloads, "late")
            check_side_topic(brokers, "cryptomood.dlq", group, garbage, "dead letters")
        batch_inputs = ["--trades", str(files["batch_trades"]), "--sentiment",
                        str(files["batch_sentiment"])]
        stored_texts = store.row_texts()
        stored_rows = [json.loads(text) for text in stored_texts]
        for label, options in (("bars", BARS_OPTIONS), ("tick", TICK_OPTIONS)):
            mode = options[options.index("--mode") + 1]
            batch = json.loads(run([binary, "analyze", "--format", "json", *batch_inputs,
                                    *options]))["results"]
            compare_rows(label, batch, [row for row in stored_rows if row["mode"] == mode])

        published = consume_topic(brokers, f"cryptomood.correlation.{WINDOW}")
        published_texts = [message["payload"] for message in published]
        if set(published_texts) != set(stored_texts):
            fail(f"correlation topic: {len(set(published_texts))} distinct messages, "
                 f"{len(set(stored_texts))} stored rows; they differ")
        for message in published:
            if message["key"] != json.loads(message["payload"])["symbol_id"]:
                fail(f"correlation message keyed {message['key']!r} is not its symbol's")
        print(f"correlation topic: {len(published_texts)} messages, "
              f"{len(set(published_texts))} distinct, equal to the stored rows")

        stop(sandbox.process, signal.SIGTERM, processes, 30)
    finally:
        store.drop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url-file")
    parser.add_argument("--keep", metavar="DIR",
                        help="work in DIR and keep it (logs, inputs) instead of a temporary one")
    arguments = parser.parse_args()
    if arguments.backend == "postgresql" and not arguments.postgres_url_file:
        parser.error("--backend postgresql needs --postgres-url-file")
    with tempfile.TemporaryDirectory(prefix="cryptomood-stream-e2e-") as directory:
        work_dir = pathlib.Path(arguments.keep or directory)
        work_dir.mkdir(parents=True, exist_ok=True)
        processes = Processes(work_dir)
        try:
            scenario(arguments, work_dir, processes)
        except BaseException as error:
            # The reason first: a CI excerpt that keeps the head of the output shows it.
            print(f"stream end to end FAILED: {error!r}"[:2000], file=sys.stderr)
            for log in sorted(work_dir.glob("*.log")):
                print(f"--- {log.name}", file=sys.stderr)
                print(log.read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            processes.kill_all()
    print("stream end to end: all checks passed")


if __name__ == "__main__":
    main()
