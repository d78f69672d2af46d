#!/usr/bin/env bash
# The scale-out test services, on 127.0.0.1 and free ports, in one temporary folder:
#   eval "$(scripts/services.sh start)"   starts a throwaway PostgreSQL 15 cluster (as an unprivileged
#                                          user), the S3 stand-in (npm s3rver) and PostgreSQL with
#                                          pgvector (npm PGlite, tests/pglite), and prints the
#                                          HATBOX_TEST_* variables the tests read;
#   scripts/services.sh stop               stops both by their PIDs and removes the folder;
#   scripts/services.sh pause postgres|s3  stops one of them, keeping its data (an outage, for tests);
#   scripts/services.sh resume postgres|s3 starts it again on the same port and data.
# HATBOX_SERVICES_STATE names the state file, so a test can run a private pair next to the shared one.
# Redis needs nothing here: the Redis tests start their own redis-server per test class.
set -euo pipefail
cd "$(dirname "$0")/.."

state_file="${HATBOX_SERVICES_STATE:-/tmp/hatbox-services.state}"
pg_bin=/usr/lib/postgresql/15/bin

log() { printf '%s\n' "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

install_missing() {
  local missing=()
  [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
  command -v node >/dev/null || missing+=(nodejs npm)
  command -v python3 >/dev/null || missing+=(python3)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${missing[@]}" >&2
  fi
}

# PostgreSQL refuses to run as root, and a test cluster should not have root's powers anyway:
# as root we run it as a user of its own (made once), otherwise as whoever runs the tests.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id hatbox-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin hatbox-pg
    runuser -u hatbox-pg -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  # fsync off: a throwaway cluster, a crash test kills Hatbox nodes, never PostgreSQL.
  as_pg_user "$pg_bin/pg_ctl" -D "$1/pg/data" -l "$1/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$2 -c unix_socket_directories='$1/pg' -c fsync=off -c max_connections=300" \
    start >&2
}

# Sets s3_pid.
start_s3() {
  # --openssl-legacy-provider: s3rver 3.7.1 makes ListObjectsV2 continuation tokens with DES, which
  # OpenSSL 3 leaves out by default, so every truncated listing (more keys than max-keys, 1000 by
  # default: the orphan sweep's) answered 500 InternalError. The request is legitimate S3.
  nohup node --openssl-legacy-provider tests/s3/node_modules/s3rver/bin/s3rver.js -d "$1/s3" -a 127.0.0.1 -p "$2" --silent \
    >>"$1/s3.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && break
    sleep 0.1
  done
}

# Sets pglite_pid; PGlite (PostgreSQL in WASM) takes a while to start: wait_pglite waits for it.
start_pglite() {
  nohup node tests/pglite/server.js "$2" >>"$1/pglite.log" 2>&1 &
  pglite_pid=$!
}

wait_pglite() {
  for _ in $(seq 1 1200); do
    grep -q "pglite with pgvector on" "$1/pglite.log" 2>/dev/null && return 0
    kill -0 "$pglite_pid" 2>/dev/null || break
    sleep 0.1
  done
  log "PGlite did not start:"; cat "$1/pglite.log" >&2; exit 1
}

stop_postgres() {
  if [ -f "$1/pg/data/postmaster.pid" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$1/pg/data" -m fast -w stop >&2 || true
  fi
}

# pause|resume postgres|s3, on the services the state file describes.
toggle() {
  [ -f "$state_file" ] || { log "no services started ($state_file)"; exit 1; }
  # shellcheck disable=SC1090
  . "$state_file"
  case "$1 $2" in
    "pause postgres") stop_postgres "$root" ;;
    "resume postgres") start_postgres "$root" "$pg_port" ;;
    "pause s3")
      kill "$s3_pid" 2>/dev/null || true
      while kill -0 "$s3_pid" 2>/dev/null; do sleep 0.05; done ;;
    "resume s3")
      start_s3 "$root" "$s3_port"
      sed -i "s/^s3_pid=.*/s3_pid=$s3_pid/" "$state_file" ;;
    *) echo "usage: $0 pause|resume postgres|s3" >&2; exit 2 ;;
  esac
}

start() {
  if [ -f "$state_file" ]; then
    log "services already started ($state_file); run: scripts/services.sh stop"
    exit 1
  fi
  install_missing
  local root
  root=$(mktemp -d /tmp/hatbox-services.XXXXXX)
  chmod 755 "$root"
  mkdir -p "$root/pg" "$root/s3"
  [ "$(id -u)" -eq 0 ] && { id hatbox-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin hatbox-pg; chown hatbox-pg "$root/pg"; }

  # PGlite first: it starts in the background while the PostgreSQL cluster is made.
  local pglite_port
  pglite_port=$(free_port)
  (cd tests/pglite && [ -d node_modules/@electric-sql/pglite-socket ] || npm ci --no-audit --no-fund >&2)
  start_pglite "$root" "$pglite_port"

  local pg_port pg_password
  pg_port=$(free_port)
  pg_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$pg_password" > "$root/pg.pw"
  chmod 644 "$root/pg.pw"
  as_pg_user "$pg_bin/initdb" -D "$root/pg/data" -U hatbox_admin --pwfile="$root/pg.pw" -A scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$root/pg-initdb.log" 2>&1 || { cat "$root/pg-initdb.log" >&2; exit 1; }
  rm -f "$root/pg.pw"
  start_postgres "$root" "$pg_port"

  local s3_port
  s3_port=$(free_port)
  (cd tests/s3 && [ -d node_modules/s3rver ] || npm ci --no-audit --no-fund >&2)
  start_s3 "$root" "$s3_port"
  wait_pglite "$root"

  cat >"$state_file" <<EOF
root=$root
pg_port=$pg_port
s3_port=$s3_port
s3_pid=$s3_pid
pglite_port=$pglite_port
pglite_pid=$pglite_pid
EOF
  cat <<EOF
export HATBOX_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=hatbox_admin;Password=$pg_password;Database=postgres'
export HATBOX_TEST_S3='http://127.0.0.1:$s3_port'
export HATBOX_TEST_PGVECTOR='Host=127.0.0.1;Port=$pglite_port;Username=postgres;Password=postgres;Database=postgres;SSL Mode=Disable;No Reset On Close=true'
EOF
  log "PostgreSQL 15 on 127.0.0.1:$pg_port, s3rver on 127.0.0.1:$s3_port, PGlite+pgvector on 127.0.0.1:$pglite_port (state in $root)"
}

stop() {
  [ -f "$state_file" ] || exit 0
  # shellcheck disable=SC1090
  . "$state_file"
  kill "$s3_pid" 2>/dev/null || true
  [ -n "${pglite_pid:-}" ] && kill "$pglite_pid" 2>/dev/null || true
  stop_postgres "$root"
  rm -rf "$root" "$state_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pause | resume) toggle "$1" "${2:-}" ;;
  *) echo "usage: $0 start|stop|pause NAME|resume NAME" >&2; exit 2 ;;
esac
