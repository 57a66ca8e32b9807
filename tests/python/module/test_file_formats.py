"""Compressed (gzip, zstd) and CSV files read by the module equal the plain JSON lines."""

import gzip
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import assert_frames_identical, read_json_lines

RUNS = [{}, {"mode": "bars", "lags": (-2, 2)}]


def gzip_file(source, target):
    with open(source, "rb") as plain, gzip.open(target, "wb", compresslevel=6) as packed:
        shutil.copyfileobj(plain, packed)
    return str(target)


def zstd_file(source, target):
    subprocess.run(["zstd", "-q", "-3", "-f", source, "-o", str(target)], check=True)
    return str(target)


def csv_file(source, target):
    """The JSON lines as CSV with a header: coins as 'BTC|ETH', numbers in their shortest
    round-trip text (pandas writes floats with repr)."""
    frame = pd.DataFrame.from_records(read_json_lines(source))
    if "coins" in frame.columns:
        frame["coins"] = frame["coins"].map("|".join)
    frame.to_csv(target, index=False)
    return str(target)


@pytest.fixture(scope="module")
def converted(simulated_files, tmp_path_factory):
    directory = tmp_path_factory.mktemp("formats")
    trades, tweets = simulated_files
    return {
        "gzip": (gzip_file(trades, directory / "t.jsonl.gz"),
                 gzip_file(tweets, directory / "s.jsonl.gz")),
        "zstd": (zstd_file(trades, directory / "t.jsonl.zst"),
                 zstd_file(tweets, directory / "s.jsonl.zst")),
        # Read by content, not by name.
        "gzip named .txt": (gzip_file(trades, directory / "t.txt"),
                            zstd_file(tweets, directory / "s.txt")),
        "csv": (csv_file(trades, directory / "t.csv"), csv_file(tweets, directory / "s.csv")),
    }


@pytest.fixture(scope="module")
def converted_csv_gzip(converted, tmp_path_factory):
    directory = tmp_path_factory.mktemp("csv_gzip")
    trades, tweets = converted["csv"]
    return (gzip_file(trades, directory / "t.csv.gz"), zstd_file(tweets, directory / "s.csv.zst"))


@pytest.mark.parametrize("form", ["gzip", "zstd", "gzip named .txt", "csv"])
@pytest.mark.parametrize("keywords", RUNS)
def test_formats_equal_plain_json_lines(module, simulated_files, converted, form, keywords):
    expected = module.analyze(*simulated_files, **keywords)
    actual = module.analyze(*converted[form], **keywords)
    assert_frames_identical(actual, expected)
    assert actual.attrs["inputs"] == expected.attrs["inputs"]


def test_compressed_csv_equals_plain_json_lines(module, simulated_files, converted_csv_gzip):
    assert_frames_identical(module.analyze(*converted_csv_gzip),
                            module.analyze(*simulated_files))
