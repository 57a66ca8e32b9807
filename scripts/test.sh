#!/usr/bin/env bash
# The README's second command: installs what is missing, then runs every check CI runs.
#
#   scripts/test.sh            all steps
#   scripts/test.sh STEP...    only those steps: format release asan tsan fuzz tidy
#
# Steps (each in its own build directory, so they never disturb each other or build/):
#   format   clang-format --dry-run --Werror over src tests bench fuzz
#   release  g++ Release build with -DCRYPTOMOOD_WERROR=ON (benchmarks compile too), ctest
#            (with the package test: the .deb made by cpack from this build, run from elsewhere)
#   asan     g++ build (-O1 -g1) with AddressSanitizer + UBSan, ctest (the Python module's
#            tests run python3 with the sanitizer runtimes preloaded)
#   tsan     clang build (-O1 -g1) with ThreadSanitizer and -Wthread-safety -Werror of only the
#            unit test binaries of core io store http stream and the cryptomood binary; ctest
#            runs those unit tests and the HTTP API tests (http.api_sqlite, http.api_postgresql)
#   fuzz     clang build with -DCRYPTOMOOD_FUZZ=ON (fuzz/ adds ASan/UBSan); each *_fuzz target
#            runs a bounded number of inputs
#   tidy     clang-tidy over src/ (.clang-tidy: warnings are errors); a file whose exact input
#            (preprocessed text, flags, .clang-tidy, version) was found clean before is skipped
#            (scripts/tidy-cached.py; CRYPTOMOOD_TIDY_CACHE=off checks every file)
# Every step runs even when an earlier one failed, so one run reports everything.
#
# The last line is `tests: N passed, M failed`: N and M add up the ctest tests of every ctest
# run, one test per fuzz target, and one each for the format and tidy checks; a step that
# cannot even build counts as one failure. Exit status is non-zero when M is.
#
# Knobs (environment): CRYPTOMOOD_JOBS (default: nproc), CRYPTOMOOD_FUZZ_RUNS (inputs per
# target, default 1000000), CRYPTOMOOD_FUZZ_SECONDS (cap per target, default 120),
# CRYPTOMOOD_TIDY=all|changed|off (default all; changed = files differing from HEAD~1 and
# uncommitted ones), CRYPTOMOOD_CCACHE=off (compile without ccache even when installed).
# The tests read ../shared/data/seed beside the repository.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly REPO_ROOT="${PWD}"
readonly JOBS="${CRYPTOMOOD_JOBS:-$(nproc)}"
readonly FUZZ_RUNS="${CRYPTOMOOD_FUZZ_RUNS:-1000000}"
readonly FUZZ_SECONDS="${CRYPTOMOOD_FUZZ_SECONDS:-120}"
readonly TIDY_SCOPE="${CRYPTOMOOD_TIDY:-all}"
readonly LOG_DIR="${REPO_ROOT}/build-logs"
readonly ALL_STEPS=(format release asan tsan fuzz tidy)
# The sanitizer builds: -O1 keeps them fast to compile and run, -g1 (line tables only) keeps
# file:line in the sanitizers' stack traces.
readonly SANITIZER_BUILD_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DCRYPTOMOOD_BENCH=OFF)

# ccache, when installed (install-deps installs it), lets a run reuse the objects of earlier
# runs, whatever folder the clone is in: paths under the clone are hashed relative to it
# (CCACHE_BASEDIR) and the build folder's own path is not hashed (CCACHE_NOHASHDIR), so only
# files whose preprocessed text or flags changed compile again.
COMPILER_LAUNCHER=()
if command -v ccache >/dev/null 2>&1 && [[ "${CRYPTOMOOD_CCACHE:-on}" != off ]]; then
  COMPILER_LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${REPO_ROOT}" CCACHE_NOHASHDIR=1
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
fi

tests_passed=0
tests_failed=0
CTEST_ARGS=()
BUILD_TARGETS=()
step_lines=()

log() { printf '\n=== %s\n' "$*"; }

