#!/usr/bin/env python3
"""Attack suite of `cryptomood serve`: what a hostile or careless client can do to the server.

Why: the API listens for anyone who can reach it, so slow or idle sockets, requests whose
answer would cost gigabytes or CPU-hours, clients that give up, pipelined requests and
malformed ones must neither stop the server nor distort its metrics. Each test is one attack
and the bound the server promises against it (the `serve` options --max-connections,
--header-timeout, --idle-timeout, --compute-threads, --compute-queue, --compute-deadline,
--max-rows, --max-bars, --max-pairs, --max-reply-mb).

What runs: one SQLite store of simulated data (1M trades, 250k tweets over 7 days: big enough
that an unbounded answer costs gigabytes), and `serve --port 0` processes on it: a shared one
with default options for the attacks that must not disturb anything, and a fresh one for each
attack that loads, cancels or stops its server. Loopback only. Every socket operation has a
timeout, and a server whose memory passes memory_guard_kib() is killed, so a server that fails
the suite still ends it in bounded time and without exhausting the machine.

The time bounds below are generous functional bounds (a reply within 2 s where a correct
server needs milliseconds), not performance targets: they are what separates "answered" from
"stuck behind the attack".

Usage: attack_test.py --binary CRYPTOMOOD [--memory-limit-mib N] [--keep]
                      [unittest options, e.g. -k Pipelining -k test_deadline]
"""

import argparse
import http.client
import json
import os
import pathlib
import re
import resource
import shutil
import socket
import sys
import tempfile
import threading
import time
import unittest

import serve_fixture
from serve_fixture import Server, Stores, query_path

# 7 simulated days: 604,800 one-second bars per symbol, 6e8 one-millisecond ones.
SIMULATION = ["--trades", "1000000", "--tweets", "250000", "--seed", "11"]
SIMULATED_FROM, SIMULATED_TO = "2018-07-16T00:00:00Z", "2018-07-23T00:00:00Z"

# A bombed server must stay under --memory-limit-mib resident (its store in memory included);
# a sanitized build, whose allocator keeps freed blocks in quarantine, is given more.
DEFAULT_MEMORY_LIMIT_MIB = 150
# Above this (or twice the limit) the server is killed at once: the attack has succeeded,
# the machine is spared.
MEMORY_GUARD_KIB = 1024 * 1024
# A reply the server owes at once (cheap route, a rejection, a probe under attack).
PROMPT_SECONDS = 2.0
# Time for the first request of a server, which loads the store into memory.
FIRST_LOAD_SECONDS = 60

# Heavy but legitimate: one coin's 1 s bars (604,800) scanned over 4,001 lags. Minutes of CPU
# and a small answer; allowed only by a server started with RAISED_LIMITS.
HEAVY_CORRELATION = ("/correlation",
                     {"coin": "BTC", "mode": "bars", "interval": "1s", "lags": "-2000:2000"})
RAISED_LIMITS = ["--max-rows", "1000000000", "--max-bars", "1000000000",
                 "--max-pairs", "1000000000000", "--max-reply-mb", "1024"]
# SIGTERM during a computation ends the process within this many seconds (documented bound).
SIGTERM_EXIT_SECONDS = 5

ARGUMENTS = None  # the parsed command line
FIXTURE = None    # the store and the shared server


# ---------------------------------------------------------------------------------------------
# The server process as the kernel sees it
# ---------------------------------------------------------------------------------------------

def memory_kib(pid):
    """(VmRSS, VmHWM) of a process in KiB."""
    fields = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def cpu_seconds(pid):
    """User + system CPU time of a process (all of its threads) in seconds."""
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def memory_limit_kib():
    return ARGUMENTS.memory_limit_mib * 1024


def memory_guard_kib():
    return max(MEMORY_GUARD_KIB, 2 * memory_limit_kib())


