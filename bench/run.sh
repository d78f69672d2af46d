#!/usr/bin/env bash
# Throughput of Hatbox against the bare-Kestrel baseline (bench/Baseline), printed as a ratio
# (DESIGN.md §9). Both servers run Release builds on 127.0.0.1 over the same TLS certificate.
#
#   bash bench/run.sh                 # every scenario, 20 rounds of 3 s per side, taking turns
#   ROUNDS=40 bash bench/run.sh       # more rounds (a steadier median)
#   DURATION=6 bash bench/run.sh      # longer runs
#   METRICS=compare bash bench/run.sh # only the authenticated pipeline, with metrics on and off, both against the baseline
#   COMPARE=DIR bash bench/run.sh     # only the authenticated pipeline, this tree's build against the one in DIR
#                                     # (a copy of artifacts/bin/Hatbox/release made before a change)
#   SCENARIOS="authentication db_insert" bash bench/run.sh   # only these (health authentication
#                                     # db_point_read db_insert); the default runs every one
#   SCENARIOS=semantic_search bash bench/run.sh   # /db/semantic-search over 100,000 rows (issue 18), only
#                                     # when named: SEARCH_ROWS=100000, its vectors cached in SEARCH_CACHE
#
# Hatbox runs with its default logging (one JSON access-log line per request) and its stdout sent
# to a file in the temp dir, as in production behind a log collector. Environment variables pass
# through, so HATBOX__Logging__LogLevel__Default=Warning bash bench/run.sh shows the cost of that log.
#
# Both servers and wrk share the machine's cores (two on the dev box), so absolute req/s mean
# little and swing with whatever else runs; read the ratio from one run, and the CPU time per
# request, which noise moves less. Only one server is under load at a time.
set -euo pipefail

cd "$(dirname "$0")/.."
# Many short rounds, each a run of the baseline and one of Hatbox seconds apart: the VM's speed
# drifts by tens of percent within a minute, and a round's two runs share whatever spell it is in
# (bench/README.md, "Reading it"). Each run opens its connections anew, which costs both sides the
# same wall time and so leaves their ratio alone.
DURATION=${DURATION:-3}
# Hatbox's keyed path reaches its steady speed after ~35 s under load (tiered compilation); each
# scenario warms both servers for longer than that before it measures (bench/README.md).
WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SCENARIOS=${SCENARIOS:-health authentication db_point_read db_insert}

# selected NAME: whether SCENARIOS names this scenario.
selected() {
  [[ " $SCENARIOS " == *" $1 "* ]]
}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk
fi

# dotnet build takes one project at a time. The search scenario seeds its rows with Hatbox.Benchmarks.
projects=(src/Hatbox bench/Baseline)
selected semantic_search && projects+=(bench/Hatbox.Benchmarks)
for project in "${projects[@]}"; do
  dotnet build -c Release "$project" -nologo -v q -clp:ErrorsOnly >/dev/null
done

