#!/usr/bin/env bash
# End-to-end analyze throughput (issue 2's benchmark): simulates the 2M-trade data set once,
# then times `analyze` in tick mode RUNS times (median reported) with peak RSS, and the same
# job in pandas once. Usage: bench/analyze_throughput.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${1:-build}"
runs="${2:-5}"
data="${CRYPTOMOOD_BENCH_DATA:-/tmp/cryptomood-bench}"
if [[ ! -f "${data}/historical_coin_data.txt" ]]; then
  "${build}/cryptomood" simulate --trades 2000000 --tweets 500000 --seed 1 --out "${data}"
fi
bytes=$(cat "${data}"/historical_coin_data.txt "${data}"/historical_sentiment_data.txt | wc -c)
times=()
for _ in $(seq "${runs}"); do
  line=$( { /usr/bin/time -f "%e %M" "${build}/cryptomood" analyze --format json \
      --trades "${data}/historical_coin_data.txt" \
      --sentiment "${data}/historical_sentiment_data.txt" >/dev/null; } 2>&1 | tail -n 1)
  times+=("${line}")
  echo "run: ${line% *} s, peak RSS ${line#* } KB"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk -v n="${runs}" 'NR == int((n + 1) / 2) {print $1}')
awk -v b="${bytes}" -v s="${median}" 'BEGIN {printf "median %.2f s, %.0f MB/s\n", s, b / s / 1e6}'
if [[ "${SKIP_PANDAS:-0}" != 1 ]]; then
  /usr/bin/time -f "pandas: %e s, peak RSS %M KB" /usr/bin/python3 bench/pandas_tick.py \
    "${data}/historical_coin_data.txt" "${data}/historical_sentiment_data.txt" >/dev/null
fi
