#!/usr/bin/env bash
# End-to-end stream benchmark through the Kafka sandbox (librdkafka's mock cluster over TCP):
# 50 coins, bars mode, 1m bars, lags -3:3, 1h windows. A `cryptomood stream` member joins
# first; `cryptomood produce` then publishes one simulated day at RATE messages/s while the
# member consumes (the mock keeps only about 5 MB per partition, so a consumer that falls
# further behind loses messages: the report shows produced and consumed counts). Reports:
#   - consumed events/s: input messages / (time of the member's last message - produce start)
#   - produce messages/s (acknowledged)
#   - publish latency, median and p99: a window's end passing the watermark to its rows being
#     acknowledged on cryptomood.correlation.1h (the member's own measurement)
#   - the member's peak RSS (VmHWM)
# The member stores into a throw-away SQLite file. It runs with fetch.wait.max.ms=10: the mock
# answers a fetch only when that wait ends, even when data arrives sooner (a real broker answers
# as soon as data is there), so librdkafka's 500 ms default would measure the mock's wait.
#
#   bash bench/stream_bench.sh [BINARY] [TRADES] [TWEETS] [RATE]
#   (defaults build/cryptomood 1000000 250000 60000)
set -euo pipefail

readonly BINARY="$(realpath "${1:-build/cryptomood}")"
readonly TRADES="${2:-1000000}"
readonly TWEETS="${3:-250000}"
readonly RATE="${4:-60000}"
readonly IDLE_SECONDS=3
readonly COINS="BTC,ETH,XRP,BNB,SOL,ADA,DOGE,TRX,AVAX,DOT,LINK,MATIC,TON,SHIB,LTC,BCH,UNI,ATOM,\
XLM,ETC,XMR,OKB,FIL,HBAR,APT,ARB,VET,NEAR,OP,MKR,QNT,AAVE,GRT,ALGO,STX,EGLD,SAND,EOS,THETA,\
XTZ,IMX,AXS,MANA,FTM,NEO,KAVA,FLOW,CHZ,ZEC,DASH"

work="$(mktemp -d /tmp/cryptomood-stream-bench.XXXXXX)"
children=()
cleanup() {
  for pid in "${children[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "${CRYPTOMOOD_BENCH_KEEP:-}" ]] || rm -rf "${work}"
}
trap cleanup EXIT

now() { date +%s.%N; }

"${BINARY}" simulate --out "${work}/sim" --trades "${TRADES}" --tweets "${TWEETS}" --days 1 \
  --coins "${COINS}" >/dev/null
"${BINARY}" sandbox --partitions 16 >"${work}/sandbox.out" 2>"${work}/sandbox.log" &
children+=($!)
brokers=""
for _ in $(seq 100); do
  brokers="$(sed -n 's/^cryptomood: sandbox brokers at //p' "${work}/sandbox.out")"
  [[ -n "${brokers}" ]] && break
  sleep 0.1
done
[[ -n "${brokers}" ]] || { echo "the sandbox did not start" >&2; exit 1; }

"${BINARY}" stream --brokers "${brokers}" --group bench --db "sqlite:${work}/stream.db" \
  --mode bars --interval 1m --lags=-3:3 --window 1h --stop-when-idle "${IDLE_SECONDS}s" \
  -X session.timeout.ms=6000 -X heartbeat.interval.ms=200 -X fetch.wait.max.ms=10 \
  >"${work}/stream.out" 2>"${work}/stream.log" &
member=$!
children+=("${member}")
for _ in $(seq 300); do
  grep -q "assigned partition" "${work}/stream.log" && break
  sleep 0.1
done

peak_rss_kb=0
sample_rss() {
  local hwm
  hwm="$(awk '/^VmHWM:/ {print $2}' "/proc/${member}/status" 2>/dev/null || true)"
  [[ -n "${hwm}" && "${hwm}" -gt "${peak_rss_kb}" ]] && peak_rss_kb="${hwm}"
  return 0
}

produce_start="$(now)"
"${BINARY}" produce --brokers "${brokers}" --trades "${work}/sim/historical_coin_data.txt" \
  --sentiment "${work}/sim/historical_sentiment_data.txt" --rate "${RATE}" ${PRODUCE_OPTIONS:-} \
  >"${work}/produce.out" 2>&1 &
producer=$!
children+=("${producer}")
produce_end=""
while kill -0 "${member}" 2>/dev/null; do
  sample_rss
  if [[ -z "${produce_end}" ]] && ! kill -0 "${producer}" 2>/dev/null; then produce_end="$(now)"; fi
  sleep 0.2
done
member_end="$(now)"
wait "${member}"
wait "${producer}"
[[ -n "${produce_end}" ]] || produce_end="${member_end}"

messages="$(sed -n 's/^cryptomood stream: \([0-9]*\) messages.*/\1/p' "${work}/stream.out")"
produced="$(sed -n 's/^cryptomood: \([0-9]*\) messages acknowledged.*/\1/p' "${work}/produce.out")"
latency="$(sed -n 's/^cryptomood stream: rows published \(.*\) after.*/\1/p' "${work}/stream.out")"
awk -v m="${messages}" -v produced="${produced}" -v ps="${produce_start}" -v pe="${produce_end}" -v me="${member_end}" \
  -v idle="${IDLE_SECONDS}" -v rss="${peak_rss_kb}" -v lat="${latency}" 'BEGIN {
  consumed = me - idle - ps
  printf "events consumed:   %d in %.2f s: %.0f events/s\n", m, consumed, m / consumed
  printf "produce:           %d messages, %.0f/s acknowledged (%d not consumed)\n", produced, produced / (pe - ps), produced - m
  printf "publish latency:   %s\n", lat
  printf "member peak RSS:   %.1f MB\n", rss / 1024
}'