WORK=$(mktemp -d -t hatbox-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready NAME PORT LOG: polls /health until it answers 200 (30 s at most).
wait_ready() {
  local name=$1 port=$2 log=$3
  for _ in $(seq 1 300); do
    if [[ -f "$CERT" ]] && curl -fsS --cacert "$CERT" -o /dev/null "https://127.0.0.1:$port/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not answer /health on port $port; its output:" >&2
  cat "$log" >&2
  exit 1
}

HATBOX_PORT=$(free_port)
DATA="$WORK/data"
CERT="$DATA/tls/cert.pem"
# cert.pem is the local authority; localhost.pem is the server certificate it issued, with its key.
SERVER_CERT="$DATA/tls/localhost.pem"
KEY="$DATA/tls/localhost-key.pem"
# A real organization, workspace and key, made as an operator would, for the authenticated scenarios.
# Its plan's limits are out of reach, so every request runs the full pipeline (key, origin,
# rate limit, quota, metering) and none is refused.
export HATBOX__Plans__bench__RequestsPerMinute=1000000000 HATBOX__Plans__bench__RequestsPerMonth=1000000000000 \
  HATBOX__Plans__bench__StorageBytes=1099511627776
BOOTSTRAP=$(dotnet artifacts/bin/Hatbox/release/Hatbox.dll admin bootstrap --data "$DATA" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan bench --json)
API_KEY=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])' <<<"$BOOTSTRAP")
BASELINE_EXTRA=()
if selected semantic_search; then
  # 100,000 embedded rows would take the indexer minutes here: their vectors are made once, kept in
  # SEARCH_CACHE, and written into the stopped server's data folder with the hashes the indexer
  # computes, so it embeds none (bench/Hatbox.Benchmarks/SearchSeed.cs). The baseline reads the same file.
  SEARCH_ROWS=${SEARCH_ROWS:-100000}
  SEARCH_FIXTURE=${SEARCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hatbox-bench}/search-$SEARCH_ROWS.fixture
  WORKSPACE_ID=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["workspaceId"])' <<<"$BOOTSTRAP")
  dotnet artifacts/bin/Hatbox.Benchmarks/release/Hatbox.Benchmarks.dll search-seed "$DATA" "$WORKSPACE_ID" "$SEARCH_ROWS" "$SEARCH_FIXTURE"
  BASELINE_EXTRA=(--vectors "$SEARCH_FIXTURE")
  # The baseline scans every row; so does Hatbox here (the default above 20,000 rows is the approximate index).
  export HATBOX__Ai__ApproximateAboveRows=${HATBOX__Ai__ApproximateAboveRows:-0}
fi
cat >"$WORK/authentication.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
LUA
# Metrics are on by default in production (the Prometheus listener on loopback); so here, on a free port.
METRICS_PORT=$(free_port)
dotnet artifacts/bin/Hatbox/release/Hatbox.dll serve --data "$DATA" \
  --https-port "$HATBOX_PORT" --http-port 0 --listen 127.0.0.1 --metrics-port "$METRICS_PORT" >"$WORK/hatbox.log" 2>&1 &
HATBOX_PID=$!
PIDS+=("$HATBOX_PID")
wait_ready hatbox "$HATBOX_PORT" "$WORK/hatbox.log"

# The baseline serves Hatbox's own localhost certificate, so the TLS work is the same.
BASELINE_PORT=$(free_port)
dotnet artifacts/bin/Baseline/release/Baseline.dll --port "$BASELINE_PORT" \
  --cert "$SERVER_CERT" --key "$KEY" --db "$WORK/baseline-items.db" "${BASELINE_EXTRA[@]}" >"$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
PIDS+=("$BASELINE_PID")
wait_ready baseline "$BASELINE_PORT" "$WORK/baseline.log"

source bench/wrk.sh

# run.sh's shorthands: one Hatbox and one baseline, its own threads and connections.
hatbox_wrk() {
  run_wrk "$1" "$2" "$3" "$4" "${5:-}" "$THREADS" "${SCENARIO_CONNECTIONS:-$CONNECTIONS}"
}

# measure NAME PATH [LUA] [TARGET%]: the baseline against Hatbox, with the same Lua script (method,
# headers, body) on both; the median of the rounds' ratios is the figure held against the target.
measure() {
  local name=$1 path=$2 script=${3:-} target=${4:-90}
  measure_pair "$name" ">= $target%" "$path" "$THREADS" "${SCENARIO_CONNECTIONS:-$CONNECTIONS}" \
    "$BASELINE_PID" "$BASELINE_PORT" "$script" baseline "$HATBOX_PID" "$HATBOX_PORT" "$script" hatbox
}

echo "wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s runs, $ROUNDS rounds; $(nproc) cores shared by both servers and wrk"
echo "hatbox logging: ${HATBOX__Logging__LogLevel__Default:-default (access log on)}, stdout to a file"
if [[ ${METRICS:-} == compare ]]; then
  source bench/metrics-compare.sh
  exit 0
