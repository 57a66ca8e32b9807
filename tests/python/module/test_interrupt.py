"""Ctrl-C interrupts a long engine call: KeyboardInterrupt soon after the signal, and the
module keeps working afterwards. Each case runs in a child interpreter that signals itself, so
pytest's own handling of Ctrl-C stays out of it."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

# The issue asks for KeyboardInterrupt within a second of Ctrl-C; the bound here is twice that,
# so a loaded CI machine does not fail the test while a call that ignores the signal (running
# for tens of seconds) still does.
LATENCY_BOUND_SECONDS = 2.0

CHILD = textwrap.dedent("""
    import json, os, signal, sys, threading, time
    import cryptomood
    setup = {setup!r}
    call = {call!r}
    scope = {{"cryptomood": cryptomood, "paths": {paths!r}}}
    # Code objects, not strings: exec of a string marks an escaping KeyboardInterrupt as
    # unhandled, and the interpreter would then end itself with SIGINT even though it is caught.
    exec(compile(setup, "<setup>", "exec"), scope)
    sent = []
    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)
    threading.Timer(0.5, interrupt).start()
    started = time.monotonic()
    try:
        exec(compile(call, "<call>", "exec"), scope)
        outcome = "finished"
    except KeyboardInterrupt:
        outcome = "interrupted"
    ended = time.monotonic()
    after = cryptomood.analyze(*scope["paths"]).shape[0]
    print(json.dumps({{"outcome": outcome, "latency": ended - sent[0] if sent else None,
                       "elapsed": ended - started, "rows_after": after}}))
""")

CASES = {
    "analyze": ("data = cryptomood.load(*paths)",
                "data.analyze(mode='bars', interval='1s', lags=(-2000, 2000), "
                "max_bars=10**9, max_pairs=10**13, max_rows=10**7)"),
    "load": ("", "cryptomood.load([paths[0]] * 400, paths[1])"),
    "simulate": ("", "cryptomood.simulate(trades=10**9, tweets=10**8, days=30)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_ctrl_c_interrupts(case, simulated_files):
    setup, call = CASES[case]
    script = CHILD.format(setup=setup, call=call, paths=list(simulated_files))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=os.environ)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["outcome"] == "interrupted", report
    assert report["latency"] < LATENCY_BOUND_SECONDS, report
    assert report["rows_after"] > 0
