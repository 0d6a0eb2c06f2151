#!/usr/bin/env bash
# A throwaway PostgreSQL for the SQL storage tests: installs Debian's postgresql when no server binaries are found
# (apt-get, so root), starts a private cluster on a free 127.0.0.1 port as the non-root `postgres` user, trust
# authentication, no fsync, and prints its connection string (usable by helm's lib/pq and node's pg) on stdout.
# Idempotent: a cluster already running in the data directory is reused and its string printed again.
#
#   scripts/postgres.sh            start (or reuse) and print the connection string
#   scripts/postgres.sh stop       stop the cluster
#
# BOSUN_PG_DIR overrides the data directory (default /tmp/bosun-postgres). Exit status 2: it cannot run here
# (not root and no server installed), with the reason on stderr.
set -euo pipefail

DATA="${BOSUN_PG_DIR:-/tmp/bosun-postgres}"
log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  return 1
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then log "PostgreSQL is not installed and installing it needs root"; exit 2; fi
  log "installing postgresql from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin || true)"
  if [ -z "$BIN" ]; then log "postgresql installed but initdb/pg_ctl not found"; exit 2; fi
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/PG_VERSION" ]; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true; fi
  exit 0
fi

conn() { echo "postgresql://postgres@127.0.0.1:$1/postgres?sslmode=disable"; }

if [ -f "$DATA/PG_VERSION" ] && [ -f "$DATA/bosun-port" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  conn "$(cat "$DATA/bosun-port")"
  exit 0
fi

free_port() {
  local p
  for p in $(seq 54329 54429); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

mkdir -p "$DATA"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DATA"; fi
chmod 700 "$DATA"
if [ ! -f "$DATA/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-sync >&2
fi
PORT="$(free_port)"
as_pg sh -c "echo $PORT > '$DATA/bosun-port'"
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
conn "$PORT"