fi
if [[ -n ${COMPARE:-} ]]; then
  source bench/build-compare.sh
  exit 0
fi
selected health && measure health /health "" 90
selected authentication && measure authentication /authentication "$WORK/authentication.lua" 85   # the full pipeline of DESIGN.md §5

# The /db API (issue 6). The table and rows are made through Hatbox's API as a tenant would; the
# baseline makes the same ones directly in its own file (bench/Baseline/DbBaseline.cs).
db_api() {
  curl -fsS --cacert "$CERT" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    "https://127.0.0.1:$HATBOX_PORT$1" -d "$2" >/dev/null
}
db_api /db/query '{"query":"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)"}'
db_api /db/query '{"query":"INSERT INTO items (id, name, price) WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) SELECT x, '"'item '"' || x, x * 1.5 FROM n"}'
db_api /db/query '{"query":"CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"}'
cat >"$WORK/db_point_read.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"SELECT * FROM items WHERE id = \$1","params":[42]}'
LUA
selected db_point_read && measure db_point_read /db/query "$WORK/db_point_read.lua" 50   # DESIGN.md §9

# Durable single-row inserts: each answer waits for its WAL fsync (synchronous=FULL), so the disk
# sets the pace. The baseline inserts the same row into its own file, one writer at a time too.
cat >"$WORK/db_insert.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"table":"events","data":{"name":"bench"}}'
LUA
if selected db_insert; then
  hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /db/insert "$WARMUP" "$WORK/db_insert.lua" >/dev/null
  hatbox_wrk "$HATBOX_PID" "$HATBOX_PORT" /db/insert "$WARMUP" "$WORK/db_insert.lua" >/dev/null
  read -r insert_base _ < <(hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /db/insert "$DURATION" "$WORK/db_insert.lua")
  read -r insert_hatbox _ < <(hatbox_wrk "$HATBOX_PID" "$HATBOX_PORT" /db/insert "$DURATION" "$WORK/db_insert.lua")
  echo "db_insert: hatbox $insert_hatbox durable inserts/s (POST /db/insert); bare SQLite endpoint $insert_base inserts/s"
fi

# Semantic search over SEARCH_ROWS rows (issue 18): Hatbox embeds the query, scans the table's
# vectors and reads the ten rows from SQLite; the baseline embeds it with the same model and scans
# the same vectors in memory. A query takes tens of milliseconds of CPU, so 4 connections, not 64.
if selected semantic_search; then
  cat >"$WORK/semantic_search.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $API_KEY"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"a light for camping","table":"docs","limit":10,"environment":"production"}'
-- At tens of requests a second a Lua call per answer costs nothing, and a refusal shows its code.
response = function(status, headers, body) if status ~= 200 then print(status, body) end end
LUA
  # The first search loads the table's vectors and starts a pass over its rows (the hashes match, so
  # it embeds none); until that pass is done its reads share the organization's two statement slots
  # and concurrent searches may be refused with 503 database_busy. Wait until four at once pass.
  search_once() {
    curl -sS --cacert "$CERT" -o /dev/null -w '%{http_code}\n' --max-time 120 -H "Authorization: Bearer $API_KEY" \
      -H 'Content-Type: application/json' "https://127.0.0.1:$HATBOX_PORT/db/semantic-search" \
      -d '{"query":"a light for camping","table":"docs","limit":10,"environment":"production"}'
  }
  search_once >/dev/null
  for _ in $(seq 1 60); do
    [[ $(for _ in 1 2 3 4; do search_once & done; wait) == $'200\n200\n200\n200' ]] && break
    sleep 1
  done
  SCENARIO_CONNECTIONS=4 measure semantic_search /db/semantic-search "$WORK/semantic_search.lua" 70
fi
