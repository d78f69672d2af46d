#!/usr/bin/env bash
# Hatbox on the scale-out stores (PostgreSQL platform and tenants, Redis limits, S3 files) against
# the bare-Kestrel baseline, and three nodes against one, printed as ratios measured in one run
# (DESIGN.md §9, bench/README.md "Scale-out"). It starts what it needs on 127.0.0.1 and free ports:
# PostgreSQL 15 and the S3 stand-in through scripts/services.sh (a state file of its own), a
# redis-server, Hatbox nodes and the baseline; it stops them all at exit.
#
#   bash bench/scaleout.sh                       # every scenario, 20 rounds of 3 s per side, taking turns
#   ROUNDS=10 WARMUP=20 bash bench/scaleout.sh   # shorter
#   SCENARIOS="pg_point_read three_nodes" bash bench/scaleout.sh
#
# Scenarios: pg_point_read (POST /db/query on a PostgreSQL tenant vs the same query through Npgsql
# in a bare endpoint, target >= 50%), pg_authentication (POST /authentication with Redis limits and
# the PostgreSQL platform vs the bare endpoint, target >= 75%), three_nodes (POST /authentication
# and the point read spread over three nodes vs one node, the same wrk in both; on two cores
# expect no gain).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-3}
WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SCENARIOS=${SCENARIOS:-pg_point_read pg_authentication three_nodes}

selected() {
  [[ " $SCENARIOS " == *" $1 "* ]]
}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${missing[@]}"
fi

for project in src/Hatbox bench/Baseline; do
  dotnet build -c Release "$project" -nologo -v q -clp:ErrorsOnly >/dev/null
done

WORK=$(mktemp -d -t hatbox-scaleout-bench.XXXXXX)
chmod 755 "$WORK"
# A state file of our own, so this run's services never meet a test run's.
export HATBOX_SERVICES_STATE="$WORK/services.state"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  scripts/services.sh stop || true
  # KEEP=1 keeps the logs (nodes', baseline's, wrk's) for a look afterwards.
  if [[ ${KEEP:-} == 1 ]]; then
    echo "logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

eval "$(scripts/services.sh start)"
# database NAME: an Npgsql connection string for a new database NAME on the test cluster.
database() {
  python3 - "$HATBOX_TEST_POSTGRES" "$1" <<'PY'
import subprocess, sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if p)
subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {sys.argv[2]}",
                f"host={parts['Host']} port={parts['Port']} user={parts['Username']} password={parts['Password']} dbname=postgres"],
               check=True)
parts["Database"] = sys.argv[2]
print(";".join(f"{k}={v}" for k, v in parts.items()))
PY
}
PLATFORM_DB=$(database hb_bench_platform)
TENANTS_DB=$(database hb_bench_tenants)

REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)

export HATBOX__Platform__Provider=postgres HATBOX__Platform__ConnectionString="$PLATFORM_DB"
export HATBOX__Tenants__Provider=postgres HATBOX__Tenants__ConnectionString="$TENANTS_DB"
export HATBOX__Redis__Configuration="127.0.0.1:$REDIS_PORT"
export HATBOX__Storage__Provider=s3 HATBOX__Storage__S3__ServiceUrl="$HATBOX_TEST_S3" HATBOX__Storage__S3__Bucket=hatbox-bench
# The plan's limits are out of reach, so every request runs the whole pipeline (key, origin, rate
# limit and quota in Redis, metering) and none is refused.
export HATBOX__Plans__bench__RequestsPerMinute=1000000000 HATBOX__Plans__bench__RequestsPerMonth=1000000000000
# One organization sends all 64 connections. By default it may run 2 statements at once and wait
# 1 s for a turn (DbAdmission: fairness between organizations), which at 64 connections on a loaded
# machine answers some requests 503 database_busy and measures that cap, not the path. Here it may
# use its whole pool (Tenants:MaxConnectionsPerTenant, 4) and wait longer: the baseline's pool is
# Npgsql's default (up to 100 connections).
export HATBOX__Db__MaxConcurrentStatementsPerOrganization=${HATBOX__Db__MaxConcurrentStatementsPerOrganization:-4}
export HATBOX__Db__MaxQueueWaitMilliseconds=${HATBOX__Db__MaxQueueWaitMilliseconds:-10000}

wait_ready() {
  local name=$1 port=$2 log=$3
  for _ in $(seq 1 600); do
    if curl -fsSk -o /dev/null "https://127.0.0.1:$port/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not answer /health on port $port; its output:" >&2
  cat "$log" >&2
  exit 1
}

