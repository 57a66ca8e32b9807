#!/usr/bin/env bash
# Proves the README's two commands work on a fresh Debian 12: builds a minimal Debian
# (debootstrap --variant=minbase: no compiler, no git) in a chroot, installs only git by hand,
# clones the repository into it with a copy of shared/ beside the clone, and runs the commands.
#
#   sudo scripts/check-fresh-machine.sh REPO [options]
#     REPO               the repository to clone (its committed HEAD)
#     --worktree         copy REPO's working tree (tracked + untracked, minus ignored) instead
#                        of cloning HEAD: checks uncommitted work
#     --shared DIR       shared/ to copy beside the clone (default: REPO/../shared)
#     --chroot DIR       where the fresh system goes (default: REPO/../chroot); an earlier
#                        chroot made by this script is deleted first
#     --reuse            keep an earlier chroot instead of bootstrapping a new one (not fresh!)
#     --commands LIST    comma-separated, run in order: install (scripts/install-deps.sh),
#                        demo (scripts/demo.sh), test (scripts/test.sh), stream-demo
#                        (scripts/stream-demo.sh: exits non-zero unless stream equals batch);
#                        default demo,test
#
# Needs root (debootstrap, mount, chroot) and the Debian mirror. The chroot is left in place
# for inspection (mounts removed); timings of every stage are printed at the end.
set -euo pipefail

readonly MARKER=".cryptomood-fresh-machine"
readonly SUITE="bookworm"
readonly CHROOT_PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

repo=""
shared=""
chroot_dir=""
use_worktree=0
reuse=0
commands="demo,test"
timings=()

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --worktree) use_worktree=1 ;;
      --reuse) reuse=1 ;;
      --shared) shared="$2"; shift ;;
      --chroot) chroot_dir="$2"; shift ;;
      --commands) commands="$2"; shift ;;
      -h | --help) usage ;;
      -*) echo "unknown option $1" >&2; usage ;;
      *) [[ -z "${repo}" ]] || usage; repo="$1" ;;
    esac
    shift
  done
  [[ -n "${repo}" ]] || usage
  repo="$(cd "${repo}" && pwd)"
  [[ -n "${shared}" ]] || shared="$(dirname "${repo}")/shared"
  [[ -n "${chroot_dir}" ]] || chroot_dir="$(dirname "${repo}")/chroot"
  [[ -d "${shared}" ]] || { echo "no shared/ at ${shared}" >&2; exit 2; }
}

# timed LABEL COMMAND...: runs the command in a subshell that stops at the first error (a
# function called as `f || x` would ignore set -e) and records how long it took.
timed() {
  local label="$1" started=${SECONDS} status=0
  shift
  printf '\n##### %s\n' "${label}"
  set +e
  (
    set -e
    "$@"
  )
  status=$?
  set -e
  timings+=("$(printf '%-40s %6ds  %s' "${label}" $((SECONDS - started)) \
    "$([[ ${status} -eq 0 ]] && echo ok || echo "FAILED (exit ${status})")")")
  return ${status}
}

# The first Debian mirror configured on this machine (one-line or deb822 sources).
host_mirror() {
  local mirror
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -nE 's/^deb +(\[[^]]*\] +)?([^ ]+) +'"${SUITE}"' .*/\2/p' | head -n 1)"
  if [[ -z "${mirror}" ]]; then
    mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk '/^URIs:/ {uri = $2} /^Suites:/ && $0 ~ " '"${SUITE}"'( |$)" {print uri; exit}')"
  fi
  echo "${mirror:-http://deb.debian.org/debian}"
}

# Unmounts everything below the chroot, deepest first (dev/pts before dev).
unmount_all() {
  local mount_point
  for mount_point in $(awk '{print $2}' /proc/mounts | grep "^${chroot_dir}/" | sort -r); do
    umount "${mount_point}" 2>/dev/null || umount -l "${mount_point}" || true
  done
}

# Refuses to delete anything still mounted below the chroot (for example a bind of /dev).
remove_old_chroot() {
  if grep -q " ${chroot_dir}/" /proc/mounts; then
    echo "refusing to delete ${chroot_dir}: something is still mounted below it" >&2
    exit 1
  fi
  if [[ -e "${chroot_dir}" && ! -e "${chroot_dir}/${MARKER}" ]] &&
    [[ -n "$(ls -A "${chroot_dir}")" ]]; then
    echo "refusing to delete ${chroot_dir}: not made by this script (no ${MARKER})" >&2
    exit 1
  fi
  rm -rf --one-file-system "${chroot_dir}"
}

bootstrap() {
  if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; }
  fi
  remove_old_chroot
  debootstrap --variant=minbase "${SUITE}" "${chroot_dir}" "$(host_mirror)"
  touch "${chroot_dir}/${MARKER}"
}