# Adds a ctest log's counts to the totals. A run with no test at all counts as a failure:
# a green run that tested nothing must not look like success.
count_ctest_results() {
  local log_file="$1" summary total failed
  summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "${log_file}" |
    tail -n 1)"
  if [[ -z "${summary}" ]]; then
    echo "test.sh: no ctest summary in ${log_file} (no tests found?)" >&2
    tests_failed=$((tests_failed + 1))
    return 1
  fi
  failed="$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed.*/\1/' <<<"${summary}")"
  total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"${summary}")"
  tests_passed=$((tests_passed + total - failed))
  tests_failed=$((tests_failed + failed))
  [[ "${failed}" -eq 0 ]]
}

# configure_and_build DIR TARGET... -- CMAKE_ARGS...: an empty target list builds everything.
configure_and_build() {
  local build_dir="$1"
  shift
  local targets=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do
    targets+=("$1")
    shift
  done
  [[ $# -gt 0 ]] && shift
  cmake -S "${REPO_ROOT}" -B "${build_dir}" -G Ninja "${COMPILER_LAUNCHER[@]}" "$@" || return 1
  if [[ ${#targets[@]} -eq 0 ]]; then
    cmake --build "${build_dir}" -j "${JOBS}"
  else
    cmake --build "${build_dir}" -j "${JOBS}" --target "${targets[@]}"
  fi
}

# Builds, then runs ctest in DIR; build failures count as one failed test. CTEST_ARGS and
# BUILD_TARGETS (arrays the caller may set) select tests and the targets to build (all when
# empty).
build_and_ctest() {
  local name="$1" build_dir="$2"
  shift 2
  if ! configure_and_build "${build_dir}" "${BUILD_TARGETS[@]}" -- "$@"; then
    echo "test.sh: ${name} build failed" >&2
    tests_failed=$((tests_failed + 1))
    return 1
  fi
  local log_file="${LOG_DIR}/ctest-${name}.log"
  ctest --test-dir "${build_dir}" --output-on-failure -j "${JOBS}" --timeout 900 \
    "${CTEST_ARGS[@]}" 2>&1 |
    tee "${log_file}"
  count_ctest_results "${log_file}"
}

step_format() {
  local files=()
  mapfile -t files < <(find src tests bench fuzz -type f \
    \( -name '*.h' -o -name '*.cc' -o -name '*.hpp' -o -name '*.cpp' \) 2>/dev/null | sort)
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no C++ files to check"
    return 0
  fi
  echo "checking ${#files[@]} files"
  local log_file="${LOG_DIR}/clang-format.log"
  if clang-format --dry-run --Werror "${files[@]}" >"${log_file}" 2>&1; then
    tests_passed=$((tests_passed + 1))
  else
    # One line per file (with its number of differences) rather than every difference.
    echo "test.sh: formatting differs (details: ${log_file}); fix with clang-format -i FILE:" >&2
    sed -nE 's/^([^:]+):[0-9]+:[0-9]+: error: .*clang-format-violations.*/\1/p' "${log_file}" |
      uniq -c >&2
    tests_failed=$((tests_failed + 1))
    return 1
  fi
}

step_release() {
  build_and_ctest release build-release -DCMAKE_BUILD_TYPE=Release -DCRYPTOMOOD_WERROR=ON
}

# The statistics oracles (label oracle: statsmodels and scipy against the oracle driver) run in
# the release step only: their cost is statsmodels', and the C++ they check runs under the
# sanitizers in the unit tests of the same functions. So does the package test (label
# package): it ships the release binary.
step_asan() {
  local CTEST_ARGS=(-LE 'oracle|package')
  ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    build_and_ctest asan build-asan "${SANITIZER_BUILD_FLAGS[@]}" -DCRYPTOMOOD_SANITIZE=ON
}

# ThreadSanitizer over the unit tests of every threaded layer and the HTTP API tests (the
# server's worker pool, caches and deadline thread under real requests). Left out:
#  - the Python module and its tests: CPython is not built with TSan, and a TSan runtime
#    loaded into an uninstrumented interpreter cannot start (it must be the first DSO).
#  - the Kafka tests (KafkaTest, StreamMemberTest, ProduceSandboxTest, SandboxControlTest,
#    KafkaSandboxFaultTest): the threads of Debian's librdkafka, which is not built with TSan,
#    crash the TSan runtime itself (SEGV inside it, "nested bug") before any test code runs.
#    KafkaProducer's locking is still checked by -Wthread-safety.
#  - http.attack_sqlite: it asserts the server's CPU time and latency bounds, which TSan's
#    5-15x slowdown breaks whatever the code does.
#  - for CI time (each would add its build and a run 5-15x slower than native, and the
#    release and asan steps run them): the CLI tests, the stream end-to-end tests (Kafka
#    sandbox), and the web, oracle and example tests (Python and JavaScript over the binary).
step_tsan() {
  local BUILD_TARGETS=(core_tests io_tests store_tests http_tests stream_tests cryptomood)
  local kafka_tests='(Kafka|StreamMember|ProduceSandbox|SandboxControl|KafkaSandboxFault)Test[.]'
  local CTEST_ARGS=(-L '^(core|io|store|http|stream)$'
    -E "^(http[.]attack_|stream[.]e2e_|${kafka_tests})")
  CC=clang CXX=clang++ \
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    build_and_ctest tsan build-tsan "${SANITIZER_BUILD_FLAGS[@]}" -DCRYPTOMOOD_TSAN=ON \
    -DCRYPTOMOOD_WERROR=ON -DCRYPTOMOOD_PYTHON_MODULE=OFF
}

# Runs one fuzz target over its checked-in corpus (fuzz/corpus/NAME or NAME without _fuzz)
# with its dictionary (fuzz/NAME.dict, else the one shared fuzz/*.dict), writing new inputs to
# a scratch directory; -seed keeps runs reproducible.
run_fuzz_target() {
  local target="$1" name base scratch
  name="$(basename "${target}")"
  base="${name%_fuzz}"
  scratch="$(mktemp -d)"
  local options=() corpora=("${scratch}") dictionaries=()
  [[ -d "fuzz/corpus/${name}" ]] && corpora+=("fuzz/corpus/${name}")
  [[ -d "fuzz/corpus/${base}" ]] && corpora+=("fuzz/corpus/${base}")
  if [[ -f "fuzz/${base}.dict" ]]; then
    options+=("-dict=fuzz/${base}.dict")
  else
    mapfile -t dictionaries < <(find fuzz -maxdepth 1 -name '*.dict')
    [[ ${#dictionaries[@]} -eq 1 ]] && options+=("-dict=${dictionaries[0]}")
  fi
  local log_file="${LOG_DIR}/fuzz-${name}.log" status=0
  "${target}" -runs="${FUZZ_RUNS}" -max_total_time="${FUZZ_SECONDS}" -seed=1 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="${LOG_DIR}/${name}-" \
    "${options[@]}" "${corpora[@]}" >"${log_file}" 2>&1 || status=$?
  rm -rf "${scratch}"
  if [[ ${status} -eq 0 ]]; then
    echo "${name}: ok ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "${log_file}" |
      grep -Eo '[0-9]+$') inputs)"
    tests_passed=$((tests_passed + 1))
  else
    echo "${name}: FAILED (exit ${status}); last lines of ${log_file}:" >&2
    tail -n 40 "${log_file}" >&2
    tests_failed=$((tests_failed + 1))
    return 1
  fi
}

step_fuzz() {
  local build_dir=build-fuzz
  if [[ ! -f fuzz/CMakeLists.txt ]]; then
    echo "no fuzz/CMakeLists.txt yet: no fuzz targets to run"
    return 0
  fi
  if ! CC=clang CXX=clang++ cmake -S "${REPO_ROOT}" -B "${build_dir}" -G Ninja \
    "${COMPILER_LAUNCHER[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRYPTOMOOD_FUZZ=ON \
    -DCRYPTOMOOD_BENCH=OFF -DCRYPTOMOOD_PYTHON_MODULE=OFF; then
    tests_failed=$((tests_failed + 1))
    return 1
  fi
  # Build only the fuzz targets: the rest of the tree is covered by the g++ builds.
  local targets=()
  mapfile -t targets < <(ninja -C "${build_dir}" -t targets all |
    sed -nE 's/^([A-Za-z0-9_]+_fuzz): phony$/\1/p' | sort -u)
  if [[ ${#targets[@]} -eq 0 ]]; then
    echo "no *_fuzz targets defined yet"
    return 0
  fi
  if ! cmake --build "${build_dir}" -j "${JOBS}" --target "${targets[@]}"; then
    tests_failed=$((tests_failed + 1))
    return 1
  fi
  local executables=() status=0 executable
  mapfile -t executables < <(find "${build_dir}" -type f -perm -u+x -name '*_fuzz' | sort)
  for executable in "${executables[@]}"; do
    run_fuzz_target "${executable}" || status=1
  done
  return ${status}
}

# Lists the src/ translation units clang-tidy should check, by TIDY_SCOPE.
tidy_files() {
  local all=()
  mapfile -t all < <(find "${REPO_ROOT}/src" -type f -name '*.cc' | sort)
  if [[ "${TIDY_SCOPE}" != "changed" ]]; then
    printf '%s\n' "${all[@]}"
    return
  fi
  local changed
  changed="$({ git diff --name-only HEAD~1 -- src 2>/dev/null; git diff --name-only HEAD -- src;
    git ls-files --others --exclude-standard -- src; } | sort -u)"
  local file
  for file in "${all[@]}"; do
    # A changed header re-checks every translation unit; tidy checks headers through them.
    if grep -q '\.h$' <<<"${changed}" || grep -qxF "${file#"${REPO_ROOT}"/}" <<<"${changed}"; then
      echo "${file}"
    fi
  done
}

step_tidy() {
  if [[ "${TIDY_SCOPE}" == "off" ]]; then
    echo "skipped (CRYPTOMOOD_TIDY=off)"
    return 0
  fi
  # A configure is enough: clang-tidy needs compile_commands.json, not objects.
  if ! CC=clang CXX=clang++ cmake -S "${REPO_ROOT}" -B build-tidy -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRYPTOMOOD_BENCH=OFF >/dev/null; then
    tests_failed=$((tests_failed + 1))
    return 1
  fi
  local files=()
  mapfile -t files < <(tidy_files)
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no files to check"
    return 0
  fi
  echo "clang-tidy over ${#files[@]} files with ${JOBS} jobs"
  local log_file="${LOG_DIR}/clang-tidy.log" status=0
  # tidy-cached.py skips a file whose exact input an earlier run found clean.
  printf '%s\n' "${files[@]}" |
    xargs -P "${JOBS}" -n 1 "${REPO_ROOT}/scripts/tidy-cached.py" build-tidy \
      >"${log_file}" 2>&1 || status=$?
  # clang-tidy prints "N warnings generated." for every batch of suppressed system-header
  # warnings: noise.
  grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' "${log_file}"
  if [[ ${status} -eq 0 ]]; then
    tests_passed=$((tests_passed + 1))
  else
    echo "test.sh: clang-tidy found problems (full log: ${log_file})" >&2
    tests_failed=$((tests_failed + 1))
    return 1
  fi
}

main() {
  local steps=("$@")
  [[ ${#steps[@]} -eq 0 ]] && steps=("${ALL_STEPS[@]}")
  local step
  for step in "${steps[@]}"; do
    if ! declare -F "step_${step}" >/dev/null; then
      echo "test.sh: unknown step '${step}' (steps: ${ALL_STEPS[*]})" >&2
      exit 2
    fi
  done

  local started=${SECONDS}
  bash scripts/install-deps.sh || exit 1
  mkdir -p "${LOG_DIR}"
  local any_failed=0 step_started outcome
  for step in "${steps[@]}"; do
    log "${step}"
    step_started=${SECONDS}
    outcome=ok
    if ! "step_${step}"; then
      outcome=FAILED
      any_failed=1
    fi
    step_lines+=("$(printf '%-8s %-6s %5ds' "${step}" "${outcome}" $((SECONDS - step_started)))")
  done

  log "summary (total $((SECONDS - started))s)"
  printf '%s\n' "${step_lines[@]}"
  if [[ ${any_failed} -ne 0 && ${tests_failed} -eq 0 ]]; then
    tests_failed=1  # a step failed without failing a counted test: never report all-green
  fi
  echo "tests: ${tests_passed} passed, ${tests_failed} failed"
  [[ ${tests_failed} -eq 0 ]]
}

main "$@"
