#!/usr/bin/env bash
# The real-time demo: the same correlations as batch, computed from Kafka as windows close.
# Installs what is missing, builds the Release binary into build/, simulates two days of trades
# and tweets into data/stream-sim/, starts `cryptomood sandbox` (librdkafka's mock cluster: a
# development aid, never a production broker), starts a `cryptomood stream` member (bars mode,
# 1m bars, lags -3:3, 1h windows) that commits into sqlite:data/stream.db, publishes the data
# with `cryptomood produce`, waits for the member to close every window, then serves the store
# and checks that `/correlation?source=stream` equals `cryptomood analyze --window 1h` on the
# same files. Exit 0 only when they are equal. Everything it started is stopped at the end.
# Knobs: CRYPTOMOOD_BUILD_DIR (default build), CRYPTOMOOD_PORT (default 5003).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly BUILD_DIR="${CRYPTOMOOD_BUILD_DIR:-build}"
readonly BINARY="${BUILD_DIR}/cryptomood"
readonly DATA_DIR="data/stream-sim"
readonly RUN_DIR="data/stream-run"
readonly TRADES="${DATA_DIR}/historical_coin_data.txt"
readonly SENTIMENT="${DATA_DIR}/historical_sentiment_data.txt"
readonly STORE_FILE="data/stream.db"
readonly PORT="${CRYPTOMOOD_PORT:-5003}"
readonly ANALYSIS=(--mode bars --interval 1m --lags=-3:3 --window 1h)
readonly STAGES=(install build simulate sandbox stream produce wait_for_stream serve compare)

# shellcheck source=scripts/build-binary.sh
source scripts/build-binary.sh

banner() { printf '\n== %s\n' "$*"; }

children=()
cleanup() {
  for pid in "${children[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

stage_install() { install_missing_packages; }
stage_build() { build_release_binary; }

stage_simulate() {
  banner "simulating two days of trades and tweets into ${DATA_DIR}/"
  "${BINARY}" simulate --out "${DATA_DIR}" --trades 60000 --tweets 15000 --days 2
  rm -rf "${RUN_DIR}" "${STORE_FILE}" "${STORE_FILE}-wal" "${STORE_FILE}-shm"
  mkdir -p "${RUN_DIR}"
}

stage_sandbox() {
  banner "starting the Kafka sandbox (librdkafka's mock cluster, in memory)"
  "${BINARY}" sandbox >"${RUN_DIR}/sandbox.out" 2>"${RUN_DIR}/sandbox.log" &
  children+=($!)
  for _ in $(seq 100); do
    BROKERS="$(sed -n 's/^cryptomood: sandbox brokers at //p' "${RUN_DIR}/sandbox.out")"
    [[ -n "${BROKERS}" ]] && break
    sleep 0.1
  done
  [[ -n "${BROKERS}" ]] || { echo "the sandbox did not start" >&2; exit 1; }
  echo "brokers: ${BROKERS}"
}

stage_stream() {
  banner "starting a stream member: ${ANALYSIS[*]} -> sqlite:${STORE_FILE}"
  "${BINARY}" stream --brokers "${BROKERS}" --group demo --db "sqlite:${STORE_FILE}" \
    "${ANALYSIS[@]}" --stop-when-idle 5s \
    -X session.timeout.ms=6000 -X heartbeat.interval.ms=200 > >(sed 's/^/  [stream] /') 2>&1 &
  children+=($!)
  STREAM_PID=$!
}

stage_produce() {
  banner "publishing the simulated files to cryptomood.trades and cryptomood.sentiment"
  "${BINARY}" produce --brokers "${BROKERS}" --trades "${TRADES}" --sentiment "${SENTIMENT}" \
    --rate 20000
}

stage_wait_for_stream() {
  banner "waiting for the member to close every window (it stops 5 s after the last message)"
  wait "${STREAM_PID}"
}

stage_serve() {
  banner "serving the store on http://127.0.0.1:${PORT}/"
  "${BINARY}" serve --db "sqlite:${STORE_FILE}" --port "${PORT}" 2>"${RUN_DIR}/serve.log" &
  children+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:${PORT}/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "serve did not start; see ${RUN_DIR}/serve.log" >&2
  exit 1
}

stage_compare() {
  local query="source=stream&mode=bars&interval=1m&lags=-3:3&window=1h"
  banner "GET /correlation?${query} versus cryptomood analyze ${ANALYSIS[*]}"
  curl -sf "http://127.0.0.1:${PORT}/correlation?${query}" >"${RUN_DIR}/stream.json"
  "${BINARY}" analyze --trades "${TRADES}" --sentiment "${SENTIMENT}" "${ANALYSIS[@]}" \
    --format json >"${RUN_DIR}/batch.json"
  python3 - "${RUN_DIR}/stream.json" "${RUN_DIR}/batch.json" <<'PYTHON'
import json, sys
stream = json.load(open(sys.argv[1]))["data"]
batch = json.load(open(sys.argv[2]))["results"]
key = lambda row: (row["symbol_id"], row["window_start"], row["lag"])
streamed = {key(row): row for row in stream}
equal = len(stream) == len(batch) and all(
    streamed.get(key(row), {}).get(field) == value for row in batch for field, value in row.items())
best = [row for row in stream if row["best_lag"] and row["coin"] == "ETH"][-5:]
print("last ETH windows (best lag per window):")
for row in best:
    print(f"  {row['window_start']}  lag {row['lag']:+d}  r = {row['pearson']:+.3f}  "
          f"n = {row['n']}  p = {row['p_value']:.2g}")
print(f"stream rows: {len(stream)}, batch rows: {len(batch)}, equal: {'yes' if equal else 'NO'}")
sys.exit(0 if equal else 1)
PYTHON
}

for stage in "${STAGES[@]}"; do
  "stage_${stage}"
done
