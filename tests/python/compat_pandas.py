#!/usr/bin/env python3
"""Seed check: `analyze --mode compat` must give the original notebook's figure.

The notebook pooled every trade of every symbol, joined each to the nearest scored tweet of
any coin with pandas merge_asof, and took the Pearson r of price against polarity. This
script recomputes that with pandas from ../shared/data/seed and compares it with our JSON:
n == 308 and |r_pandas - r_ours| <= 1e-9.

Usage: compat_pandas.py CRYPTOMOOD_BINARY [--seed-dir DIR]
"""

import sys

import pandas_reference as reference  # first: explains a missing pandas clearly
import pandas as pd

EXPECTED_SEED_PAIRS = 308


def main():
    binary, trades_path, sentiment_path = reference.parse_arguments(__doc__)
    trades = reference.load_json_lines(trades_path)[["timestamp", "price"]]
    sentiment = reference.load_json_lines(sentiment_path)[["timestamp", "sentiment_polarity"]]
    pairs = pd.merge_asof(trades, sentiment, on="timestamp", direction="nearest")
    pairs = pairs.dropna(subset=["sentiment_polarity"])
    expected = reference.reference_statistics(pairs)
    print(f"pandas: n={expected['n']} pearson={expected['pearson']!r}")

    output = reference.run_analyze(binary, trades_path, sentiment_path, ["--mode", "compat"])
    comparison = reference.Comparison()
    comparison.expect_equal("pandas n (seed has 308 trades)", EXPECTED_SEED_PAIRS, expected["n"])
    comparison.expect_all_inputs_accepted(output, trades_path, sentiment_path)
    rows = [row for row in output.get("results", []) if row.get("mode") == "compat"]
    comparison.expect_equal("number of compat rows", 1, len(rows))
    if len(rows) == 1:
        row = rows[0]
        print(f"ours:   n={row.get('n')} pearson={row.get('pearson')!r}")
        comparison.expect_equal("symbol_id", "*", row.get("symbol_id"))
        comparison.expect_equal("coin", "*", row.get("coin"))
        comparison.expect_statistics("compat", expected, row)
        comparison.expect_equal("first_timestamp",
                                reference.format_timestamp(pairs["timestamp"].iloc[0]),
                                row.get("first_timestamp"))
        comparison.expect_equal("last_timestamp",
                                reference.format_timestamp(pairs["timestamp"].iloc[-1]),
                                row.get("last_timestamp"))
    return comparison.finish("compat_pandas")


if __name__ == "__main__":
    sys.exit(main())
