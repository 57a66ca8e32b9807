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
