#!/usr/bin/env bash
# Built-in nl-query against /db/query running the very SQL it generates, on one Hatbox server and
# one 10,000-row table, in one run (DESIGN.md §9: ≥ 50%). Rounds alternate which goes first; the
# figure is the median of the rounds' ratios (nl-query req/s ÷ /db/query req/s).
#   bash bench/nlquery.sh                      # 10 rounds of 3 s per side
#   ROUNDS=20 QUESTION='how many kitchen products' bash bench/nlquery.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-10}
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
QUESTION=${QUESTION:-top 5 kitchen products by price}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-upgrade wrk
fi
dotnet build -c Release src/Hatbox -nologo -v q -clp:ErrorsOnly >/dev/null

WORK=$(mktemp -d -t hatbox-nlbench.XXXXXX)
PID=
cleanup() {
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DATA="$WORK/data"
CERT="$DATA/tls/cert.pem"
export HATBOX__Plans__bench__RequestsPerMinute=1000000000 HATBOX__Plans__bench__RequestsPerMonth=1000000000000
KEY=$(dotnet artifacts/bin/Hatbox/release/Hatbox.dll admin bootstrap --data "$DATA" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan bench --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])')
dotnet artifacts/bin/Hatbox/release/Hatbox.dll serve --data "$DATA" --https-port "$PORT" --http-port 0 --listen 127.0.0.1 --metrics-port 0 >"$WORK/hatbox.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  if [[ -f "$CERT" ]] && curl -fsS --cacert "$CERT" -o /dev/null "https://127.0.0.1:$PORT/health" 2>/dev/null; then break; fi
  sleep 0.1
done

api() { curl -fsS --cacert "$CERT" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "https://127.0.0.1:$PORT$1" -d "$2"; }
api /db/query '{"query":"CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL, stock INTEGER)"}' >/dev/null
api /db/query '{"query":"CREATE INDEX products_price ON products (price)"}' >/dev/null
api /db/query "{\"query\":\"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO products (name, category, price, stock) SELECT 'product ' || i, CASE i % 3 WHEN 0 THEN 'kitchen' WHEN 1 THEN 'office' ELSE 'garden' END, (i * 37) % 1000 / 10.0, i % 50 FROM n\"}" >/dev/null

NL_BODY=$(python3 -c 'import json, sys; print(json.dumps({"question": sys.argv[1]}))' "$QUESTION")
ANSWER=$(api /db/nl-query "$NL_BODY")
SQL_BODY=$(python3 -c 'import json, sys; a = json.loads(sys.argv[1]); print(json.dumps({"query": a["sql"], "params": a["params"]}))' "$ANSWER")
echo "question: $QUESTION"
echo "sql:      $(python3 -c 'import json, sys; a = json.loads(sys.argv[1]); print(a["sql"], a["params"], len(a["data"]), "rows")' "$ANSWER")"

lua() {
  python3 - "$KEY" "$1" >"$2" <<'PY'
import json, sys
key, body = sys.argv[1], sys.argv[2]
print('wrk.method = "POST"')
print(f'wrk.headers["Authorization"] = "Bearer {key}"')
print('wrk.headers["Content-Type"] = "application/json"')
print(f'wrk.body = {json.dumps(body)}')
PY
}
lua "$NL_BODY" "$WORK/nl.lua"
lua "$SQL_BODY" "$WORK/sql.lua"

rps() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" -s "$1" "https://127.0.0.1:$PORT$3")
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then echo "error answers from $3: $out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ { printf "%d\n", $2 }' <<<"$out"
}
rps "$WORK/nl.lua" "$WARMUP" /db/nl-query >/dev/null
rps "$WORK/sql.lua" "$WARMUP" /db/query >/dev/null

ratios=()
best_nl=0 best_sql=0
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then
    nl=$(rps "$WORK/nl.lua" "$DURATION" /db/nl-query); sql=$(rps "$WORK/sql.lua" "$DURATION" /db/query)
  else
    sql=$(rps "$WORK/sql.lua" "$DURATION" /db/query); nl=$(rps "$WORK/nl.lua" "$DURATION" /db/nl-query)
  fi
  (( nl > best_nl )) && best_nl=$nl
  (( sql > best_sql )) && best_sql=$sql
  ratios+=("$(awk -v a="$nl" -v b="$sql" 'BEGIN { printf "%.1f", 100 * a / b }')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "nl-query: ratio ${median}% of /db/query (median of $ROUNDS rounds; target >= 50%)"
echo "  best: /db/query $best_sql req/s, nl-query $best_nl req/s; rounds: ${ratios[*]}"
