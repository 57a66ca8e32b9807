"""The row statistics (tests/oracle robust_correlation) against scipy and statsmodels."""
import sys

import numpy as np
from scipy import stats

from oracle_support import close, run_case


def main():
    driver = sys.argv[1]
    rng = np.random.default_rng(7)
    failures = []
    for n in (10, 100, 1000):
        sentiment = rng.normal(size=n)
        price = 0.3 * sentiment + rng.normal(size=n)
        got = run_case(driver, "robust_correlation", {"sentiment": sentiment, "price": price})
        r, p = stats.pearsonr(sentiment, price)
        for name, actual, expected in (("pearson", got["pearson"], r), ("p_value", got["p_value"], p)):
            if not close(actual, expected, 1e-9):
                failures.append(f"n={n} {name}: {actual} != {expected}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