API_KEY=$(dotnet artifacts/bin/Hatbox/release/Hatbox.dll admin bootstrap --data "$WORK/node1" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan bench --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])')

NODE_PIDS=()
NODE_PORTS=()
# start_node N: a node on its own data folder (TLS files only) and the shared stores.
start_node() {
  local port metrics
  port=$(free_port)
  metrics=$(free_port)
  dotnet artifacts/bin/Hatbox/release/Hatbox.dll serve --data "$WORK/node$1" \
    --https-port "$port" --http-port 0 --listen 127.0.0.1 --metrics-port "$metrics" >"$WORK/node$1.log" 2>&1 &
  PIDS+=($!)
  NODE_PIDS+=($!)
  NODE_PORTS+=("$port")
  wait_ready "node $1" "$port" "$WORK/node$1.log"
}
start_node 1

BASELINE_PORT=$(free_port)
dotnet artifacts/bin/Baseline/release/Baseline.dll --port "$BASELINE_PORT" \
  --cert "$WORK/node1/tls/localhost.pem" --key "$WORK/node1/tls/localhost-key.pem" --pg "$TENANTS_DB" >"$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
PIDS+=("$BASELINE_PID")
wait_ready baseline "$BASELINE_PORT" "$WORK/baseline.log"

db_api() {
  curl -fsSk -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    "https://127.0.0.1:${NODE_PORTS[0]}$1" -d "$2" >/dev/null
}
db_api /db/query '{"query":"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)"}'
db_api /db/query '{"query":"INSERT INTO items (id, name, price) SELECT x, '"'item '"' || x, x * 1.5 FROM generate_series(1, 1000) x"}'

cat >"$WORK/authentication.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
LUA
cat >"$WORK/db_point_read.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"SELECT * FROM items WHERE id = \$1","params":[42]}'
LUA

source bench/wrk.sh

# spread_script SCRIPT PORT...: SCRIPT plus a setup() that gives wrk's threads to the ports in
# turn (thread i connects to port i mod n), the one way wrk spreads one run over several servers.
spread_script() {
  local script=$1 out
  shift
  out="$WORK/spread-$(basename "$script" .lua)-$#.lua"
  {
    cat "$script"
    echo "local ports = { $(
      IFS=,
      echo "$*"
    ) }"
    cat <<'LUA'
local threads = 0
function setup(thread)
  thread.addr = wrk.lookup("127.0.0.1", tostring(ports[threads % #ports + 1]))[1]
  threads = threads + 1
end
LUA
  } >"$out"
  echo "$out"
}

# HOLD=1: everything started, nothing measured; waits (for profiling by hand) until stopped.
if [[ ${HOLD:-} == 1 ]]; then
  echo "holding: node ports ${NODE_PORTS[*]} (pids ${NODE_PIDS[*]}), baseline $BASELINE_PORT; key in $WORK/authentication.lua; kill $$ to stop" >&2
  while sleep 1; do :; done
fi
echo "wrk ${DURATION}s runs, $ROUNDS rounds, warm-up ${WARMUP}s; $(nproc) cores shared by the servers, PostgreSQL, Redis, s3rver and wrk"
if selected pg_point_read; then
  measure_pair pg_point_read ">= 50%" /db/query "$THREADS" "$CONNECTIONS" \
    "$BASELINE_PID" "$BASELINE_PORT" "$WORK/db_point_read.lua" baseline \
    "${NODE_PIDS[0]}" "${NODE_PORTS[0]}" "$WORK/db_point_read.lua" hatbox
fi
if selected pg_authentication; then
  measure_pair pg_authentication ">= 75%" /authentication "$THREADS" "$CONNECTIONS" \
    "$BASELINE_PID" "$BASELINE_PORT" "$WORK/authentication.lua" baseline \
    "${NODE_PIDS[0]}" "${NODE_PORTS[0]}" "$WORK/authentication.lua" hatbox
fi
if selected three_nodes; then
  start_node 2
  start_node 3
  # Three wrk threads in both: one per node when spread, all three on node 1 when not. The CPU per
  # request counts every node's process.
  for scenario in authentication db_point_read; do
    path=/authentication
    [[ $scenario == db_point_read ]] && path=/db/query
    measure_pair "three_nodes_$scenario" "none (2 cores)" "$path" 3 63 \
      "${NODE_PIDS[0]}" "${NODE_PORTS[0]}" "$(spread_script "$WORK/$scenario.lua" "${NODE_PORTS[0]}")" one_node \
      "${NODE_PIDS[*]}" "${NODE_PORTS[0]}" "$(spread_script "$WORK/$scenario.lua" "${NODE_PORTS[@]}")" three_nodes
  done
fi
