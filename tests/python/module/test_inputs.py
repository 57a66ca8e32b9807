"""DataFrame inputs equal file inputs; rejected rows are reported as rejected lines are."""

import numpy as np
import pandas as pd
import pytest

from conftest import assert_frames_identical, read_json_lines

RUNS = [{}, {"mode": "bars", "lags": (-2, 2)}, {"mode": "compat"}]


@pytest.fixture(scope="module")
def simulated_frames(simulated_files):
    trades_path, tweets_path = simulated_files
    return (pd.DataFrame.from_records(read_json_lines(trades_path)),
            pd.DataFrame.from_records(read_json_lines(tweets_path)))


@pytest.mark.parametrize("keywords", RUNS)
def test_dataframes_equal_files(module, simulated_files, simulated_frames, keywords):
    from_files = module.analyze(*simulated_files, **keywords)
    from_frames = module.analyze(*simulated_frames, **keywords)
    assert_frames_identical(from_frames, from_files)
    assert from_frames.attrs["inputs"] == from_files.attrs["inputs"]


def test_datetime_columns_equal_text_columns(module, simulated_files, simulated_frames):
    trades, tweets = (frame.copy() for frame in simulated_frames)
    trades["timestamp"] = pd.to_datetime(trades["timestamp"], utc=True)
    tweets["timestamp"] = pd.to_datetime(tweets["timestamp"]).dt.tz_localize(None)  # naive: UTC
    assert_frames_identical(module.analyze(trades, tweets), module.analyze(*simulated_files))


def test_simulate_equals_cli_simulate(module, simulated_files):
    trades, tweets = module.simulate(seed=5, days=2, trades=60000, tweets=20000)
    for keywords in RUNS:
        assert_frames_identical(module.analyze(trades, tweets, **keywords),
                                module.analyze(*simulated_files, **keywords))
    from_file = read_json_lines(simulated_files[0])
    assert trades["uuid"].tolist()[:100] == [line["uuid"] for line in from_file[:100]]
    assert trades["price"].tolist() == [line["price"] for line in from_file]


def test_coin_strings_and_aliases(module, simulated_files, simulated_frames):
    trades, tweets = (frame.copy() for frame in simulated_frames)
    trades = trades.rename(columns={"size": "amount", "symbol_id": "symbol"})
    tweets["coins"] = tweets["coins"].map("|".join)
    assert_frames_identical(module.analyze(trades, tweets), module.analyze(*simulated_files))


def test_minimal_columns_and_duplicates(module, simulated_frames):
    trades, tweets = simulated_frames
    minimal = trades[["timestamp", "price", "size", "symbol_id"]]
    frame = module.analyze(minimal, tweets[["timestamp", "coins", "sentiment_polarity"]])
    assert frame.attrs["inputs"]["trades"]["accepted"] == len(trades)
    # A uuid seen before is a duplicate, as in files: dropped and counted.
    doubled = pd.concat([trades, trades.iloc[:100]], ignore_index=True)
    counts = module.analyze(doubled, tweets).attrs["inputs"]["trades"]
    assert counts == {"lines": len(trades) + 100, "accepted": len(trades), "rejected": 0,
                      "duplicates": 100}


def bad_trades():
    return pd.DataFrame({
        "timestamp": ["2018-07-16T20:11:51Z", "not a time", "2018-07-16T20:11:53Z",
                      "2018-07-16T20:11:54Z", "2018-07-16T20:11:55Z", "2018-07-16T20:11:56Z"],
        "price": [6100.5, 6100.0, -1.0, 6101.0, np.nan, 6102.0],
        "size": [1.0, 1.0, 1.0, 2.0, 1.0, 3.0],
        "symbol_id": ["COINBASE_SPOT_BTC_USD", "COINBASE_SPOT_BTC_USD", "COINBASE_SPOT_BTC_USD",
                      "BTC", "COINBASE_SPOT_BTC_USD", None],
    })


