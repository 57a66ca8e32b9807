#!/usr/bin/env bash
# analyze throughput on compressed inputs (issue 14's benchmark): the 2M-trade data set of
# bench/analyze_throughput.sh (simulated once), compressed with gzip -6 and zstd -3, then
# `analyze` in tick mode with THREADS worker threads on the plain, .gz and .zst files, RUNS
# times each, interleaved. Reports the median wall time of each, its speed in MB/s of
# uncompressed text, the ratio to the plain figure, and the compression ratios.
# Usage: bench/compressed_input_throughput.sh [BUILD_DIR] [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${1:-build}"
runs="${2:-5}"
threads="${3:-2}"
data="${CRYPTOMOOD_BENCH_DATA:-/tmp/cryptomood-bench}"
archives="${CRYPTOMOOD_BENCH_ARCHIVES:-${data}/compressed}"
trades=historical_coin_data.txt
tweets=historical_sentiment_data.txt
if [[ ! -f "${data}/${trades}" ]]; then
  "${build}/cryptomood" simulate --trades 2000000 --tweets 500000 --seed 1 --out "${data}"
fi
mkdir -p "${archives}"
for file in "${trades}" "${tweets}"; do
  [[ -f "${archives}/${file}.gz" ]] || gzip -6 -c "${data}/${file}" >"${archives}/${file}.gz"
  [[ -f "${archives}/${file}.zst" ]] || zstd -q -3 -c "${data}/${file}" >"${archives}/${file}.zst"
done
text_bytes=$(cat "${data}/${trades}" "${data}/${tweets}" | wc -c)

# Prints the wall time in seconds of one analyze run on the given files.
time_analyze() {
  { /usr/bin/time -f "%e" "${build}/cryptomood" analyze --format json --threads "${threads}" \
      --trades "$1" --sentiment "$2" >/dev/null; } 2>&1 | tail -n 1
}

declare -A times
for _ in $(seq "${runs}"); do
  times[plain]+="$(time_analyze "${data}/${trades}" "${data}/${tweets}") "
  times[gz]+="$(time_analyze "${archives}/${trades}.gz" "${archives}/${tweets}.gz") "
  times[zst]+="$(time_analyze "${archives}/${trades}.zst" "${archives}/${tweets}.zst") "
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
plain=$(median "${times[plain]}")
echo "text: ${text_bytes} bytes; ${runs} runs each, ${threads} threads"
for kind in plain gz zst; do
  seconds=$(median "${times[${kind}]}")
  stored=${text_bytes}
  if [[ "${kind}" != plain ]]; then
    stored=$(cat "${archives}/${trades}.${kind}" "${archives}/${tweets}.${kind}" | wc -c)
  fi
  awk -v k="${kind}" -v s="${seconds}" -v p="${plain}" -v b="${text_bytes}" -v c="${stored}" \
    -v all="${times[${kind}]}" 'BEGIN {
      printf "%-5s median %.2f s = %.0f MB/s of text, %.2f of plain; stored %.1f MB (ratio %.2f); runs: %s\n",
        k, s, b / s / 1e6, p / s, c / 1e6, b / c, all }'
done
