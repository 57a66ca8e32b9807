"""The module's results equal the CLI's JSON, value for value and bit for bit."""

import pytest

from conftest import assert_frame_equals_rows, run_cli_json

# (module keywords, the same run as CLI options)
RUNS = [
    ({}, []),
    ({"mode": "compat"}, ["--mode", "compat"]),
    ({"mode": "tick", "direction": "nearest", "tolerance": "30s"},
     ["--direction", "nearest", "--tolerance", "30s"]),
    ({"mode": "bars", "interval": "1m", "lags": (-3, 3)},
     ["--mode", "bars", "--interval", "1m", "--lags", "-3:3"]),
    ({"mode": "bars", "interval": "5m", "lags": (0, 2), "window": "1d", "coins": ["ETH", "BTC"]},
     ["--mode", "bars", "--interval", "5m", "--lags", "0:2", "--window", "1d", "--coin",
      "ETH,BTC"]),
]


@pytest.mark.parametrize("keywords,options", RUNS)
def test_simulated_results_equal_cli(module, cli, simulated_files, keywords, options):
    expected = run_cli_json(cli, *simulated_files, *options)
    frame = module.analyze(*simulated_files, **keywords)
    assert len(frame) > 0
    assert_frame_equals_rows(frame, expected["results"])
    assert frame.attrs["inputs"] == expected["inputs"]


@pytest.mark.parametrize("keywords,options", RUNS[:3])
def test_seed_results_equal_cli(module, cli, seed_files, keywords, options):
    expected = run_cli_json(cli, *seed_files, *options)
    frame = module.analyze(*seed_files, **keywords)
    assert_frame_equals_rows(frame, expected["results"])
    assert frame.attrs["inputs"] == expected["inputs"]


def test_time_range_equals_cli(module, cli, simulated_files):
    expected = run_cli_json(cli, *simulated_files, "--from", "2018-07-16T06:00:00Z", "--to",
                            "2018-07-17T00:00:00.5Z")
    frame = module.analyze(*simulated_files, start="2018-07-16T06:00:00Z",
                           end="2018-07-17T00:00:00.5Z")
    assert_frame_equals_rows(frame, expected["results"])
    assert frame.attrs["inputs"] == expected["inputs"]


def test_granger_equals_cli(module, cli, simulated_files):
    expected = run_cli_json(cli, *simulated_files, "--mode", "bars", "--granger", "auto")
    frame = module.analyze(*simulated_files, mode="bars", granger="auto")
    assert_frame_equals_rows(frame, expected["results"])
    assert_frame_equals_rows(frame.attrs["causality"], expected["causality"])
    by_itself = module.causality(*simulated_files, lags="auto")
    assert_frame_equals_rows(by_itself, expected["causality"])


def test_diagnostics_equal_cli(module, cli, simulated_files):
    expected = run_cli_json(cli, *simulated_files, "--what", "diagnostics")["diagnostics"]
    frame = module.diagnostics(*simulated_files)
    assert len(frame) == len(expected) == 9
    for row, document in zip(frame.itertuples(index=False), expected):
        assert row.symbol_id == document["symbol_id"]
        assert row.series == document["series"]
        assert row.verdict == document["verdict"]
        assert row.adf_statistic == document["adf"]["statistic"]
        assert row.kpss_statistic == document["kpss"]["statistic"]


def test_dataset_reused_equals_fresh_load(module, simulated_files):
    data = module.load(*simulated_files)
    for keywords, _ in RUNS:
        reused = data.analyze(**keywords)
        fresh = module.analyze(*simulated_files, **keywords)
        assert reused.equals(fresh), keywords


def test_series_matches_bars_of_the_analysis(module, simulated_files):
    bars = module.series(*simulated_files, interval="1h", coins="ETH")
    assert set(bars.symbol_id) == {"COINBASE_SPOT_ETH_USD"}
    assert str(bars.bar_start.dtype) == "datetime64[ns, UTC]"
    assert len(bars) == 48  # two simulated days of hourly bars
    assert bars.trades.sum() == 20000  # a third of the trades are ETH's
    assert not bars.incomplete.iloc[:-1].any()
    # The hourly log returns add up to the log price change over the span.
    import numpy as np
    total = np.log(bars.close.iloc[-1] / bars.close.iloc[0])
    assert abs(bars["return"].iloc[1:].sum() - total) < 1e-9