# Gives the chroot the host's name resolution and Debian apt sources (only files whose keyrings
# the fresh system also has, so third-party repositories of the host do not break apt).
configure_chroot() {
  cp -L /etc/resolv.conf "${chroot_dir}/etc/resolv.conf"
  # The network's own trust: a host behind a TLS-inspecting egress proxy keeps its CA in
  # /usr/local/share/ca-certificates, and any machine on that network needs it too (npm
  # would otherwise refuse the registry). ca-certificates picks it up when installed.
  mkdir -p "${chroot_dir}/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "${chroot_dir}/usr/local/share/ca-certificates/" \
    2>/dev/null || true
  if [[ -x "${chroot_dir}/usr/sbin/update-ca-certificates" ]]; then
    chroot "${chroot_dir}" /usr/sbin/update-ca-certificates >/dev/null
  fi
  local source keyring usable copied=0
  for source in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources; do
    [[ -f "${source}" ]] || continue
    grep -qE '^[^#]*(deb |URIs:)' "${source}" || continue
    usable=1
    for keyring in $(grep -oE '(signed-by=|Signed-By: *)[^] ]+' "${source}" |
      sed -E 's/^(signed-by=|Signed-By: *)//'); do
      [[ -f "${chroot_dir}${keyring}" ]] || usable=0
    done
    if [[ ${usable} -eq 1 ]]; then
      cp "${source}" "${chroot_dir}${source}"
      copied=1
    fi
  done
  # The host's sources replace debootstrap's single line; keeping both duplicates entries.
  if [[ ${copied} -eq 1 && ! -f /etc/apt/sources.list ]]; then
    rm -f "${chroot_dir}/etc/apt/sources.list"
  fi
}

mount_into_chroot() {
  mount -t proc proc "${chroot_dir}/proc"
  mount -t sysfs sysfs "${chroot_dir}/sys"
  mount --bind /dev "${chroot_dir}/dev"
  mount --bind /dev/pts "${chroot_dir}/dev/pts"
  # Chromium (the browser tests) needs shared memory; the bind of /dev does not carry it.
  mount -t tmpfs tmpfs "${chroot_dir}/dev/shm"
}

# in_chroot SCRIPT: runs a bash script inside the chroot with a clean environment, as a login
# on a fresh machine would have it.
in_chroot() {
  chroot "${chroot_dir}" /usr/bin/env -i HOME=/root "${CHROOT_PATH_ENV}" LANG=C.UTF-8 \
    TERM=dumb NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt /bin/bash -c "set -euo pipefail; $1"
}

install_git_by_hand() {
  in_chroot 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q;
    apt-get install -y -q --no-install-recommends git'
}

place_repository() {
  local target="${chroot_dir}/root/src"
  mkdir -p "${target}"
  rm -rf "${target}/cryptomood" "${target}/shared"
  cp -a "${shared}" "${target}/shared"
  if [[ ${use_worktree} -eq 1 ]]; then
    mkdir -p "${target}/cryptomood"
    git -C "${repo}" ls-files -z --cached --others --exclude-standard |
      (cd "${repo}" && xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) |
      tar -xf - -C "${target}/cryptomood"
  else
    mkdir -p "${chroot_dir}/mnt/origin"
    mount --bind "${repo}" "${chroot_dir}/mnt/origin"
    mount -o remount,bind,ro "${chroot_dir}/mnt/origin"
    in_chroot 'git -c safe.directory="*" clone -q /mnt/origin /root/src/cryptomood'
  fi
}

run_readme_command() {
  in_chroot "cd /root/src/cryptomood && bash scripts/$1"
}

# The demo ends by serving until Ctrl-C: run it in the background, wait for the URL line,
# check that the API and the dashboard answer, then stop the server (SIGTERM, exit 0).
run_demo() {
  in_chroot 'cd /root/src/cryptomood
    bash scripts/demo.sh >/tmp/demo.log 2>&1 &
    demo=$!
    trap "kill -TERM \$demo 2>/dev/null || true" EXIT
    while kill -0 "${demo}" 2>/dev/null && ! grep -q "cryptomood: serving" /tmp/demo.log; do
      sleep 2
    done
    cat /tmp/demo.log
    grep -q "cryptomood: serving" /tmp/demo.log
    url="$(sed -n "s/^cryptomood: serving //p" /tmp/demo.log)"
    curl -sf "${url}correlation?mode=bars&lags=-3:3&coin=ETH" -o /tmp/correlation.json
    head -c 600 /tmp/correlation.json; echo
    curl -sf "${url}" -o /tmp/index.html
    grep -q "<title>cryptomood" /tmp/index.html
    curl -sf "${url}vendor/uplot/uPlot.iife.min.js" >/dev/null
    kill -TERM "${demo}"
    wait "${demo}"
    echo "demo: served ${url}, API and dashboard answered, stopped cleanly"'
}

main() {
  parse_arguments "$@"
  [[ "$(id -u)" -eq 0 ]] || { echo "needs root (debootstrap, mount, chroot)" >&2; exit 1; }
  trap unmount_all EXIT
  local started=${SECONDS} failed=0 command
  if [[ ${reuse} -eq 0 || ! -e "${chroot_dir}/${MARKER}" ]]; then
    timed "debootstrap --variant=minbase ${SUITE}" bootstrap
  fi
  configure_chroot
  mount_into_chroot
  timed "apt-get install git (by hand)" install_git_by_hand
  timed "place repository and shared/" place_repository
  IFS=',' read -r -a command_list <<<"${commands}"
  for command in "${command_list[@]}"; do
    case "${command}" in
      install) timed "scripts/install-deps.sh" run_readme_command install-deps.sh || failed=1 ;;
      demo) timed "scripts/demo.sh (README command 1)" run_demo || failed=1 ;;
      test) timed "scripts/test.sh (README command 2)" run_readme_command test.sh || failed=1 ;;
      stream-demo)
        timed "scripts/stream-demo.sh (real-time demo)" run_readme_command stream-demo.sh ||
          failed=1
        ;;
      *) echo "unknown command ${command}" >&2; failed=1 ;;
    esac
  done
  unmount_all
  printf '\n##### fresh-machine check: %s (total %ds, chroot %s)\n' \
    "$([[ ${failed} -eq 0 ]] && echo PASSED || echo FAILED)" $((SECONDS - started)) "${chroot_dir}"
  printf '%s\n' "${timings[@]}"
  return ${failed}
}

main "$@"
