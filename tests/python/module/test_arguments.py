"""Every bad argument raises the documented exception, naming the argument (or column)."""

import datetime

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def data(module, seed_files):
    return module.load(*seed_files)


@pytest.mark.parametrize("keywords,error,name", [
    ({"mode": "hourly"}, ValueError, "mode"),
    ({"mode": 3}, TypeError, "mode"),
    ({"direction": "sideways"}, ValueError, "direction"),
    ({"tolerance": "soon"}, ValueError, "tolerance"),
    ({"tolerance": datetime.timedelta(microseconds=5)}, ValueError, "tolerance"),
    ({"tolerance": 30}, TypeError, "tolerance"),
    ({"mode": "bars", "interval": "5x"}, ValueError, "interval"),
    ({"mode": "bars", "lags": "a:b"}, ValueError, "lags"),
    ({"mode": "bars", "lags": (3, 1)}, ValueError, "lags"),
    ({"mode": "bars", "lags": 1.5}, TypeError, "lags"),
    ({"lags": (0, 2)}, ValueError, "lags"),
    ({"window": "0d"}, ValueError, "window"),
    ({"coins": ["btc!"]}, ValueError, "coins"),
    ({"coins": [1]}, TypeError, "coins"),
    ({"threads": 0}, ValueError, "threads"),
    ({"threads": "2"}, TypeError, "threads"),
    ({"granger": "auto"}, ValueError, "granger"),
    ({"mode": "bars", "granger": "often"}, ValueError, "granger"),
    ({"mode": "bars", "interval": "1s", "lags": (-5, 5), "max_bars": 10}, ValueError,
     "max_bars"),
    ({"max_rows": 0}, ValueError, "max_rows"),
])
def test_bad_analysis_arguments(data, keywords, error, name):
    with pytest.raises(error, match=name):
        data.analyze(**keywords)


@pytest.mark.parametrize("keywords,error,name", [
    ({"start": "yesterday"}, ValueError, "start"),
    ({"start": 17}, TypeError, "start"),
    ({"end": "2018-02-30T00:00:00Z"}, ValueError, "end"),
    ({"start": "2018-07-17T00:00:00Z", "end": "2018-07-16T00:00:00Z"}, ValueError, "start"),
    ({"strict": "yes"}, TypeError, "strict"),
    ({"threads": 65}, ValueError, "threads"),
])
def test_bad_load_arguments(module, seed_files, keywords, error, name):
    with pytest.raises(error, match=name):
        module.load(*seed_files, **keywords)


def test_bad_inputs(module, seed_files, tmp_path):
    trades, tweets = seed_files
    with pytest.raises(TypeError, match="trades"):
        module.analyze(42, tweets)
    with pytest.raises(TypeError, match="sentiment"):
        module.analyze(trades, [tweets, 7])
    with pytest.raises(TypeError, match="sentiment"):
        module.analyze(trades)
    with pytest.raises(FileNotFoundError, match="trades"):
        module.analyze(str(tmp_path / "missing.jsonl"), tweets)
    with pytest.raises(module.InputError, match="looks like sentiment data"):
        module.analyze(tweets, tweets)
    binary = tmp_path / "binary.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(module.InputError, match="binary"):
        module.analyze(trades, str(binary))


def test_missing_dataframe_columns_are_named(module, seed_files):
    trades, tweets = seed_files
    frame = pd.DataFrame({"timestamp": ["2018-07-16T20:11:51Z"], "price": [1.0],
                          "size": [1.0]})
    with pytest.raises(ValueError, match="symbol_id"):
        module.analyze(frame, tweets)
    tweet_frame = pd.DataFrame({"timestamp": ["2018-07-16T20:11:51Z"], "coins": [["BTC"]]})
    with pytest.raises(ValueError, match="sentiment_polarity"):
        module.analyze(trades, tweet_frame)
    numeric_times = frame.assign(symbol_id="COINBASE_SPOT_BTC_USD", timestamp=[1531771911])
    with pytest.raises(TypeError, match="timestamp"):
        module.analyze(numeric_times, tweets)
    odd_coins = pd.DataFrame({"timestamp": ["2018-07-16T20:11:51Z"], "coins": [3],
                              "sentiment_polarity": [0.5]})
    with pytest.raises(TypeError, match="coins"):
        module.analyze(trades, odd_coins)


def test_dataset_with_load_options_is_refused(module, data):
    with pytest.raises(TypeError, match="sentiment"):
        module.analyze(data, data)
    with pytest.raises(TypeError, match="start"):
        module.analyze(data, start="2018-07-16T00:00:00Z")


def test_bad_simulation_arguments(module):
    with pytest.raises(ValueError, match="effects"):
        module.simulate(effects=["ETH:sideways:2:0.4"])
    with pytest.raises(ValueError, match="step"):
        module.simulate(step="1mo")
    with pytest.raises(ValueError, match="days"):
        module.simulate(days=-1)
    with pytest.raises(TypeError, match="seed"):
        module.simulate(seed="one")


def test_other_functions_name_their_arguments(module, data):
    with pytest.raises(ValueError, match="interval"):
        data.series(interval="1x")
    with pytest.raises(ValueError, match="max_bars"):
        data.series(interval="1ms", max_bars=5)
    with pytest.raises(ValueError, match="interval"):
        data.diagnostics(interval="-1m")
    with pytest.raises(ValueError, match="lags"):
        data.causality(lags="many")
    with pytest.raises(TypeError, match="lags"):
        data.causality(lags=2.5)
