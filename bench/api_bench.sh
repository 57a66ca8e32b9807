#!/usr/bin/env bash
# HTTP API throughput of `cryptomood serve`: requests/s and p99 latency under wrk for the hot
# endpoints (/correlation, answered from the cache once warm, a /merged page, and /healthz),
# per store backend, plus the server's peak RSS. With --slow-sockets N every endpoint is
# measured again while N slow connections (bench/slow_sockets.py: half trickle their headers
# a byte a second, half send nothing) are held open. Data: simulated 2M trades + 500k tweets (seed 1),
# kept in a cache folder between runs; each backend gets a fresh store.
#
#   bash bench/api_bench.sh [--backend sqlite|postgresql|both] [--trades N]
#                           [--binary PATH] [--duration 15s] [--runs 3] [--slow-sockets N]
#
# Builds nothing: --binary defaults to build-release/cryptomood. PostgreSQL runs on a
# throw-away server (scripts/postgres-test-server.sh). wrk is installed with apt if missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

backend=sqlite
trades=2000000
binary=build-release/cryptomood
duration=15s
runs=3
slow_sockets=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend="$2"; shift ;;
    --trades) trades="$2"; shift ;;
    --binary) binary="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --slow-sockets) slow_sockets="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "api_bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "${backend}" in
  sqlite) backends=(sqlite) ;;
  postgresql) backends=(postgresql) ;;
  both) backends=(sqlite postgresql) ;;
  *) echo "api_bench: --backend must be sqlite, postgresql or both" >&2; exit 2 ;;
esac
[[ -x "${binary}" ]] || { echo "api_bench: no executable ${binary} (build it or pass --binary)" >&2; exit 1; }
readonly tweets=$((trades / 4))
readonly endpoints=("/correlation" "/merged?coin=BTC&limit=1000" "/healthz")

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}
if ! command -v wrk >/dev/null 2>&1; then
  echo "api_bench: installing wrk" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2
fi

# Simulated data, reused across runs (same seed, same bytes).
data_dir="${TMPDIR:-/tmp}/cryptomood-api-bench-data-${trades}"
trades_file="${data_dir}/historical_coin_data.txt"
tweets_file="${data_dir}/historical_sentiment_data.txt"
if [[ ! -s "${trades_file}" || ! -s "${tweets_file}" ]]; then
  echo "api_bench: simulating ${trades} trades and ${tweets} tweets into ${data_dir}" >&2
  "${binary}" simulate --out "${data_dir}" --trades "${trades}" --tweets "${tweets}" --seed 1 >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cryptomood-api-bench.XXXXXX")"
pg_dir_file="${work}/pg.dir"
server_pid=""
attack_pid=""
cleanup() {
  if [[ -n "${attack_pid}" ]]; then kill "${attack_pid}" 2>/dev/null || true; fi
  if [[ -n "${server_pid}" ]]; then kill -TERM "${server_pid}" 2>/dev/null || true; wait "${server_pid}" 2>/dev/null || true; fi
  if [[ -f "${pg_dir_file}" ]]; then scripts/postgres-test-server.sh stop --dir-file "${pg_dir_file}" >&2 || true; fi
  rm -rf "${work}"
}
trap cleanup EXIT

# start_server DB_URL: starts serve on a free port; sets server_pid and base_url.
start_server() {
  "${binary}" serve --db "$1" --port 0 >"${work}/serve.out" 2>"${work}/serve.err" &
  server_pid=$!
  for _ in $(seq 1 300); do
    base_url="$(sed -n 's#^cryptomood: serving \(http://.*\)/$#\1#p' "${work}/serve.out")"
    [[ -n "${base_url}" ]] && return 0
    kill -0 "${server_pid}" 2>/dev/null || break
    sleep 0.1
  done
  echo "api_bench: serve did not start:" >&2
  cat "${work}/serve.err" >&2
  exit 1
}

stop_server() {
  kill -TERM "${server_pid}"
  wait "${server_pid}" || echo "api_bench: serve exited with status $?" >&2
  server_pid=""
}

# to_ms VALUE: wrk's latency (850.00us, 12.34ms, 1.20s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /m$/) printf "%.3f", v * 60000; else printf "%.3f", v * 1000 }'
}

median() {
  sort -g | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'
}

# bench_endpoint BACKEND PATH: RUNS wrk runs; prints one result row.
bench_endpoint() {
  local name="$1" path="$2" run output rates=() p99s=()
  for run in $(seq 1 "${runs}"); do
    output="$(wrk -t2 -c64 -d"${duration}" --latency "${base_url}${path}")"
    rates+=("$(awk '/^Requests\/sec:/ { print $2 }' <<<"${output}")")
    p99s+=("$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"${output}")")")
    if grep -q "Non-2xx" <<<"${output}"; then
      echo "api_bench: ${name} ${path}: $(grep 'Non-2xx' <<<"${output}")" >&2
    fi
  done
  printf '%-16s %-30s %12.0f %12.2f\n' "${name}" "${path}" \
    "$(printf '%s\n' "${rates[@]}" | median)" "$(printf '%s\n' "${p99s[@]}" | median)"
}

# run_backend NAME DB_URL: ingest, serve, warm up, measure every endpoint, report peak RSS.
run_backend() {
  local name="$1" db="$2" path
  echo "api_bench: ${name}: ingesting" >&2
  "${binary}" ingest --db "${db}" --trades "${trades_file}" --sentiment "${tweets_file}" >&2
  start_server "${db}"
  for path in "${endpoints[@]}"; do  # fills the correlation cache and the store's page cache
    curl -fsS -o /dev/null "${base_url}${path}"
  done
  for path in "${endpoints[@]}"; do
    bench_endpoint "${name}" "${path}"
  done
  if [[ "${slow_sockets}" -gt 0 ]]; then
    local hostport="${base_url#http://}"
    python3 bench/slow_sockets.py "${hostport%:*}" "${hostport##*:}" "${slow_sockets}" &
    attack_pid=$!
    sleep 3
    for path in "${endpoints[@]}"; do
      bench_endpoint "${name}+${slow_sockets}slow" "${path}"
    done
    kill "${attack_pid}"
    wait "${attack_pid}" 2>/dev/null || true
    attack_pid=""
  fi
  echo "${name} peak RSS: $(awk '/^VmHWM:/ { printf "%.0f MB", $2 / 1024 }' "/proc/${server_pid}/status")"
  stop_server
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); data: ${trades} trades, ${tweets} tweets"
echo "wrk -t2 -c64 -d${duration} --latency, median of ${runs} runs"
printf '%-16s %-30s %12s %12s\n' backend endpoint "requests/s" "p99 ms"
for name in "${backends[@]}"; do
  if [[ "${name}" == sqlite ]]; then
    run_backend sqlite "sqlite:${work}/api.db"
  else
    run_backend postgresql "$(scripts/postgres-test-server.sh start --fast --dir-file "${pg_dir_file}" 2>/dev/null)"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
