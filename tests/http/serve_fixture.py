"""Shared pieces of the real-process tests of `cryptomood serve` (api_test.py, attack_test.py).

What it offers: the CLI calls that build a store (simulate, ingest, analyze), throw-away
databases on SQLite or PostgreSQL (Stores), one `serve --port 0` process with its log file and
HTTP helpers (Server), and small readers of raw HTTP answers and Prometheus series.
Invariants: a Server is only constructed once the process printed its serving line, so host
and port are always known; every network call has a timeout. Not thread-safe beyond what
http.client and socket are: share a Server between threads only for independent requests.
"""

import http.client
import json
import pathlib
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

TRADES_FILE = "historical_coin_data.txt"
SENTIMENT_FILE = "historical_sentiment_data.txt"
SERVER_START_TIMEOUT = 60
REQUEST_TIMEOUT = 120


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name)

    def content_type(self):
        return (self.header("Content-Type") or "").split(";")[0].strip()

    def json(self):
        return json.loads(self.body)

    def text(self):
        return self.body.decode("utf-8")


def query_path(path, params=()):
    """path?encoded params; params is a list of (name, value) pairs (names may repeat)."""
    params = list(params.items()) if isinstance(params, dict) else list(params)
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def run(command, **kwargs):
    completed = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                               check=False, **kwargs)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {completed.returncode}:\n"
                           f"{completed.stdout}\n{completed.stderr}")
    return completed.stdout


class Server:
    """One `cryptomood serve --port 0` process (plus `options`); its log goes to log_path."""

    SERVING_LINE = re.compile(r"^cryptomood: serving http://([^/]+):(\d+)/$")

    def __init__(self, binary, db_url, log_path, options=(), request_timeout=REQUEST_TIMEOUT):
        self.log_path = log_path
        self.request_timeout = request_timeout
        self.log = open(log_path, "w", encoding="utf-8")
        command = [str(binary), "serve", "--db", db_url, "--port", "0", *map(str, options)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log,
                                        text=True)
        line = self._first_line()
        match = self.SERVING_LINE.match(line.rstrip("\n"))
        if not match:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"{' '.join(command[1:])} printed {line!r}, not the serving "
                               f"line; log:\n{self.log_text()}")
        self.host, self.port = match.group(1), int(match.group(2))
        # Keep draining stdout so the server can never block on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def _first_line(self):
        result = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(SERVER_START_TIMEOUT)
        if not result:
            self.process.kill()
            raise RuntimeError(f"serve printed nothing in {SERVER_START_TIMEOUT} s; log:\n"
                               f"{self.log_text()}")
        return result[0]

    @property
    def pid(self):
        return self.process.pid

    def log_text(self):
        self.log.flush()
        return pathlib.Path(self.log_path).read_text(encoding="utf-8", errors="replace")

    def connection(self, timeout=None):
        return http.client.HTTPConnection(self.host, self.port,
                                          timeout=timeout or self.request_timeout)

    def request(self, method, path, params=(), headers=None, body=None, timeout=None):
        connection = self.connection(timeout)
        try:
            connection.request(method, query_path(path, params), body=body,
                               headers=headers or {})
            reply = connection.getresponse()
            return Response(reply.status, reply.headers, reply.read())
        finally:
            connection.close()

    def get(self, path, params=(), timeout=None):
        return self.request("GET", path, params, timeout=timeout)

    def raw_exchange(self, data, read_limit=1 << 20, timeout=10):
        """Sends raw bytes, returns what the server answers until it closes or goes quiet."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(data)
            received = b""
            try:
                while len(received) < read_limit:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                    if b"\r\n\r\n" in received and response_complete(received):
                        break
            except (socket.timeout, ConnectionResetError):
                pass
        return received

    def stop(self, timeout=60):
        """SIGTERM, then the exit status (None while it still runs after `timeout` s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def close(self):
        """Kills the process if it still runs and closes its pipe and log."""
        self.kill()
        self.process.stdout.close()
        self.log.close()


def response_complete(raw):
    """True when a raw HTTP response with Content-Length has all of its body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return match is not None and len(body) >= int(match.group(1))


def raw_status(raw):
    match = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(match.group(1)) if match else None


def metric_value(server, series):
    """The value of one Prometheus series (name{labels} exactly as printed); 0 when absent."""
    text = server.get("/metrics").text()
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name == series:
            return float(value)
    return 0.0


class Stores:
    """Creates throw-away databases on the chosen backend and drops them at the end."""

    def __init__(self, backend, work_dir, postgres_url_file):
        self.backend = backend
        self.work_dir = work_dir
        self.created = []
        self.admin_url = None
        if backend == "postgresql":
            if not postgres_url_file:
                raise RuntimeError("--backend postgresql needs --postgres-url-file")
            self.admin_url = pathlib.Path(postgres_url_file).read_text().splitlines()[0].strip()
            if not self.admin_url.startswith("postgresql://"):
                raise RuntimeError(f"{postgres_url_file} holds no postgresql:// URL")

    def create(self, name):
        if self.backend == "sqlite":
            return f"sqlite:{self.work_dir / (name + '.db')}"
        database = f"cryptomood_api_{name}_{int(time.time() * 1000)}"
        run(["psql", self.admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c",
             f"CREATE DATABASE {database}"])
        self.created.append(database)
        parts = urllib.parse.urlsplit(self.admin_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database))

    def drop_all(self):
        for database in self.created:
            subprocess.run(["psql", self.admin_url, "-q", "-c",
                            f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"],
                           capture_output=True, check=False)


def ingest(binary, db_url, trade_paths, sentiment_paths):
    command = [binary, "ingest", "--db", db_url]
    for path in trade_paths:
        command += ["--trades", path]
    for path in sentiment_paths:
        command += ["--sentiment", path]
    return run(command)


def analyze(binary, trade_paths, sentiment_paths, options):
    command = [binary, "analyze", "--format", "json"]
    for path in trade_paths:
        command += ["--trades", path]
    for path in sentiment_paths:
        command += ["--sentiment", path]
    return json.loads(run(command + options))["results"]


def simulate(binary, out_dir, options):
    """Writes simulated seed files into out_dir; returns (trades path, sentiment path)."""
    run([binary, "simulate", "--out", out_dir, *options])
    return out_dir / TRADES_FILE, out_dir / SENTIMENT_FILE
