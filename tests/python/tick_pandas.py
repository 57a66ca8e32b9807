#!/usr/bin/env python3
"""Seed check: `analyze --mode tick` (direction backward) per symbol against pandas.

Each symbol's trades are joined to the latest scored tweet at or before them among the tweets
whose coins contain the symbol's base asset: pandas merge_asof with direction='backward', by
coin, on the sentiment table exploded to one row per (tweet, coin). Trades with no earlier
tweet drop out. n, Pearson, Spearman, the Fisher-z interval and the first/last paired trade
timestamps must match our JSON row for that symbol.

Usage: tick_pandas.py CRYPTOMOOD_BINARY [--seed-dir DIR]
"""

import sys

import pandas_reference as reference  # first: explains a missing pandas clearly
import pandas as pd


def reference_pairs(trades_path, sentiment_path):
    trades = reference.load_json_lines(trades_path)[["timestamp", "price", "symbol_id"]]
    trades["coin"] = trades["symbol_id"].map(reference.base_asset)
    sentiment = reference.load_json_lines(sentiment_path)
    sentiment["tweet"] = sentiment.index
    per_coin = sentiment.explode("coins").rename(columns={"coins": "coin"})
    # A tweet naming a coin twice is still one record for that coin.
    per_coin = per_coin.drop_duplicates(subset=["tweet", "coin"])
    per_coin = per_coin[["timestamp", "coin", "sentiment_polarity"]]
    pairs = pd.merge_asof(trades, per_coin, on="timestamp", by="coin", direction="backward")
    return trades, pairs.dropna(subset=["sentiment_polarity"])


def main():
    binary, trades_path, sentiment_path = reference.parse_arguments(__doc__)
    trades, pairs = reference_pairs(trades_path, sentiment_path)
    output = reference.run_analyze(binary, trades_path, sentiment_path,
                                   ["--mode", "tick", "--direction", "backward"])

    comparison = reference.Comparison()
    comparison.expect_all_inputs_accepted(output, trades_path, sentiment_path)
    rows = {}
    for row in output.get("results", []):
        if row.get("mode") != "tick":
            continue
        if row.get("symbol_id") in rows:
            comparison.expect_equal(f"rows for {row.get('symbol_id')}", 1, 2)
        rows[row.get("symbol_id")] = row
    symbols = sorted(trades["symbol_id"].unique())
    comparison.expect_equal("symbols", sorted(symbol for symbol in symbols
                                              if (pairs["symbol_id"] == symbol).any()),
                            sorted(symbol for symbol, row in rows.items() if row.get("n")))
    for symbol in symbols:
        symbol_pairs = pairs[pairs["symbol_id"] == symbol]
        expected = reference.reference_statistics(symbol_pairs)
        row = rows.get(symbol)
        print(f"{symbol}: pandas n={expected['n']} pearson={expected['pearson']!r}; "
              f"ours n={row.get('n') if row else None} "
              f"pearson={row.get('pearson') if row else None!r}")
        if row is None:
            continue  # already reported by the symbol set comparison when pandas paired any
        comparison.expect_equal(f"{symbol} coin", reference.base_asset(symbol), row.get("coin"))
        comparison.expect_equal(f"{symbol} direction", "backward", row.get("direction"))
        comparison.expect_equal(f"{symbol} lag", 0, row.get("lag"))
        comparison.expect_statistics(symbol, expected, row)
        if len(symbol_pairs):
            comparison.expect_equal(
                f"{symbol} first_timestamp",
                reference.format_timestamp(symbol_pairs["timestamp"].iloc[0]),
                row.get("first_timestamp"))
            comparison.expect_equal(
                f"{symbol} last_timestamp",
                reference.format_timestamp(symbol_pairs["timestamp"].iloc[-1]),
                row.get("last_timestamp"))
    return comparison.finish("tick_pandas")


if __name__ == "__main__":
    sys.exit(main())
