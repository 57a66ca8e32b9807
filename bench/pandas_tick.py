#!/usr/bin/env python3
"""The tick-mode job in pandas, for the README's ratio: read both JSON-lines files, sort,
merge_asof backward per symbol (sentiment exploded per coin), Pearson per symbol.
Usage: pandas_tick.py TRADES SENTIMENT"""
import sys
import time

import pandas as pd

start = time.perf_counter()
trades = pd.read_json(sys.argv[1], lines=True, convert_dates=False)
sentiment = pd.read_json(sys.argv[2], lines=True, convert_dates=False)
trades["ts"] = pd.to_datetime(trades["timestamp"], utc=True)
trades["coin"] = trades["symbol_id"].str.split("_").str[-2]
sentiment["ts"] = pd.to_datetime(sentiment["timestamp"], utc=True)
sentiment = sentiment.explode("coins").rename(columns={"coins": "coin"})
trades = trades.sort_values("ts", kind="mergesort")
sentiment = sentiment.sort_values("ts", kind="mergesort")
merged = pd.merge_asof(trades[["ts", "coin", "symbol_id", "price"]],
                       sentiment[["ts", "coin", "sentiment_polarity"]],
                       on="ts", by="coin", direction="backward").dropna()
for symbol, group in merged.groupby("symbol_id"):
    print(symbol, len(group), group["price"].corr(group["sentiment_polarity"]))
print(f"pandas seconds: {time.perf_counter() - start:.2f}", file=sys.stderr)