class MemoryWatch:
    """Samples a server's resident size every 20 ms and kills it beyond memory_guard_kib().

    peak_kib is the largest of the samples and of the kernel's high-water mark (VmHWM, read
    at every sample, so it covers the peaks between samples too)."""

    def __init__(self, server):
        self.server = server
        self.peak_kib = 0
        self.killed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set() and self.server.process.poll() is None:
            try:
                rss, hwm = memory_kib(self.server.pid)
            except (FileNotFoundError, ProcessLookupError, KeyError):
                return
            self.peak_kib = max(self.peak_kib, rss, hwm)
            if rss > memory_guard_kib():
                self.killed = True
                self.server.kill()
                return
            self._stop.wait(0.02)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def raise_open_file_limit(needed):
    """Raises this process's soft limit of open files to `needed` (at most the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------------------------------------
# Raw HTTP on sockets
# ---------------------------------------------------------------------------------------------

class RawReply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body

    def json(self):
        return json.loads(self.body)


class ReplyReader:
    """Reads consecutive HTTP/1.1 replies from one socket (Content-Length, chunked, or up to
    the close), never past a deadline (time.monotonic())."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.closed = False

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete reply before the deadline")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout as error:
            raise TimeoutError("no complete reply before the deadline") from error
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = True
        self.buffer += chunk

    def _take_until(self, marker, deadline):
        while marker not in self.buffer:
            if self.closed:
                raise ConnectionError("the server closed the connection mid-reply")
            self._fill(deadline)
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def _take(self, count, deadline):
        while len(self.buffer) < count:
            if self.closed:
                raise ConnectionError("the server closed the connection mid-body")
            self._fill(deadline)
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read(self, deadline):
        head = self._take_until(b"\r\n\r\n", deadline).decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        match = re.match(r"HTTP/1\.[01] (\d{3})", status_line)
        if not match:
            raise ValueError(f"not a status line: {status_line!r}")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunks(deadline)
        elif "content-length" in headers:
            body = self._take(int(headers["content-length"]), deadline)
        else:
            while not self.closed:
                self._fill(deadline)
            body, self.buffer = self.buffer, b""
        return RawReply(int(match.group(1)), headers, body)

    def _read_chunks(self, deadline):
        body = b""
        while True:
            size = int(self._take_until(b"\r\n", deadline).split(b";")[0], 16)
            if size == 0:
                self._take_until(b"\r\n", deadline)  # no trailers are expected
                return body
            body += self._take(size, deadline)
            self._take(2, deadline)

    def wait_for_close(self, deadline):
        """True when the server closes the connection (after any bytes) before the deadline."""
        try:
            while not self.closed:
                self._fill(deadline)
        except TimeoutError:
            return False
        return True


def get_request(path, params=(), connection="keep-alive"):
    return (f"GET {query_path(path, params)} HTTP/1.1\r\nHost: attack\r\n"
            f"Connection: {connection}\r\n\r\n").encode()


def connect(server, timeout=PROMPT_SECONDS):
    return socket.create_connection((server.host, server.port), timeout=timeout)


def exchange(server, request, seconds):
    """Sends raw request bytes on a new connection; its first reply within `seconds`."""
    with connect(server, seconds) as sock:
        sock.sendall(request)
        return ReplyReader(sock).read(time.monotonic() + seconds)


def timed_get(server, path, params=(), seconds=PROMPT_SECONDS):
    """(Response or the exception raised, seconds taken) of one GET with a `seconds` timeout."""
    started = time.monotonic()
    try:
        response = server.get(path, params, timeout=seconds)
    except (OSError, ValueError, http.client.HTTPException) as error:  # timeouts are OSErrors
        response = error
    return response, time.monotonic() - started


def send_heavy_request(server, path=HEAVY_CORRELATION[0], params=HEAVY_CORRELATION[1]):
    """Starts a heavy request on a new connection and returns the socket, reply unread."""
    sock = connect(server)
    sock.sendall(get_request(path, params))
    return sock


# ---------------------------------------------------------------------------------------------
# Fixture
# ---------------------------------------------------------------------------------------------

