#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for tests and benchmarks: Debian's
# postgresql package (installed with apt-get if missing), a fresh cluster in a temporary
# directory, listening on 127.0.0.1 at a free port and on a Unix socket in that directory,
# with trust authentication for the user "cryptomood".
#
#   scripts/postgres-test-server.sh start [--fast] [--url-file FILE] [--dir-file FILE]
#       prints the connection URL on stdout, then the stop command on stderr;
#       --fast turns fsync off (for tests: nothing here must survive a power cut);
#       --url-file / --dir-file also write the URL / the server directory to FILE.
#   scripts/postgres-test-server.sh stop DIR | --dir-file FILE
#       stops the server and deletes its directory.
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the "postgres" system
# user (created by the package) and every server command runs as that user.
set -euo pipefail

die() {
  echo "postgres-test-server: $*" >&2
  exit 1
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

# The newest installed server's bin directory, installing the package first if there is none.
server_bin_dir() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "${bin}" || ! -x "${bin}/initdb" ]]; then
    echo "postgres-test-server: installing Debian's postgresql package" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      postgresql >&2 || {
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        postgresql >&2
    }
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
  [[ -n "${bin}" && -x "${bin}/initdb" ]] || die "no PostgreSQL server binaries found"
  echo "${bin}"
}

# Runs a server command as the cluster's owner.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local fast=0 url_file="" dir_file=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --fast) fast=1 ;;
      --url-file) url_file="$2"; shift ;;
      --dir-file) dir_file="$2"; shift ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  local bin dir
  bin="$(server_bin_dir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/cryptomood-pg.XXXXXX")"
  chmod 755 "${dir}"
  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user"
    chown postgres: "${dir}"
  fi
  as_owner "${bin}/initdb" -D "${dir}/data" -U cryptomood --auth=trust -E UTF8 --locale=C \
    --no-sync >"${dir}/initdb.log" 2>&1 || { cat "${dir}/initdb.log" >&2; die "initdb failed"; }

  local options="-c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=200"
  if [[ ${fast} -eq 1 ]]; then
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  local port attempt started=0
  # Another process may take the port between the probe and the start: try a few.
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "${bin}/pg_ctl" -D "${dir}/data" -l "${dir}/server.log" -w -t 60 \
      -o "${options} -p ${port}" start >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [[ ${started} -ne 1 ]]; then
    tail -n 20 "${dir}/server.log" >&2 || true
    die "the server did not start (log: ${dir}/server.log)"
  fi
  echo "${port}" >"${dir}/port"
  local url="postgresql://cryptomood@127.0.0.1:${port}/postgres"
  [[ -n "${url_file}" ]] && echo "${url}" >"${url_file}"
  [[ -n "${dir_file}" ]] && echo "${dir}" >"${dir_file}"
  echo "${url}"
  echo "stop with: $0 stop ${dir}" >&2
}

stop() {
  local dir=""
  if [[ "${1:-}" == "--dir-file" ]]; then
    [[ -f "${2:-}" ]] || die "no directory file ${2:-}"
    dir="$(cat "$2")"
    rm -f "$2"
  else
    dir="${1:-}"
  fi
  [[ -n "${dir}" && -d "${dir}" ]] || die "no server directory ${dir}"
  [[ "$(basename "${dir}")" == cryptomood-pg.* ]] || die "refusing to delete ${dir}"
  local bin
  bin="$(server_bin_dir)"
  if [[ -f "${dir}/data/postmaster.pid" ]]; then
    as_owner "${bin}/pg_ctl" -D "${dir}/data" -m fast -w stop >/dev/null
  fi
  rm -rf "${dir}"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start [--fast] [--url-file FILE] [--dir-file FILE] | stop DIR | stop --dir-file FILE" ;;
esac
