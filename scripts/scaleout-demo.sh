#!/usr/bin/env bash
# A local three-node Hatbox, to try the scale-out stores by hand (docs/scale-out.md):
#   bash scripts/scaleout-demo.sh start    PostgreSQL 15, Redis and the S3 stand-in on 127.0.0.1, three
#                                          `hatbox serve` nodes with their own --data folders against them,
#                                          and an admin, a workspace and an API key (printed once);
#   bash scripts/scaleout-demo.sh status   what runs, and how to call it;
#   bash scripts/scaleout-demo.sh stop     stops exactly what start started (PIDs in the state file) and
#                                          deletes the demo's data.
# Everything lives in .scaleout-demo/ at the repository root (HATBOX_DEMO_DIR to put it elsewhere).
# Start is idempotent: run again, it starts only what is not running and prints the same addresses.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

demo="${HATBOX_DEMO_DIR:-$repo/.scaleout-demo}"
state="$demo/demo.state"
config="$demo/scaleout.json"
# The PostgreSQL cluster and s3rver come from scripts/services.sh, with a state file of the demo's own,
# so the demo runs next to the test services (scripts/test.sh) without either touching the other's.
export HATBOX_SERVICES_STATE="$demo/services.state"
nodes=(1 2 3)

log() { printf '%s\n' "$*" >&2; }
die() { log "scaleout-demo: $*"; exit 1; }
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Node.js, which services.sh installs when missing (python3 may be absent on a fresh machine).
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

install_redis() {
  [[ -x /usr/bin/redis-server ]] && return
  [[ "$(id -u)" -eq 0 ]] || die "redis-server is missing and installing it needs root: sudo apt-get install --no-upgrade redis-server"
  log "installing redis-server"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade redis-server >&2
}

# Appends or replaces name=value in the state file, which is also a shell script that sets them.
remember() {
  touch "$state"
  sed -i "/^$1=/d" "$state"
  printf '%s=%q\n' "$1" "$2" >>"$state"
}

start_services() {
  if [[ -f "$HATBOX_SERVICES_STATE" ]]; then
    # shellcheck disable=SC1090
    . "$HATBOX_SERVICES_STATE"
    alive "$s3_pid" || die "the S3 stand-in (PID $s3_pid) is gone: run 'bash scripts/scaleout-demo.sh stop', then start again"
    [[ -f "$root/pg/data/postmaster.pid" ]] || die "PostgreSQL is not running: run 'bash scripts/scaleout-demo.sh stop', then start again"
    return
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    # services.sh installs what is missing with apt-get, which needs root: say so before it fails.
    [[ -x /usr/lib/postgresql/15/bin/initdb ]] || die "PostgreSQL 15 is missing and installing it needs root: sudo apt-get install --no-upgrade postgresql"
    command -v node >/dev/null || die "Node.js is missing and installing it needs root: sudo apt-get install --no-upgrade nodejs npm"
  fi
  log "starting PostgreSQL 15 and the S3 stand-in (scripts/services.sh)"
  local exports
  exports="$(bash scripts/services.sh start)" || die "scripts/services.sh start failed"
  eval "$exports"
  remember postgres "$HATBOX_TEST_POSTGRES"
  remember s3 "$HATBOX_TEST_S3"
  # Tenants get a database of their own (docs/scale-out.md); the platform keeps `postgres`.
  # shellcheck disable=SC1090
  . "$HATBOX_SERVICES_STATE"
  local password
  password="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$HATBOX_TEST_POSTGRES")"
  PGPASSWORD="$password" /usr/lib/postgresql/15/bin/psql -q -h 127.0.0.1 -p "$pg_port" -U hatbox_admin -d postgres \
    -c 'CREATE DATABASE hatbox_tenants' >&2 || die "could not create the tenants' database"
}

start_redis() {
  # shellcheck disable=SC1090
  . "$state"
  if alive "${redis_pid:-}"; then return; fi
  install_redis
  local port="${redis_port:-$(free_port)}"
  # No persistence: the demo's limits and quota counters start again from PostgreSQL's usage.
  (cd "$demo" && exec nohup /usr/bin/redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --protected-mode yes --loglevel warning >>"$demo/redis.log" 2>&1) &
  remember redis_pid $!
  remember redis_port "$port"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return
    sleep 0.1
  done
  die "redis-server did not start on 127.0.0.1:$port (see $demo/redis.log)"
}

write_config() {
  # shellcheck disable=SC1090
  . "$state"
  local tenants="${postgres/Database=postgres/Database=hatbox_tenants}"
  # Every node and the admin CLI read this one file (--config): the same stores for all.
  cat >"$config" <<EOF
{
  "Platform": { "Provider": "postgres", "ConnectionString": "$postgres" },
  "Tenants": { "Provider": "postgres", "ConnectionString": "$tenants" },
  "Redis": { "Configuration": "127.0.0.1:$redis_port" },
  "Storage": {
    "Provider": "s3",
    "S3": { "ServiceUrl": "$s3", "Bucket": "hatbox-demo", "AccessKey": "S3RVER", "SecretKey": "S3RVER", "ForcePathStyle": true }
  }
}
EOF
  chmod 600 "$config"
}

