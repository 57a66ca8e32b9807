"""Fixtures of the Python module's tests: the CLI binary and seed data named by the
environment (set by ctest, see tests/python/CMakeLists.txt), simulated files written by the
CLI, and the comparison of a DataFrame with the CLI's JSON rows."""

import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import cryptomood


@pytest.fixture(scope="session")
def cli():
    return os.environ["CRYPTOMOOD_BIN"]


@pytest.fixture(scope="session")
def seed_dir():
    return os.environ["CRYPTOMOOD_SEED_DIR"]


@pytest.fixture(scope="session")
def seed_files(seed_dir):
    return (os.path.join(seed_dir, "historical_coin_data.txt"),
            os.path.join(seed_dir, "historical_sentiment_data.txt"))


@pytest.fixture(scope="session")
def simulated_files(cli, tmp_path_factory):
    """Two simulated days written by `cryptomood simulate` (default planted effects)."""
    out = tmp_path_factory.mktemp("simulated")
    subprocess.run([cli, "simulate", "--out", str(out), "--days", "2", "--trades", "60000",
                    "--tweets", "20000", "--seed", "5"], check=True, capture_output=True)
    return (str(out / "historical_coin_data.txt"),
            str(out / "historical_sentiment_data.txt"))


def run_cli_json(cli, trades, sentiment, *options):
    """`cryptomood analyze --format json` on the files: the parsed document."""
    done = subprocess.run([cli, "analyze", "--trades", trades, "--sentiment", sentiment,
                           "--format", "json", *options], check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout)


def same_value(actual, expected):
    """Equality as the JSON contract means it: same bits for numbers, null as NaN/NaT/None."""
    if expected is None:
        return actual is None or actual is pd.NaT or (isinstance(actual, float)
                                                      and math.isnan(actual))
    if isinstance(actual, pd.Timestamp):
        return actual == pd.Timestamp(expected)
    if isinstance(expected, float):
        return isinstance(actual, (float, np.floating)) and (
            float(actual) == expected or (math.isnan(actual) and math.isnan(expected)))
    return actual == expected


def assert_frame_equals_rows(frame, rows):
    """frame (from the module) holds exactly rows (the CLI's JSON objects), in order."""
    assert len(frame) == len(rows)
    for index, expected in enumerate(rows):
        assert list(expected.keys()) == list(frame.columns)
        actual = frame.iloc[index]
        for column, value in expected.items():
            assert same_value(actual[column], value), (index, column, actual[column], value)


def assert_frames_identical(first, second):
    """Two module results with the same values, bit for bit (NaN equal to NaN)."""
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def read_json_lines(path):
    """A JSON-lines file as records, numbers parsed exactly (pandas' reader rounds)."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def module():
    return cryptomood
