#!/usr/bin/env bash
# The package test: builds the .deb from the release build (cpack, no compiling), unpacks it
# into a temporary root (dpkg-deb -x, what `apt install` would put under /), checks its
# metadata and that `man cryptomood-analyze` renders, then runs the unpacked binary from an
# unrelated directory with the source and build trees hidden (tmpfs mounted over both in a
# private mount namespace: root reads through chmod) and loads its dashboard in headless
# Chromium (installed_dashboard.mjs).
#
# Usage: package_test.sh BUILD_DIR SOURCE_DIR   (needs root for unshare/mount, like CI)
set -euo pipefail

readonly BUILD_DIR="$(realpath "$1")"
readonly SOURCE_DIR="$(realpath "$2")"
fail() {
  echo "package_test: $*" >&2
  exit 1
}

scratch="$(mktemp -d /tmp/cryptomood-package.XXXXXX)"
trap 'rm -rf "${scratch}"' EXIT

cpack --config "${BUILD_DIR}/CPackConfig.cmake" -G DEB -B "${scratch}/out" >"${scratch}/cpack.log" 2>&1 ||
  fail "cpack failed: $(cat "${scratch}/cpack.log")"
debs=("${scratch}"/out/cryptomood_*_amd64.deb)
[[ -f "${debs[0]}" ]] || fail "no cryptomood_*_amd64.deb in ${scratch}/out"
deb="${debs[0]}"

# The dependencies are Debian's runtime packages of what the binary links (dpkg-shlibdeps).
depends="$(dpkg-deb -f "${deb}" Depends)"
for library in libsqlite3-0 libpq5 libsimdjson librdkafka1 libzstd1 zlib1g libstdc++6; do
  [[ "${depends}" == *"${library}"* ]] || fail "Depends lacks ${library}: ${depends}"
done

root="${scratch}/root"
dpkg-deb -x "${deb}" "${root}"
prefix="${root}/usr"
for file in bin/cryptomood share/cryptomood/web/index.html \
  share/cryptomood/web/vendor/uplot/uPlot.iife.min.js share/doc/cryptomood/README.md \
  lib/systemd/system/cryptomood-serve.service lib/systemd/system/cryptomood-stream.service; do
  [[ -f "${prefix}/${file}" ]] || fail "the package lacks ${file}"
done

manual="$(MANWIDTH=100 man -l "${prefix}/share/man/man1/cryptomood-analyze.1" 2>&1)" ||
  fail "man cryptomood-analyze does not render: ${manual}"
for expected in NAME SYNOPSIS cryptomood-analyze --trades --sentiment --mode --lags; do
  grep -qF -- "${expected}" <<<"${manual}" || fail "man cryptomood-analyze lacks ${expected}"
done

# The browser check runs from copies: the scripts' own folders are hidden with the trees.
# playwright-core (a test tool, not part of the package) is bind-mounted into the copy's
# node_modules before the source tree disappears.
driver="${scratch}/driver"
mkdir -p "${driver}/package" "${driver}/web" "${driver}/node_modules/playwright-core" "${scratch}/elsewhere"
cp "${SOURCE_DIR}/tests/package/installed_dashboard.mjs" "${driver}/package/"
cp "${SOURCE_DIR}/tests/web/serve_harness.mjs" "${driver}/web/"
playwright="${SOURCE_DIR}/web/node_modules/playwright-core"
[[ -d "${playwright}" ]] || fail "playwright-core is not installed: run \`npm ci\` in web/"

export BUILD_DIR SOURCE_DIR scratch driver playwright prefix
unshare --mount --propagation private bash -euo pipefail -c '
  mount --bind "${playwright}" "${driver}/node_modules/playwright-core"
  mount -t tmpfs -o ro tmpfs "${BUILD_DIR}"
  mount -t tmpfs -o ro tmpfs "${SOURCE_DIR}"
  [[ ! -e "${SOURCE_DIR}/web/static/index.html" ]] || { echo "source tree still visible" >&2; exit 1; }
  cd "${scratch}/elsewhere"
  node "${driver}/package/installed_dashboard.mjs" --binary "${prefix}/bin/cryptomood"
'