def good_tweets():
    return pd.DataFrame({
        "timestamp": pd.date_range("2018-07-16T20:11:50Z", periods=5, freq="2s"),
        "coins": [["BTC"], "BTC|ETH", [], None, ("BTC",)],
        "sentiment_polarity": [0.1, -0.2, 0.3, 0.4, 1.5],
    })


def test_rejected_rows_are_reported(module, tmp_path):
    reject_file = tmp_path / "rejects.txt"
    frame = module.analyze(bad_trades(), good_tweets(), rejects=reject_file)
    inputs = frame.attrs["inputs"]
    assert inputs["trades"] == {"lines": 6, "accepted": 1, "rejected": 5, "duplicates": 0}
    assert inputs["sentiment"] == {"lines": 5, "accepted": 2, "rejected": 3, "duplicates": 0}
    rejects = frame.attrs["rejects"]
    assert list(rejects.columns) == ["file", "line", "reason", "text"]
    trade_rejects = rejects[rejects.file == "trades DataFrame"]
    assert trade_rejects.line.tolist() == [2, 3, 4, 5, 6]
    reasons = trade_rejects.reason.tolist()
    assert "timestamp" in reasons[0]
    assert "price" in reasons[1] and "price" in reasons[3]
    assert "symbol_id" in reasons[2] and "symbol_id" in reasons[4]
    tweet_rejects = rejects[rejects.file == "sentiment DataFrame"]
    assert tweet_rejects.line.tolist() == [3, 4, 5]
    assert tweet_rejects.reason.tolist()[0] == "coins is empty"
    assert "sentiment_polarity" in tweet_rejects.reason.tolist()[2]
    # The reject file holds each rejected line verbatim: the row as the parser saw it.
    written = reject_file.read_text().splitlines()
    assert written == rejects.text.tolist()
    assert '"price": -1.0' in written[1]


def test_reasons_equal_those_of_the_same_lines_in_a_file(module, tmp_path):
    """A rejected row's text, written to a file, is rejected there for the same reason."""
    rejects = module.analyze(bad_trades(), good_tweets()).attrs["rejects"]
    trade_rejects = rejects[rejects.file == "trades DataFrame"]
    path = tmp_path / "trades.jsonl"
    valid = ('{"timestamp": "2018-07-16T20:11:51Z", "price": 6100.5, "size": 1.0, '
             '"symbol_id": "COINBASE_SPOT_BTC_USD", "uuid": "00000000-0000-4000-8000-000000000000"}')
    path.write_text("\n".join([valid, *trade_rejects.text]) + "\n")
    from_file = module.analyze(str(path), good_tweets()).attrs["rejects"]
    from_file = from_file[from_file.file == str(path)]
    assert from_file.reason.tolist() == trade_rejects.reason.tolist()
    assert from_file.line.tolist() == trade_rejects.line.tolist()


def test_strict_raises_on_the_first_rejected_row(module):
    with pytest.raises(module.InputError, match=r"trades DataFrame.*2"):
        module.analyze(bad_trades(), good_tweets(), strict=True)


def test_keep_rejects_bounds_the_list_not_the_count(module):
    data = module.load(bad_trades(), good_tweets(), keep_rejects=2)
    assert len(data.rejects) == 2
    assert data.inputs["trades"]["rejected"] == 5


def test_empty_frame_is_an_input_error(module):
    empty = bad_trades().iloc[:0]
    with pytest.raises(module.InputError, match="trades DataFrame"):
        module.analyze(empty, good_tweets())


def test_rows_keep_their_order_in_large_frames(module, simulated_frames):
    """Rows of a large frame are formatted in parallel batches yet read in order: rejected
    rows keep their row numbers and the first of two equal uuids is the one kept."""
    trades, tweets = simulated_frames
    frame = trades.copy()
    bad_rows = [5, 4097, 9000, 20000, 40961, len(frame) - 1]
    frame.loc[bad_rows, "price"] = -1.0
    rejects = module.analyze(frame, tweets).attrs["rejects"]
    assert rejects.line.tolist() == [row + 1 for row in bad_rows]
    texts = [line for line in rejects.text]
    assert [frame.uuid[row] in text for row, text in zip(bad_rows, texts)] == [True] * 6
