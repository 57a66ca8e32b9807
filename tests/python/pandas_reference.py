"""Shared helpers for the pandas cross-checks of `cryptomood analyze`.

pandas is the independent reference here: the figures it gives come from its own parser-free
pipeline (Python's json module, pandas timestamps, merge_asof, DataFrame.corr), never from our
code. Everything needing only the standard library plus pandas (Debian's python3-pandas); scipy is
not assumed, which is why Spearman goes through DataFrame.corr (pandas' own ranking) and not
Series.corr.
"""

import argparse
import json
import math
import pathlib
import subprocess
import sys

try:
    import pandas as pd
except ImportError:  # pragma: no cover - reported, not hidden: the check must not pass silently
    sys.exit(
        f"{sys.argv[0]}: pandas is not importable by {sys.executable}; "
        "install Debian's python3-pandas (scripts/install-deps.sh does)"
    )

# Statistics are compared to this absolute tolerance (all are correlations in [-1, 1]).
TOLERANCE = 1e-9
# Fisher-z 95% interval constant from the spec.
# The 0.975 quantile of the standard normal to double precision (1.959964 is its rounding).
Z_95 = 1.959963984540054
DEFAULT_SEED_DIR = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "seed"
TRADES_FILE = "historical_coin_data.txt"
SENTIMENT_FILE = "historical_sentiment_data.txt"


def parse_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("binary", help="path of the cryptomood executable")
    parser.add_argument("--seed-dir", default=str(DEFAULT_SEED_DIR),
                        help="folder holding the seed trades and sentiment files")
    arguments = parser.parse_args()
    seed_dir = pathlib.Path(arguments.seed_dir)
    return arguments.binary, seed_dir / TRADES_FILE, seed_dir / SENTIMENT_FILE


def load_json_lines(path):
    """One DataFrame row per non-blank line; timestamps parsed to UTC, stably sorted."""
    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    frame = pd.DataFrame.from_records(records)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    # Stable: records with equal timestamps keep input order, as the spec requires.
    return frame.sort_values("timestamp", kind="mergesort").reset_index(drop=True)


def count_lines(path):
    with open(path, encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


def base_asset(symbol_id):
    """COINBASE_SPOT_BTC_USD -> BTC (exchange, market type, base, quote)."""
    return symbol_id.split("_")[2]


def run_analyze(binary, trades_path, sentiment_path, extra_arguments):
    command = [binary, "analyze", "--trades", str(trades_path), "--sentiment",
               str(sentiment_path), "--format", "json", *extra_arguments]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"FAIL: {' '.join(command)} exited {completed.returncode}\n{completed.stderr}")
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError as error:
        sys.exit(f"FAIL: output of {' '.join(command)} is not JSON ({error}):\n"
                 f"{completed.stdout[:2000]}")


def format_timestamp(timestamp):
    """RFC 3339 UTC with microseconds, as the JSON contract prints timestamps."""
    return timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def reference_statistics(pairs):
    """n, Pearson, Spearman and the Fisher-z interval of (price, sentiment_polarity) pairs.

    A statistic the spec calls undefined (n < 3 or zero variance; the interval when n < 4)
    is None, matching the contract's null.
    """
    n = len(pairs)
    statistics = {"n": n, "pearson": None, "spearman": None, "ci_low": None, "ci_high": None}
    if n < 3 or pairs["price"].nunique() < 2 or pairs["sentiment_polarity"].nunique() < 2:
        return statistics
    columns = pairs[["price", "sentiment_polarity"]]
    pearson = float(columns.corr(method="pearson").iloc[0, 1])
    statistics["pearson"] = pearson
    statistics["spearman"] = float(columns.corr(method="spearman").iloc[0, 1])
    if n >= 4 and abs(pearson) < 1:
        half_width = Z_95 / math.sqrt(n - 3)
        statistics["ci_low"] = math.tanh(math.atanh(pearson) - half_width)
        statistics["ci_high"] = math.tanh(math.atanh(pearson) + half_width)
    return statistics


class Comparison:
    """Collects mismatches so one run reports all of them, then decides the exit status."""

    def __init__(self):
        self.failures = []
        self.checked = 0

    def expect_equal(self, label, expected, actual):
        self.checked += 1
        if expected != actual:
            self.failures.append(f"{label}: expected {expected!r}, got {actual!r}")

    def expect_close(self, label, expected, actual):
        """expected None means the statistic must be null in our output."""
        self.checked += 1
        if expected is None or actual is None:
            if expected is not actual:
                self.failures.append(f"{label}: expected {expected!r}, got {actual!r}")
            return
        if not isinstance(actual, (int, float)) or abs(expected - actual) > TOLERANCE:
            self.failures.append(f"{label}: pandas {expected!r}, ours {actual!r} "
                                 f"(tolerance {TOLERANCE})")

    def expect_statistics(self, label, expected, row):
        for name, value in expected.items():
            if name == "n":
                self.expect_equal(f"{label} n", value, row.get("n"))
            else:
                self.expect_close(f"{label} {name}", value, row.get(name))

    def expect_all_inputs_accepted(self, output, trades_path, sentiment_path):
        inputs = output.get("inputs", {})
        for kind, path in (("trades", trades_path), ("sentiment", sentiment_path)):
            lines = count_lines(path)
            counts = inputs.get(kind, {})
            self.expect_equal(f"inputs.{kind}.lines", lines, counts.get("lines"))
            self.expect_equal(f"inputs.{kind}.accepted", lines, counts.get("accepted"))
            self.expect_equal(f"inputs.{kind}.rejected", 0, counts.get("rejected"))
            self.expect_equal(f"inputs.{kind}.duplicates", 0, counts.get("duplicates"))

    def finish(self, name):
        if self.checked == 0:
            self.failures.append("nothing was compared")
        for failure in self.failures:
            print(f"FAIL: {failure}")
        if self.failures:
            print(f"{name}: {len(self.failures)} of {self.checked} checks failed")
            return 1
        print(f"{name}: all {self.checked} checks match pandas")
        return 0
