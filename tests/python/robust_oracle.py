"""The row statistics against independent computations: statsmodels' acf and its OLS with HAC
covariance, scipy's t distribution, rankdata and spearmanr, on seeded series of several shapes
(AR(1) 0.9 pairs, shared-volatility returns, random-walk levels, ties, n from 10 to 10^5), with
the pairs stored price first (tick mode) and sentiment first (bars mode).
Tolerances: statistics 1e-9 relative, p-values 1e-8 relative; exact lag counts."""
import math
import sys

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.tsa.stattools import acf

from oracle_support import close, run_case

Z975 = 1.959963984540054


def ar1(rng, n, phi):
    out = np.empty(n)
    out[0] = rng.normal()
    for t in range(1, n):
        out[t] = phi * out[t - 1] + math.sqrt(1 - phi * phi) * rng.normal()
    return out


def shapes(rng, n):
    yield "ar09_pair", ar1(rng, n, 0.9), ar1(rng, n, 0.9)
    volatility = np.exp(ar1(rng, n, 0.95))
    yield "shared_volatility", volatility * rng.normal(size=n), volatility * rng.normal(size=n)
    yield "random_walk_levels", ar1(rng, n, 0.99), 6000 + np.cumsum(rng.normal(size=n))
    sentiment = rng.normal(size=n)
    yield "planted", sentiment, 0.3 * sentiment + rng.normal(size=n)
    yield "ties", np.round(rng.normal(size=n), 1), np.round(rng.normal(size=n) * 3)


def expected_for(x, y, r):
    """x sentiment side, y price side, r their correlation: the robust fields."""
    n = len(x)
    # The direct sum is O(n^2) in statsmodels; its FFT form agrees to ~1e-13 and is used for long
    # series.
    fft = n > 20000
    r1x = acf(x, nlags=1, fft=fft)[1]
    r1y = acf(y, nlags=1, fft=fft)[1]
    n_eff = min(max(n * (1 - r1x * r1y) / (1 + r1x * r1y), 3.0), float(n))
    t = r * math.sqrt((n_eff - 2) / (1 - r * r))
    p_neff = 2 * stats.t.sf(abs(t), n_eff - 2)
    half = Z975 / math.sqrt(n_eff - 3) if n_eff > 3 else math.inf
    lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    zx = (x - x.mean()) / x.std()
    zy = (y - y.mean()) / y.std()
    fit = sm.OLS(zy, sm.add_constant(zx)).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    return {
        "r1_x": r1x, "r1_y": r1y, "n_eff": n_eff, "p_value_neff": p_neff,
        "ci_low_neff": math.tanh(math.atanh(r) - half),
        "ci_high_neff": math.tanh(math.atanh(r) + half),
        "hac_lags": lags, "se_hac": fit.bse[1], "p_value_hac": fit.pvalues[1],
        "slope": fit.params[1],
        "p_value_robust": max(fit.pvalues[1], p_neff),
    }


def compare(label, got, want, failures):
    for name, value in want.items():
        if name == "slope":
            continue
        actual = got.get(name)
        if name == "hac_lags":
            ok = actual == value
        elif name.startswith("p_value") or name.endswith("p_value_neff") or name.endswith("_hac"):
            ok = close(actual, value, 1e-8, 1e-15)
        else:
            ok = close(actual, value, 1e-9, 1e-12)
        if not ok:
            failures.append(f"{label} {name}: got {actual}, expected {value}")


def check(driver, label, x, y, failures):
    for order in ("price_first", "sentiment_first"):
        got = run_case(driver, "robust_correlation", {"sentiment": x, "price": y}, order=order)
        r, p = stats.pearsonr(x, y)
        want = expected_for(x, y, r)
        if not close(want["slope"], r, 1e-9, 1e-12):
            failures.append(f"{label}: the HAC slope {want['slope']} is not r {r}")
        compare(f"{label} {order} pearson", got, want, failures)
        rank_x, rank_y = stats.rankdata(x), stats.rankdata(y)
        rho = stats.spearmanr(x, y).correlation
        if not close(got["spearman"], rho, 1e-9, 1e-12):
            failures.append(f"{label} spearman: got {got['spearman']}, expected {rho}")
        ranked = expected_for(rank_x, rank_y, rho)
        spearman_got = {name: got.get("spearman_" + name) for name in
                        ("r1_x", "r1_y", "n_eff", "p_value_neff", "p_value_hac", "p_value_robust")}
        spearman_want = {name: ranked[name] for name in spearman_got}
        compare(f"{label} {order} spearman", spearman_got, spearman_want, failures)


def main():
    driver = sys.argv[1]
    rng = np.random.default_rng(20261203)
    failures = []
    checked = 0
    for n in (10, 37, 100, 1000, 10000, 100000):
        for name, x, y in shapes(rng, n):
            check(driver, f"n={n} {name}", x, y, failures)
            checked += 1
    # Undefined stays null: a constant side, and too few pairs.
    constant = run_case(driver, "robust_correlation", {"sentiment": [0.5] * 20,
                                                       "price": list(range(20))})
    if constant["p_value_robust"] is not None or constant["n_eff"] is not None:
        failures.append(f"constant sentiment: robust fields not null: {constant}")
    two = run_case(driver, "robust_correlation", {"sentiment": [0.1, 0.2], "price": [1.0, 2.0]})
    if any(two[name] is not None for name in ("r1_x", "n_eff", "p_value_hac", "p_value_robust")):
        failures.append(f"two pairs: robust fields not null: {two}")
    for failure in failures[:40]:
        print(failure)
    print(f"{checked} series, {len(failures)} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
