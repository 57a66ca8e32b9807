#!/usr/bin/env bash
# Shared by the demo scripts (sourced, not run): installs what is missing and builds the
# Release binary. Expects BUILD_DIR to be set by the script that sources it.

install_missing_packages() {
  bash scripts/install-deps.sh
}

build_release_binary() {
  printf '\n== %s\n' "building ${BUILD_DIR}/cryptomood and the Python module (Release)"
  cmake -S . -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "${BUILD_DIR}" --target cryptomood cryptomood_python -j "$(nproc)"
}
