"""Runs one case of the statistics oracle driver (tests/oracle) and returns its JSON result.

Series go to the driver as text with 17 significant digits, so the engine sees exactly the
doubles numpy holds.
"""
import json
import subprocess

import numpy as np


def run_case(driver, case, series, **parameters):
    lines = []
    for name, values in series.items():
        text = " ".join(repr(float(v)) for v in np.asarray(values, dtype=float))
        lines.append(f"{name} {text}")
    arguments = [driver, case] + [f"{key}={value}" for key, value in parameters.items()]
    completed = subprocess.run(arguments, input="\n".join(lines) + "\n", capture_output=True,
                               text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{case} failed: {completed.stderr.strip()}")
    return json.loads(completed.stdout)


def close(actual, expected, relative, absolute=0.0):
    """True when both are null/NaN, or |actual - expected| <= max(relative*|expected|, absolute)."""
    if actual is None or expected is None or (isinstance(expected, float) and np.isnan(expected)):
        return (actual is None) == (expected is None or bool(np.isnan(expected)))
    return abs(actual - expected) <= max(relative * abs(expected), absolute)


def ar1(phi, noise):
    """x_t = phi x_(t-1) + noise_t, from x_0 = noise_0."""
    out = np.empty(len(noise))
    out[0] = noise[0]
    for t in range(1, len(noise)):
        out[t] = phi * out[t - 1] + noise[t]
    return out


def garch_returns(rng, n, omega, alpha, beta, variance=1.0):
    """GARCH(1,1) returns: sigma_t^2 = omega + alpha r_(t-1)^2 + beta sigma_(t-1)^2; volatility
    bursts, no autocorrelation in the mean."""
    out = np.empty(n)
    previous = 0.0
    for t in range(n):
        variance = omega + alpha * previous * previous + beta * variance
        previous = np.sqrt(variance) * rng.standard_normal()
        out[t] = previous
    return out
