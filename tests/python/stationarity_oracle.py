"""ADF, KPSS and the stationarity verdict (tests/oracle stationarity) against statsmodels'
adfuller(x, regression, autolag='AIC') and kpss(x, regression, nlags='auto')."""
import sys
import warnings

import numpy as np
from statsmodels.tools.sm_exceptions import InterpolationWarning
from statsmodels.tsa.stattools import adfuller, kpss

from oracle_support import ar1, close, garch_returns, run_case

STATISTIC_RELATIVE = 1e-9
P_VALUE_ABSOLUTE = 1e-8
CRITICAL_RELATIVE = 1e-12


def shapes(rng, n):
    yield "ar1_0.9", ar1(0.9, rng.normal(size=n))
    yield "random_walk", np.cumsum(rng.normal(size=n))
    yield "random_walk_drift", 8.0 + np.cumsum(0.01 + 0.02 * rng.normal(size=n))
    yield "garch_returns", garch_returns(rng, n, 1e-6, 0.1, 0.88, variance=1e-4)
    yield "ties", np.round(np.cumsum(rng.normal(size=n)) * 2.0) / 2.0


def expected_adf(x, regression):
    try:
        stat, p, lags, nobs, crit, _ = adfuller(x, regression=regression, autolag="AIC")
    except (ValueError, np.linalg.LinAlgError):
        return None
    return {"statistic": stat, "p_value": p, "lags": lags, "nobs": nobs, "critical_values": crit}


def expected_kpss(x, regression):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InterpolationWarning)
        stat, p, lags, crit = kpss(x, regression, nlags="auto")
    bounded = [w for w in caught if issubclass(w.category, InterpolationWarning)]
    bound = None
    if bounded:
        bound = "lower" if "greater" in str(bounded[0].message) else "upper"
    return {"statistic": stat, "p_value": p, "lags": lags, "critical_values": crit,
            "p_value_bound": bound}


def compare(label, got, expected, failures):
    if expected is None or got is None:
        if (expected is None) != (got is None):
            failures.append(f"{label}: got {got}, expected {expected}")
        return
    checks = [("statistic", STATISTIC_RELATIVE, 0.0), ("p_value", 0.0, P_VALUE_ABSOLUTE)]
    for key, relative, absolute in checks:
        if not close(got[key], expected[key], relative, absolute):
            failures.append(f"{label} {key}: {got[key]!r} != {expected[key]!r}")
    for key in ("lags", "nobs", "p_value_bound"):
        if key in expected and got[key] != expected[key]:
            failures.append(f"{label} {key}: {got[key]!r} != {expected[key]!r}")
    for level, value in expected["critical_values"].items():
        if not close(got["critical_values"][level], value, CRITICAL_RELATIVE):
            failures.append(f"{label} critical {level}: {got['critical_values'][level]!r} "
                            f"!= {value!r}")


def expected_verdict(adf, kpss_result):
    if adf is None or kpss_result is None:
        return "inconclusive"
    adf_rejects = adf["statistic"] < adf["critical_values"]["5%"]
    kpss_rejects = kpss_result["statistic"] > kpss_result["critical_values"]["5%"]
    if adf_rejects and not kpss_rejects:
        return "stationary"
    if kpss_rejects and not adf_rejects:
        return "unit_root"
    return "inconclusive"


def check(driver, label, x, regression, failures):
    got = run_case(driver, "stationarity", {"x": x}, regression=regression)
    adf = expected_adf(x, regression)
    kpss_result = expected_kpss(x, regression)
    compare(f"{label} adf", got["adf"], adf, failures)
    compare(f"{label} kpss", got["kpss"], kpss_result, failures)
    if got["verdict"] != expected_verdict(adf, kpss_result):
        failures.append(f"{label} verdict: {got['verdict']}")
    return got


def check_large(driver, failures):
    """n = 10^5: statsmodels' lag search alone takes over a minute per series, so one ADF (a
    random walk with drift, 'ct'), and KPSS on every shape."""
    rng = np.random.default_rng(1013)
    checked = 0
    for name, x in shapes(rng, 100000):
        got = run_case(driver, "stationarity", {"x": x}, regression="c")
        compare(f"n=100000 {name} c kpss", got["kpss"], expected_kpss(x, "c"), failures)
        if name == "random_walk_drift":
            check(driver, f"n=100000 {name} ct", x, "ct", failures)
        checked += 1
    return checked


def check_sizes(driver, failures):
    rng = np.random.default_rng(13)
    checked = 0
    # 4 and 6 are the shortest series adfuller accepts with 'c' and 'ct'.
    for n in (4, 6, 10, 25, 100, 1000, 10000):
        for name, x in shapes(rng, n):
            for regression in ("c", "ct"):
                check(driver, f"n={n} {name} {regression}", x, regression, failures)
                checked += 1
    # Too short for ADF (statsmodels refuses), a constant series (undefined for both).
    got = run_case(driver, "stationarity", {"x": [1.0, 2.0, 4.0]}, regression="c")
    if got["adf"] is not None or got["verdict"] != "inconclusive":
        failures.append(f"n=3: ADF should be undefined, got {got}")
    got = run_case(driver, "stationarity", {"x": np.full(50, 2.5)}, regression="c")
    if got["adf"] is not None or got["kpss"] is not None:
        failures.append(f"constant: both tests should be undefined, got {got}")
    return checked


def main():
    """Usage: stationarity_oracle.py DRIVER [--large]; --large checks n = 10^5 only."""
    driver = sys.argv[1]
    failures = []
    if sys.argv[2:] == ["--large"]:
        checked = check_large(driver, failures)
    else:
        checked = check_sizes(driver, failures)
    for failure in failures:
        print(failure)
    print(f"{checked} series checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
