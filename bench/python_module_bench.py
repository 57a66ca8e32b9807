#!/usr/bin/env python3
"""The Python module on the 2M-trade benchmark data (bench/analyze_throughput.sh's data set):
analyze from files and from DataFrames, load, analyses on a loaded Dataset, series and
simulate, each timed RUNS times (median and every run).

    /usr/bin/python3 bench/python_module_bench.py [BUILD_DIR] [RUNS]

BUILD_DIR (default build) holds the module (BUILD_DIR/python) and the binary that simulates
the data once into $CRYPTOMOOD_BENCH_DATA (default /tmp/cryptomood-bench).
"""

import os
import resource
import statistics
import subprocess
import sys
import time


def timed(label, call, runs):
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    print(f"{label:<44} median {statistics.median(seconds):6.2f} s   runs: "
          + " ".join(f"{value:.2f}" for value in seconds), flush=True)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    sys.path.insert(0, os.path.join(build, "python"))
    import cryptomood

    data = os.environ.get("CRYPTOMOOD_BENCH_DATA", "/tmp/cryptomood-bench")
    trades = os.path.join(data, "historical_coin_data.txt")
    tweets = os.path.join(data, "historical_sentiment_data.txt")
    if not os.path.exists(trades):
        subprocess.run([os.path.join(build, "cryptomood"), "simulate", "--trades", "2000000",
                        "--tweets", "500000", "--seed", "1", "--out", data], check=True)
    print(f"cryptomood {cryptomood.__version__} (commit {cryptomood.__commit__}); "
          f"{os.path.getsize(trades) + os.path.getsize(tweets)} bytes of JSON lines")

    timed("analyze(paths), tick", lambda: cryptomood.analyze(trades, tweets), runs)
    started = time.perf_counter()
    trade_frame, tweet_frame = cryptomood.simulate(trades=2_000_000, tweets=500_000)
    print(f"{'simulate(trades=2M, tweets=500k)':<44} {time.perf_counter() - started:6.2f} s")
    timed("load(DataFrames)", lambda: cryptomood.load(trade_frame, tweet_frame), runs)
    timed("analyze(DataFrames), tick", lambda: cryptomood.analyze(trade_frame, tweet_frame), runs)
    dataset = cryptomood.load(trades, tweets)
    timed("Dataset.analyze(), tick", dataset.analyze, runs)
    timed("Dataset.analyze(mode='bars', lags=(-5, 5))",
          lambda: dataset.analyze(mode="bars", lags=(-5, 5)), runs)
    timed("Dataset.series(interval='1m')", lambda: dataset.series(interval="1m"), runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB (the DataFrames included)")


if __name__ == "__main__":
    main()