class Fixture:
    """The simulated store, servers on it (all killed at the end) and the work folder."""

    def __init__(self):
        self.work_dir = pathlib.Path(tempfile.mkdtemp(prefix="cryptomood-attack-test."))
        self.servers = []
        self.stores = Stores("sqlite", self.work_dir, None)
        binary = ARGUMENTS.binary
        files = serve_fixture.simulate(binary, self.work_dir / "sim", SIMULATION)
        self.db_url = self.stores.create("sim")
        serve_fixture.ingest(binary, self.db_url, [files[0]], [files[1]])
        for path in files:  # the store holds everything now; 350 MB less on the disk
            path.unlink()
        self._shared_server = None

    def start_server(self, name, options=()):
        """A new server on the store with `options`, its store loaded by a first request."""
        server = Server(ARGUMENTS.binary, self.db_url,
                        self.work_dir / f"serve-{name}-{len(self.servers)}.log", options,
                        request_timeout=FIRST_LOAD_SECONDS)
        self.servers.append(server)
        warm = server.get("/correlation", {"coin": "ETH", "mode": "bars", "interval": "1h"})
        if warm.status != 200:
            raise RuntimeError(f"the first request answered {warm.status}: {warm.body[:300]!r}")
        return server

    def shared_server(self):
        """The server with default options for the attacks that leave it as it was."""
        if self._shared_server is None:
            self._shared_server = self.start_server("shared")
        return self._shared_server

    def close(self, keep_work_dir):
        for server in self.servers:
            server.close()
        if keep_work_dir:
            print(f"attack_test: work folder kept: {self.work_dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.work_dir, ignore_errors=True)


class AttackTestCase(unittest.TestCase):
    maxDiff = 4000

    def assert_json_error(self, reply, status, code, parameters=None, label=""):
        """A JSON error reply; `parameters`: the names it may blame (None: not checked)."""
        self.assertEqual(status, reply.status, f"{label}: {reply.body[:300]!r}")
        content_type = reply.headers.get("content-type") or reply.headers.get("Content-Type")
        self.assertEqual("application/json", (content_type or "").split(";")[0].strip(), label)
        error = json.loads(reply.body).get("error")
        self.assertIsInstance(error, dict, label)
        self.assertEqual(code, error.get("code"), f"{label}: {error}")
        if parameters is not None:
            self.assertIn(error.get("parameter"), parameters, f"{label}: {error}")

    def assert_answered(self, outcome, label, status=200):
        response, seconds = outcome
        self.assertNotIsInstance(response, Exception,
                                 f"{label}: no answer in time ({response!r} after {seconds:.1f} s)")
        self.assertEqual(status, response.status, f"{label}: {response.body[:300]!r}")
        return response

    def assert_computing(self, server, during_seconds):
        """Guards the heavy tests: the heavy request must keep the server busy, or the test
        would prove nothing. Returns the CPU time at the end."""
        before = cpu_seconds(server.pid)
        time.sleep(during_seconds)
        after = cpu_seconds(server.pid)
        self.assertGreater(after - before, 0.2 * during_seconds,
                           f"the heavy request used {after - before:.2f} CPU-s in "
                           f"{during_seconds} s: it is not heavy, pick a heavier one")
        return after


# ---------------------------------------------------------------------------------------------
# Slow clients and connection limits
# ---------------------------------------------------------------------------------------------

class SlowClientTest(AttackTestCase):
    """Hundreds of trickling and idle sockets must not stop /healthz or a real query."""

    TRICKLING, IDLE = 250, 250
    TRICKLE_PERIOD = 1.5
    PROBES, PROBE_SPACING = 20, 0.3
    QUERY = ("/correlation", {"coin": "BTC", "mode": "bars", "interval": "1h"})

    def test_trickling_and_idle_sockets_do_not_stop_answers(self):
        # Default options: the sockets stay within the default 10 s header timeout, so the
        # server must answer next to them, not by dropping them.
        server = FIXTURE.start_server("slow-clients")
        self.assertGreaterEqual(raise_open_file_limit(self.TRICKLING + self.IDLE + 256),
                                self.TRICKLING + self.IDLE + 64, "ulimit -n is too low")
        self.assert_answered(timed_get(server, *self.QUERY, seconds=FIRST_LOAD_SECONDS), "warm")
        sockets = [connect(server) for _ in range(self.TRICKLING + self.IDLE)]
        trickling = sockets[:self.TRICKLING]
        stop = threading.Event()
        trickler = threading.Thread(target=self._trickle, args=(trickling, stop), daemon=True)
        try:
            trickler.start()
            probes, query = self._probe_while_open(server)
        finally:
            stop.set()
            trickler.join()
            for sock in sockets:
                sock.close()
        for index, outcome in enumerate(probes):
            with self.subTest(probe=index):
                self.assert_answered(outcome, f"/healthz probe {index} among 500 slow sockets")
                self.assertLessEqual(outcome[1], PROMPT_SECONDS)
        self.assert_answered(query, "/correlation among 500 slow sockets")

    def _trickle(self, trickling, stop):
        """One header line per socket every TRICKLE_PERIOD s; a socket the server closed is
        left alone."""
        line = 0
        open_sockets = list(trickling)
        while not stop.is_set():
            data = (b"GET /healthz HTTP/1.1\r\n" if line == 0
                    else f"X-Trickle-{line}: {'x' * 20}\r\n".encode())
            for sock in list(open_sockets):
                try:
                    sock.send(data)
                except OSError:
                    open_sockets.remove(sock)
            line += 1
            stop.wait(self.TRICKLE_PERIOD)

    def _probe_while_open(self, server):
        """PROBES /healthz requests started PROBE_SPACING s apart and one real query, each in
        its own thread; their (response or error, seconds)."""
        probes = [None] * self.PROBES
        query = [None]

        def probe(index):
            probes[index] = timed_get(server, "/healthz")

        def ask():
            query[0] = timed_get(server, *self.QUERY, seconds=5)

        threads = []
        for index in range(self.PROBES):
            threads.append(threading.Thread(target=probe, args=(index,)))
            threads[-1].start()
            if index == self.PROBES // 2:
                threads.append(threading.Thread(target=ask))
                threads[-1].start()
            time.sleep(self.PROBE_SPACING)
        for thread in threads:
            thread.join()
        return probes, query[0]


class HeaderTimeoutTest(AttackTestCase):
    """--header-timeout: headers not complete in time get 408 and a close; --idle-timeout: an
    idle keep-alive connection is closed."""

    HEADER_TIMEOUT, IDLE_TIMEOUT = 3, 2
    MARGIN = 2.0  # the close may come this late after the timeout
    EARLY = 0.5   # and no earlier than this before it (a server closing at once proves nothing)

    @classmethod
    def setUpClass(cls):
        cls.server = FIXTURE.start_server("header-timeout", [
            "--header-timeout", cls.HEADER_TIMEOUT, "--idle-timeout", cls.IDLE_TIMEOUT])

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def test_trickling_and_silent_sockets_get_408_and_close(self):
        trickling = [connect(self.server) for _ in range(20)]
        silent = [connect(self.server) for _ in range(5)]
        opened = time.monotonic()
        outcomes = self._trickle_until_closed(trickling, silent, opened)
        for index, (closed_after, received) in enumerate(outcomes):
            with self.subTest(socket=index, trickling=index < len(trickling)):
                self.assertIsNotNone(closed_after, "still open after the header timeout")
                self.assertGreaterEqual(closed_after, self.HEADER_TIMEOUT - self.EARLY)
                if received:  # an answer before the close: 408 with a JSON error
                    reply = ReplyReader(_ReplayedSocket(received)).read(time.monotonic() + 1)
                    self.assertEqual(408, reply.status, reply.body[:200])
                    self.assertIsInstance(reply.json().get("error"), dict, reply.body[:200])

    def _trickle_until_closed(self, trickling, silent, opened):
        """Sends one byte a second to each trickling socket until every socket was closed by
        the server or HEADER_TIMEOUT + MARGIN passed; per socket (seconds until the close or
        None, bytes received)."""
        request = b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"s" * 64
        sockets = trickling + silent
        closed_after = [None] * len(sockets)
        received = [b""] * len(sockets)
        for sock in sockets:
            sock.setblocking(False)
        sent = 0
        deadline = opened + self.HEADER_TIMEOUT + self.MARGIN
        while time.monotonic() < deadline and None in closed_after:
            for index, sock in enumerate(trickling):
                if closed_after[index] is None:
                    try:
                        sock.send(request[sent:sent + 1])
                    except OSError:
                        pass  # closed by the server: the read below notices
            sent = min(sent + 1, len(request) - 1)
            next_byte = time.monotonic() + 1.0
            while time.monotonic() < min(next_byte, deadline):
                for index, sock in enumerate(sockets):
                    if closed_after[index] is None:
                        try:
                            chunk = sock.recv(65536)
                        except BlockingIOError:
                            continue
                        except OSError:
                            chunk = b""
                        received[index] += chunk
                        if not chunk:
                            closed_after[index] = time.monotonic() - opened
                time.sleep(0.05)
        for sock in sockets:
            sock.close()
        return list(zip(closed_after, received))

    def test_idle_keep_alive_connection_is_closed(self):
        with connect(self.server, 10) as sock:
            reader = ReplyReader(sock)
            sock.sendall(get_request("/healthz"))
            self.assertEqual(200, reader.read(time.monotonic() + PROMPT_SECONDS).status)
            answered = time.monotonic()
            closed = reader.wait_for_close(answered + self.IDLE_TIMEOUT + self.MARGIN)
            self.assertTrue(closed, f"an idle connection still open after "
                                    f"{self.IDLE_TIMEOUT + self.MARGIN} s")
            self.assertGreaterEqual(time.monotonic() - answered, self.IDLE_TIMEOUT - self.EARLY)


class _ReplayedSocket:
    """Bytes already received, read back through ReplyReader."""

    def __init__(self, data):
        self.data = data

    def settimeout(self, _):
        pass

    def recv(self, size):
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


class ConnectionCapTest(AttackTestCase):
    """--max-connections 50: the 51st connection gets 503 and a close; once the others close,
    the server answers again."""

    CAP = 50

    def test_connection_beyond_the_cap_gets_503_and_close(self):
        server = FIXTURE.start_server("connection-cap", ["--max-connections", self.CAP])
        held = []
        try:
            for _ in range(self.CAP):  # each answered once, so the server holds it for sure
                sock = connect(server)
                held.append(sock)
                sock.sendall(get_request("/healthz"))
                ReplyReader(sock).read(time.monotonic() + PROMPT_SECONDS)
            # The server may answer before reading the request; it must then close gracefully
            # (half-close, drain) so that the 503 is not lost to a reset.
            with connect(server) as extra:
                reader = ReplyReader(extra)
                try:
                    extra.sendall(get_request("/healthz"))
                except OSError:
                    pass  # the server may answer and close before the request arrives
                reply = reader.read(time.monotonic() + PROMPT_SECONDS)
                self.assert_json_error(reply, 503, "unavailable", label="connection 51")
                self.assertIn("retry-after", reply.headers)
                self.assertEqual("close", reply.headers.get("connection", "").lower())
                self.assertTrue(reader.wait_for_close(time.monotonic() + PROMPT_SECONDS),
                                "connection 51 left open after its 503")
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + 3
        while True:
            response, _ = timed_get(server, "/healthz")
            if not isinstance(response, Exception) and response.status == 200:
                break
            self.assertLess(time.monotonic(), deadline,
                            f"no /healthz 200 within 3 s of the close: {response!r}")
            time.sleep(0.1)
        server.kill()


# ---------------------------------------------------------------------------------------------
# Cost limits
# ---------------------------------------------------------------------------------------------

# (path, params, the parameters the 413 may name): each answer would cost gigabytes or CPU-hours
# on the simulated store. All are well-formed (lags within -10000:10000, max_points within
# 2..100000): only their cost is wrong.
COST_BOMBS = [
    ("/correlation", {"window": "1ms"}, {"window"}),
    ("/correlation", {"window": "1s"}, {"window"}),
    ("/correlation", {"mode": "bars", "interval": "1ms", "lags": "-10000:10000"},
     {"interval", "lags"}),
    ("/correlation", {"mode": "bars", "interval": "1s", "lags": "-10000:10000"},
     {"interval", "lags"}),
    ("/correlation", {"mode": "bars", "interval": "1ms", "from": SIMULATED_FROM,
                      "to": SIMULATED_TO}, {"interval", "from", "to"}),
    ("/series", {"interval": "1ms"}, {"interval"}),
    ("/series", {"coin": "BTC", "interval": "1ms", "max_points": "1000"}, {"interval"}),
    ("/series", {"interval": "1ms", "max_points": "100000"}, {"interval", "max_points"}),
    ("/series", {"interval": "1ms", "from": SIMULATED_FROM, "to": SIMULATED_TO},
     {"interval", "from", "to"}),
    ("/diagnostics", {"interval": "1ms"}, {"interval"}),
    ("/diagnostics", {"coin": "BTC", "interval": "10ms"}, {"interval"}),
]


class CostBombTest(AttackTestCase):
    """Requests whose answer would cost gigabytes: 413 "too_large" at once, naming the
    parameter, with the server's memory bounded throughout."""

    def test_every_bomb_is_413_at_once_and_memory_stays_bounded(self):
        server = FIXTURE.start_server("cost-bombs")
        watch = MemoryWatch(server)
        try:
            for path, params, parameters in COST_BOMBS:
                label = f"GET {query_path(path, params)}"
                with self.subTest(request=label):
                    started = time.monotonic()
                    reply = exchange(server, get_request(path, params), PROMPT_SECONDS)
                    self.assertLessEqual(time.monotonic() - started, PROMPT_SECONDS, label)
                    self.assert_json_error(reply, 413, "too_large", parameters, label)
            time.sleep(1)  # work the server might still do after its answers shows up here
        finally:
            peak = watch.stop()
            server.kill()
        self.assertFalse(watch.killed, f"killed at {peak // 1024} MiB resident (guard: "
                                       f"{memory_guard_kib() // 1024} MiB)")
        print(f"attack_test: peak resident size under the cost bombs: {peak // 1024} MiB",
              file=sys.stderr)
        self.assertLess(peak, memory_limit_kib(), f"peak resident size {peak // 1024} MiB")


# ---------------------------------------------------------------------------------------------
# Computations: concurrency, cancellation, deadlines, shutdown
# ---------------------------------------------------------------------------------------------

class HeavyComputationTest(AttackTestCase):
    """A heavy but allowed computation (RAISED_LIMITS) must not block cheap ones, must stop
    when its client leaves or its deadline passes, and must not delay a shutdown."""

    def start_heavy_server(self, name, options=(), deadline=3600):
        self.server = FIXTURE.start_server(
            name, [*RAISED_LIMITS, "--compute-deadline", deadline, *options])
        return self.server

    def tearDown(self):
        if getattr(self, "server", None) is not None:
            self.server.kill()

    def test_client_disconnect_cancels_the_computation(self):
        server = self.start_heavy_server("disconnect")
        sock = send_heavy_request(server)
        self.assert_computing(server, 1.0)
        sock.close()
        closed = time.monotonic()
        time.sleep(max(0.0, closed + 1.5 - time.monotonic()))
        settled = cpu_seconds(server.pid)
        time.sleep(1.5)
        growth = cpu_seconds(server.pid) - settled
        self.assertLess(growth, 0.15, f"{growth:.2f} CPU-s used 1.5-3 s after the client left")

    def test_deadline_answers_503_timeout(self):
        server = self.start_heavy_server("deadline", deadline=2)
        started = time.monotonic()
        reply = exchange(server, get_request(*HEAVY_CORRELATION), 2 + 3)
        self.assertLessEqual(time.monotonic() - started, 2 + 3)
        self.assert_json_error(reply, 503, "timeout", label="heavy request past its deadline")

    def test_sigterm_during_a_computation_exits_0_promptly(self):
        server = self.start_heavy_server("sigterm")
        sock = send_heavy_request(server)
        try:
            self.assert_computing(server, 1.0)
            status = server.stop(timeout=SIGTERM_EXIT_SECONDS)  # SIGTERM, then the wait
        finally:
            sock.close()
        self.assertEqual(0, status, f"exit status (None: still running after "
                                    f"{SIGTERM_EXIT_SECONDS} s)")

    def test_cheap_query_is_answered_while_a_heavy_one_runs(self):
        # Two compute threads on any machine: one for the heavy request, one for the cheap.
        server = self.start_heavy_server("head-of-line", ["--compute-threads", 2])
        sock = send_heavy_request(server)
        try:
            self.assert_computing(server, 1.0)
            # Parameters asked for nowhere else: computed, not taken from the cache.
            outcome = timed_get(server, "/correlation",
                                {"coin": "LTC", "mode": "bars", "interval": "1h", "lags": "-1:1"})
            self.assert_answered(outcome, "cheap /correlation during a heavy one")
            sock.setblocking(False)
            try:
                sock.recv(1)
            except BlockingIOError:
                pass  # the heavy one still runs: the cheap one did not wait for it
            else:
                self.fail("the heavy request ended before the cheap one: not heavy enough")
        finally:
            sock.close()

    def test_full_queue_answers_503_with_retry_after(self):
        server = self.start_heavy_server("queue", ["--compute-threads", 1, "--compute-queue", 1])
        path, params = HEAVY_CORRELATION
        sockets = []
        try:
            for lags in ("-2000:2000", "-2001:2001", "-1999:1999"):  # no two alike: no sharing
                sockets.append(send_heavy_request(server, path, {**params, "lags": lags}))
                time.sleep(0.3)
            replies = []
            for sock in sockets:
                # Each socket gets its own share of the time: a running request never answers
                # in it, so a shared deadline would be spent before the refused one is read.
                try:
                    replies.append(ReplyReader(sock).read(
                        time.monotonic() + PROMPT_SECONDS / len(sockets)))
                except TimeoutError:
                    pass  # running or queued
        finally:
            for sock in sockets:
                sock.close()
        rejected = [reply for reply in replies if reply.status == 503]
        self.assertTrue(rejected, f"no 503 among {[reply.status for reply in replies]} "
                                  f"(the others still running or queued)")
        self.assert_json_error(rejected[0], 503, "unavailable", label="beyond the queue")
        self.assertIn("retry-after", rejected[0].headers)


# ---------------------------------------------------------------------------------------------
# Protocol: pipelining, metrics, static paths, small gaps
# ---------------------------------------------------------------------------------------------

def route_of(reply):
    """Which of /healthz, /symbols, /openapi.json a reply body comes from."""
    body = reply.json()
    if "openapi" in body:
        return "/openapi.json"
    if body.get("status") == "ok":
        return "/healthz"
    if any("symbol_id" in row for row in body.get("data", [])):
        return "/symbols"
    return f"unknown: {reply.body[:80]!r}"


class PipeliningTest(AttackTestCase):
    """Requests written together on one connection get one answer each, in order."""

    def pipeline(self, paths):
        server = FIXTURE.shared_server()
        with connect(server) as sock:
            sock.sendall(b"".join(get_request(path) for path in paths))
            reader = ReplyReader(sock)
            deadline = time.monotonic() + PROMPT_SECONDS
            routes = []
            for _ in paths:
                try:
                    reply = reader.read(deadline)
                except (TimeoutError, ConnectionError) as error:
                    self.fail(f"{len(routes)} of {len(paths)} answers ({routes}): {error}")
                self.assertEqual(200, reply.status, reply.body[:200])
                routes.append(route_of(reply))
        self.assertEqual(paths, routes)

    def test_two_requests_in_one_write(self):
        self.pipeline(["/healthz", "/symbols"])

    def test_five_requests_in_one_write(self):
        self.pipeline(["/healthz", "/symbols", "/openapi.json", "/healthz", "/symbols"])


def duration_totals(server):
    """(sum of every *_duration_seconds_sum series, sum of every *_count series)."""
    text = server.get("/metrics", timeout=PROMPT_SECONDS).text()
    totals = [0.0, 0.0]
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        for index, prefix in enumerate(("cryptomood_http_request_duration_seconds_sum",
                                        "cryptomood_http_request_duration_seconds_count")):
            if name.startswith(prefix):
                totals[index] += float(value)
    return tuple(totals)


class MetricsTest(AttackTestCase):
    """A request's duration runs from its first byte to its reply: malformed requests and
    connections idle before their first byte add milliseconds, not their connection's age."""

    SECONDS_PER_REQUEST = 0.5  # generous: each of these requests is answered in milliseconds

    def test_malformed_and_slow_connections_add_little_duration(self):
        server = FIXTURE.shared_server()
        sum_before, count_before = duration_totals(server)
        with connect(server, 5) as sock:
            sock.sendall(b"\x16\x03\x01 this is no HTTP request\r\n\r\n")
            try:
                ReplyReader(sock).read(time.monotonic() + PROMPT_SECONDS)
            except (TimeoutError, ConnectionError, ValueError):
                pass  # closing without an answer is allowed; the duration is what counts
        with connect(server, 5) as sock:
            time.sleep(2)  # connected, silent: not part of any request's duration
            sock.sendall(get_request("/healthz", connection="close"))
            ReplyReader(sock).read(time.monotonic() + PROMPT_SECONDS)
        sum_after, count_after = duration_totals(server)
        requests = max(1.0, count_after - count_before)
        self.assertLess(sum_after - sum_before, self.SECONDS_PER_REQUEST * requests,
                        f"{sum_after - sum_before:.3f} s of request durations added by "
                        f"{requests:.0f} requests")


class StaticPathTest(AttackTestCase):
    """Static files: a NUL in the path is a missing file, never another file's bytes."""

    def get_raw(self, path):
        return exchange(FIXTURE.shared_server(), get_request(path, connection="close"),
                        PROMPT_SECONDS)

    def test_nul_in_the_path_is_404(self):
        for path in ("/app.js%00.html", "/app.js%00", "/index.html%00.js"):
            with self.subTest(path=path):
                self.assert_json_error(self.get_raw(path), 404, "not_found", label=path)

    def test_files_keep_their_content_types(self):
        for path, types in (("/app.js", {"text/javascript", "application/javascript"}),
                            ("/index.html", {"text/html"}), ("/", {"text/html"})):
            with self.subTest(path=path):
                reply = self.get_raw(path)
                self.assertEqual(200, reply.status, path)
                self.assertIn(reply.headers.get("content-type", "").split(";")[0].strip(),
                              types)


class SmallGapsTest(AttackTestCase):
    """POST without a length is refused at once; empty and unknown parameters are 400."""

    def test_post_without_content_length_is_refused_at_once(self):
        request = b"POST /nope HTTP/1.1\r\nHost: attack\r\n\r\n"
        reply = exchange(FIXTURE.shared_server(), request, 1.0)
        self.assertGreaterEqual(reply.status, 400)
        self.assertLess(reply.status, 500)

    def test_empty_values_are_400_naming_the_parameter(self):
        for parameter in ("coin", "limit"):
            with self.subTest(parameter=parameter):
                reply = exchange(FIXTURE.shared_server(),
                                 get_request("/coin", {parameter: ""}), PROMPT_SECONDS)
                self.assert_json_error(reply, 400, "bad_parameter", {parameter},
                                       f"/coin?{parameter}=")

    def test_openapi_rejects_unknown_parameters(self):
        reply = exchange(FIXTURE.shared_server(), get_request("/openapi.json", {"x": "1"}),
                         PROMPT_SECONDS)
        self.assert_json_error(reply, 400, "bad_parameter", {"x"}, "/openapi.json?x=1")


TEST_CLASSES = [PipeliningTest, MetricsTest, StaticPathTest, SmallGapsTest, CostBombTest,
                SlowClientTest, HeaderTimeoutTest, ConnectionCapTest, HeavyComputationTest]


class OrderedLoader(unittest.TestLoader):
    """Loads TEST_CLASSES in their listed order: the shared server's attacks first."""

    def loadTestsFromModule(self, module, *args, **kwargs):  # noqa: N802 (unittest's name)
        return self.suiteClass(self.loadTestsFromTestCase(case) for case in TEST_CLASSES)

    def loadTestsFromNames(self, names, module=None):  # noqa: N802
        return self.loadTestsFromModule(None)


def main():
    global ARGUMENTS, FIXTURE
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the cryptomood executable")
    parser.add_argument("--memory-limit-mib", type=int, default=DEFAULT_MEMORY_LIMIT_MIB,
                        help="resident size a bombed server must stay under (default "
                             f"{DEFAULT_MEMORY_LIMIT_MIB})")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    ARGUMENTS, unittest_arguments = parser.parse_known_args()

    started = time.monotonic()
    FIXTURE = Fixture()
    print(f"attack_test: store ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    try:
        program = unittest.main(module=sys.modules[__name__],
                                argv=[sys.argv[0], *unittest_arguments],
                                testLoader=OrderedLoader(), exit=False, verbosity=2)
        passed = program.result.wasSuccessful() and program.result.testsRun > 0
    finally:
        FIXTURE.close(ARGUMENTS.keep)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
