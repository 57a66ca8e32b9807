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
  libcpp-httplib-dev
  # Tests and benchmarks.
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  python3
  python3-pandas
  # Fuzzing, sanitizers and linters.
  clang
  libclang-rt-14-dev
  clang-tidy
  clang-format
)

# Prints the packages of REQUIRED_PACKAGES that dpkg does not report as fully installed.
missing_packages() {
  local package status
  for package in "${REQUIRED_PACKAGES[@]}"; do
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

main "$@"
