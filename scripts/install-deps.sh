#!/usr/bin/env bash
# Installs every Debian 12 package needed to build, test, fuzz and lint cryptomood.
#
# Idempotent: packages already installed are left alone, and the package lists are refreshed
# (`apt-get update`) only when something is actually missing. Works on a bare
# `debootstrap --variant=minbase` system: as root it calls apt-get directly, otherwise via sudo.
#
# To add a dependency, append it to REQUIRED_PACKAGES below; nothing else needs to change.
set -euo pipefail

REQUIRED_PACKAGES=(
  # Toolchain and build system.
  g++
  cmake
  ninja-build
  pkg-config
  git
  ca-certificates
  ccache
  # Libraries the engine links against.
  libsimdjson-dev
  libcli11-dev
  libfmt-dev
  rapidjson-dev
  nlohmann-json3-dev
  libboost-dev
  libboost-math-dev
  libsqlite3-dev
  libpq-dev
  librdkafka-dev
  zlib1g-dev
  libzstd-dev
  libeigen3-dev
  # The Python module (python/cryptomood) and its tests.
  pybind11-dev
  python3-dev
  python3-numpy
  python3-pytest
  # The store's production backend: a real server for the tests (started in a temp dir).
  postgresql
  # The dashboard's browser tests: Debian's Chromium, driven from Node.js (see web/).
  chromium
  # Tests and benchmarks (cpp-httplib: the HTTP client of the C++ server tests).
  libcpp-httplib-dev
  kcat
  python3-jsonschema
  curl
  wrk
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  zstd
  python3
  python3-pandas
  python3-scipy
  python3-statsmodels
  # The example notebooks, executed by the tests with Debian's Jupyter (examples/).
  jupyter-nbconvert
  python3-nbclient
  python3-ipykernel
  python3-matplotlib
  # Packaging: man pages from --help, the .deb (cpack's dpkg-shlibdeps), the package test
  # (man renders the pages; unshare and mount hide the trees).
  help2man
  dpkg-dev
  man-db
  util-linux
  # Fuzzing, sanitizers and linters.
  clang
  libclang-rt-14-dev
  clang-tidy
  clang-format
)

# Node.js and npm build the dashboard (uPlot) and run its browser tests. Debian's nodejs and
# npm are used only when no node/npm is on the machine: a Node.js installed another way (e.g.
# NodeSource, which bundles npm and conflicts with Debian's npm package) is left alone.
node_packages() {
  if ! command -v node >/dev/null 2>&1; then echo nodejs; fi
  if ! command -v npm >/dev/null 2>&1; then echo npm; fi
}

# Prints the packages of REQUIRED_PACKAGES that dpkg does not report as fully installed.
missing_packages() {
  local package status
  for package in "${REQUIRED_PACKAGES[@]}" $(node_packages); do
    status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
    if [[ "${status}" != "installed" ]]; then
      echo "${package}"
    fi
  done
}

# Runs its arguments as root: directly when we are root, otherwise through sudo.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "install-deps: need root or sudo to install: $*" >&2
    exit 1
  fi
}

main() {
  # A here-string, not process substitution: a bare chroot may have no /dev/fd.
  local missing=()
  read -r -a missing <<<"$(missing_packages | tr '\n' ' ')"
  if [[ "${#missing[@]}" -eq 0 ]]; then
    echo "install-deps: all ${#REQUIRED_PACKAGES[@]} packages already installed"
    return 0
  fi
  echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # Recommends are skipped: every package we rely on is listed explicitly above.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
  read -r -a missing <<<"$(missing_packages | tr '\n' ' ')"
  if [[ "${#missing[@]}" -ne 0 ]]; then
    echo "install-deps: still missing after install: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: done"
}

# The dashboard's npm packages (uPlot, playwright-core), exactly as web/package-lock.json
# pins them; reinstalled only when the lock file changed since the last install.
install_web_packages() {
  local web_dir
  web_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
  if cmp -s "${web_dir}/package-lock.json" "${web_dir}/node_modules/.cryptomood-lock" 2>/dev/null; then
    echo "install-deps: web packages already installed"
    return 0
  fi
  echo "install-deps: npm ci in ${web_dir}"
  (cd "${web_dir}" && npm ci --no-audit --no-fund)
  cp "${web_dir}/package-lock.json" "${web_dir}/node_modules/.cryptomood-lock"
}

main "$@"
install_web_packages
