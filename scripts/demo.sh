#!/usr/bin/env bash
# The README's first command: from a fresh Debian 12 checkout to a served API and dashboard.
# Installs what is missing, builds the Release binary and the Python module into build/,
# simulates a data set into data/sim/ (default sizes, planted effects), analyzes it per symbol
# (tick mode) and as a bars lag scan, once more from Python (a DataFrame), ingests it into the embedded store (sqlite:data/cryptomood.db; idempotent, so a
# rerun adds nothing) and serves the API and the dashboard on http://127.0.0.1:5002/ until
# Ctrl-C. Each stage is one function below.
# Knobs: CRYPTOMOOD_BUILD_DIR (default build), CRYPTOMOOD_PORT (default 5002).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly BUILD_DIR="${CRYPTOMOOD_BUILD_DIR:-build}"
readonly DATA_DIR="data/sim"
readonly BINARY="${BUILD_DIR}/cryptomood"
readonly TRADES="${DATA_DIR}/historical_coin_data.txt"
readonly SENTIMENT="${DATA_DIR}/historical_sentiment_data.txt"
readonly STORE_URL="sqlite:data/cryptomood.db"
readonly PORT="${CRYPTOMOOD_PORT:-5002}"
readonly STAGES=(install build simulate analyze_ticks analyze_bars python ingest serve)

# shellcheck source=scripts/build-binary.sh
source scripts/build-binary.sh

banner() { printf '\n== %s\n' "$*"; }

stage_install() { install_missing_packages; }
stage_build() { build_release_binary; }

stage_simulate() {
  banner "simulating trades and scored tweets into ${DATA_DIR}/"
  "${BINARY}" simulate --out "${DATA_DIR}"
  ls -l "${TRADES}" "${SENTIMENT}"
}

stage_analyze_ticks() {
  banner "per-symbol correlation of price and sentiment (tick mode, as-of backward join)"
  "${BINARY}" analyze --trades "${TRADES}" --sentiment "${SENTIMENT}" --format table
}

stage_analyze_bars() {
  banner "does sentiment lead returns? 1-minute bars, lags -3..3 (k > 0: sentiment leads)"
  "${BINARY}" analyze --trades "${TRADES}" --sentiment "${SENTIMENT}" --mode bars \
    --interval 1m --lags=-3:3 --format table
}

stage_python() {
  banner "the same from Python: cryptomood.analyze returns a pandas DataFrame"
  PYTHONPATH="${BUILD_DIR}/python" /usr/bin/python3 - "${TRADES}" "${SENTIMENT}" <<'PYTHON'
import sys

import cryptomood

rows = cryptomood.analyze(sys.argv[1], sys.argv[2], mode="bars", interval="1m", lags=(-3, 3))
best = rows[rows.best_lag][["coin", "lag", "pearson", "n_eff", "p_value_robust_adjusted"]]
print(best.to_string(index=False))
PYTHON
}

stage_ingest() {
  banner "ingesting into the embedded store (${STORE_URL})"
  "${BINARY}" ingest --db "${STORE_URL}" --trades "${TRADES}" --sentiment "${SENTIMENT}"
}

stage_serve() {
  banner "serving the API and the dashboard (Ctrl-C stops)"
  echo "try: curl 'http://127.0.0.1:${PORT}/correlation?mode=bars&lags=-3:3&coin=ETH'"
  exec "${BINARY}" serve --db "${STORE_URL}" --port "${PORT}"
}

for stage in "${STAGES[@]}"; do
  "stage_${stage}"
done