# One local certificate authority for the three nodes, so that one --cacert trusts them all: node 1's,
# copied into the other folders before they first start (each node then issues its own leaf from it).
make_authority() {
  if [[ ! -f "$demo/node1/tls/cert.pem" ]]; then
    ./hatbox tls trust --dry-run --skip-system --skip-browsers --data "$demo/node1" --config "$config" >/dev/null \
      || die "could not make the local certificate authority"
  fi
  for n in 2 3; do
    [[ -f "$demo/node$n/tls/cert.pem" ]] && continue
    mkdir -p "$demo/node$n/tls"
    chmod 700 "$demo/node$n" "$demo/node$n/tls"
    cp -p "$demo/node1/tls/cert.pem" "$demo/node1/tls/ca-key.pem" "$demo/node$n/tls/"
  done
}

start_node() {
  local n="$1" pid_name="node$1_pid" port_name="node$1_port"
  # shellcheck disable=SC1090
  . "$state"
  alive "${!pid_name:-}" && return
  local port="${!port_name:-$(free_port)}"
  # ./hatbox execs dotnet, so $! is the server's own PID; nohup: it outlives this terminal.
  nohup ./hatbox serve --config "$config" --data "$demo/node$n" --listen 127.0.0.1 --https-port "$port" --http-port 0 \
    --metrics-port 0 >>"$demo/node$n.log" 2>&1 </dev/null &
  remember "$pid_name" $!
  remember "$port_name" "$port"
}

wait_for_node() {
  local n="$1" pid_name="node$1_pid" port_name="node$1_port"
  # shellcheck disable=SC1090
  . "$state"
  for _ in $(seq 1 240); do
    grep -q "listening on https://127.0.0.1:${!port_name}" "$demo/node$n.log" && return
    alive "${!pid_name}" || die "node $n exited (see $demo/node$n.log): $(tail -n 5 "$demo/node$n.log")"
    sleep 0.5
  done
  die "node $n did not start within 2 minutes (see $demo/node$n.log)"
}

bootstrap() {
  # shellcheck disable=SC1090
  . "$state"
  [[ -n "${bootstrapped:-}" ]] && return
  local password
  password="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  local answer
  answer="$(./hatbox admin bootstrap --email admin@demo.localhost --password "$password" --org "Demo" --workspace demo \
    --data "$demo/node1" --config "$config" --json)" || die "admin bootstrap failed"
  remember bootstrapped 1
  local key
  key="$(node -e 'console.log(JSON.parse(process.argv[1]).apiKey)' "$answer")"
  cat <<EOF
Admin: admin@demo.localhost, password $password (sign in at any node's address)
API key (shown once, Hatbox keeps only its hash): $key

EOF
}

usage_text() {
  # shellcheck disable=SC1090
  . "$state"
  cat <<EOF
Three Hatbox nodes on shared PostgreSQL, Redis and S3 stand-in:
  https://127.0.0.1:$node1_port   (node 1, log $demo/node1.log)
  https://127.0.0.1:$node2_port   (node 2, log $demo/node2.log)
  https://127.0.0.1:$node3_port   (node 3, log $demo/node3.log)
One certificate authority signs all three: $demo/node1/tls/cert.pem

Call any node with the key (a key, a row or a file made through one node works on every node):
  export KEY=wh_live_…   # the API key printed above
  curl --cacert $demo/node1/tls/cert.pem https://127.0.0.1:$node1_port/health
  curl --cacert $demo/node1/tls/cert.pem -X POST https://127.0.0.1:$node2_port/authentication -H "Authorization: Bearer \$KEY"
The official SDK: WORQHAT_BASE_URL=https://127.0.0.1:$node3_port NODE_EXTRA_CA_CERTS=$demo/node1/tls/cert.pem
Admin commands on the same stores: ./hatbox admin keys list --workspace demo --config $config --data $demo/node1
Stop everything: bash scripts/scaleout-demo.sh stop
EOF
}

start() {
  mkdir -p "$demo"
  chmod 700 "$demo"
  start_services
  start_redis
  write_config
  make_authority
  # Builds Hatbox if needed (./hatbox does, once), and migrates once before three nodes start.
  ./hatbox migrate --config "$config" --data "$demo/node1" >"$demo/migrate.log" 2>&1 \
    || die "hatbox migrate failed: $(tail -n 20 "$demo/migrate.log")"
  for n in "${nodes[@]}"; do start_node "$n"; done
  for n in "${nodes[@]}"; do wait_for_node "$n"; done
  bootstrap
  usage_text
}

stop() {
  if [[ ! -f "$state" ]]; then
    [[ -d "$demo" ]] || { log "scaleout-demo: nothing to stop"; return; }
  else
    # shellcheck disable=SC1090
    . "$state"
    local pids=()
    for n in "${nodes[@]}"; do
      local pid_name="node${n}_pid"
      alive "${!pid_name:-}" && pids+=("${!pid_name}")
    done
    alive "${redis_pid:-}" && pids+=("$redis_pid")
    if [[ ${#pids[@]} -gt 0 ]]; then
      kill "${pids[@]}" 2>/dev/null || true
      for pid in "${pids[@]}"; do
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null
      done
    fi
  fi
  bash scripts/services.sh stop
  rm -rf "$demo"
  log "scaleout-demo: stopped"
}

case "${1:-}" in
  start) start ;;
  status) [[ -f "$state" ]] || die "not started: bash scripts/scaleout-demo.sh start"; usage_text ;;
  stop) stop ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
