#!/usr/bin/env bash
# Ingest throughput, the README's figures: simulated data (2M trades, 500k tweets, seed 1)
# ingested into a fresh SQLite file and into a fresh PostgreSQL server (Debian's, started
# here with its default durable settings: fsync on), then ingested again (the idempotent
# pass, everything already stored).
#
#   bench/ingest_bench.sh [BUILD_DIR]     default BUILD_DIR: build
#
# Knobs: TRADES (default 2000000), TWEETS (default 500000), KEEP=1 keeps the work directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly BUILD_DIR="${1:-build}"
readonly BINARY="${BUILD_DIR}/cryptomood"
readonly TRADES="${TRADES:-2000000}"
readonly TWEETS="${TWEETS:-500000}"
[[ -x "${BINARY}" ]] || { echo "ingest_bench: build ${BINARY} first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/cryptomood-ingest-bench.XXXXXX")"
pg_dir_file="${work}/pg.dir"
cleanup() {
  [[ -f "${pg_dir_file}" ]] && scripts/postgres-test-server.sh stop --dir-file "${pg_dir_file}" || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "${work}"
}
trap cleanup EXIT

"${BINARY}" simulate --trades "${TRADES}" --tweets "${TWEETS}" --seed 1 --out "${work}/sim" >/dev/null
trades_file="${work}/sim/historical_coin_data.txt"
tweets_file="${work}/sim/historical_sentiment_data.txt"

# measure LABEL DB FILE LINES: one ingest, timed; prints the rate.
measure() {
  local label="$1" db="$2" file="$3" lines="$4" start end
  start="$(date +%s.%N)"
  "${BINARY}" ingest --db "${db}" $([[ "${file}" == "${trades_file}" ]] && echo --trades || echo --sentiment) \
    "${file}" >"${work}/last.out"
  end="$(date +%s.%N)"
  python3 -c "import sys; s = float(sys.argv[2]) - float(sys.argv[1]); \
print(f'{sys.argv[3]:<36} {int(sys.argv[4]):>9} lines {s:7.2f} s {int(sys.argv[4]) / s:>10,.0f} lines/s')" \
    "${start}" "${end}" "${label}" "${lines}"
  sed 's/^/    /' "${work}/last.out"
}

run_backend() {
  local name="$1" db="$2"
  measure "${name}: trades (new)" "${db}" "${trades_file}" "${TRADES}"
  measure "${name}: tweets (new)" "${db}" "${tweets_file}" "${TWEETS}"
  measure "${name}: trades again (all stored)" "${db}" "${trades_file}" "${TRADES}"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_backend sqlite "sqlite:${work}/bench.db"
pg_url="$(scripts/postgres-test-server.sh start --dir-file "${pg_dir_file}" 2>/dev/null)"
run_backend postgresql "${pg_url}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
