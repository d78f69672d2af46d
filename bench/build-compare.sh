# Sourced by run.sh with COMPARE=DIR: the authenticated pipeline (POST /authentication) on two Hatbox
# builds, the tree's (run.sh started it) and the one in DIR (a copy of artifacts/bin/Hatbox/release
# made before a change), each against the same bare-Kestrel baseline in the same rounds, three orders
# in turn. The second has its own data folder and key. Prints both ratios, CPU per request, the
# median of the rounds' differences, and each build's billed requests per usage-journal flush (the
# hatbox_usage_journal_flushes counter of its metrics listener, where the build has it): what a change to the keyed path or
# the journal buys, measured side by side on a machine whose speed drifts (bench/README.md).
OLD_DLL="$COMPARE/Hatbox.dll"
[[ -f "$OLD_DLL" ]] || { echo "COMPARE=$COMPARE has no Hatbox.dll" >&2; exit 1; }
OLD_PORT=$(free_port)
OLD_DATA="$WORK/data-old"
OLD_KEY=$(dotnet "$OLD_DLL" admin bootstrap --data "$OLD_DATA" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan bench --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])')
cat >"$WORK/authentication-old.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $OLD_KEY"
LUA
OLD_METRICS_PORT=$(free_port)
dotnet "$OLD_DLL" serve --data "$OLD_DATA" \
  --https-port "$OLD_PORT" --http-port 0 --listen 127.0.0.1 --metrics-port "$OLD_METRICS_PORT" >"$WORK/hatbox-old.log" 2>&1 &
OLD_PID=$!
PIDS+=("$OLD_PID")
CERT="$OLD_DATA/tls/cert.pem" wait_ready hatbox-old "$OLD_PORT" "$WORK/hatbox-old.log"

# The usage journal's flushes so far, from the server's Prometheus listener on PORT.
journal_flushes() {
  curl -fsS "http://127.0.0.1:$1/metrics" | awk '/^hatbox_usage_journal_flushes/ { n = $2 } END { printf "%d\n", n }'
}
# side_run PID PORT SCRIPT METRICS_PORT: prints "REQ_PER_SEC CPU_US FLUSHES REQUESTS".
side_run() {
  local pid=$1 port=$2 script=$3 metrics=$4 rps cpu before
  before=$(journal_flushes "$metrics")
  read -r rps cpu < <(hatbox_wrk "$pid" "$port" /authentication "$DURATION" "$script")
  echo "$rps $cpu $(($(journal_flushes "$metrics") - before)) $((rps * DURATION))"
}

hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /authentication "$WARMUP" "$WORK/authentication.lua" >/dev/null
hatbox_wrk "$HATBOX_PID" "$HATBOX_PORT" /authentication "$WARMUP" "$WORK/authentication.lua" >/dev/null
hatbox_wrk "$OLD_PID" "$OLD_PORT" /authentication "$WARMUP" "$WORK/authentication-old.lua" >/dev/null
runs=""
for round in $(seq 1 "$ROUNDS"); do
  case $((round % 3)) in
    0) order="baseline new old" ;;
    1) order="new old baseline" ;;
    *) order="old baseline new" ;;
  esac
  for side in $order; do
    case $side in
      baseline) read -r rps_base _ < <(hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /authentication "$DURATION" "$WORK/authentication.lua") ;;
      new) read -r rps_new cpu_new syncs_new req_new < <(side_run "$HATBOX_PID" "$HATBOX_PORT" "$WORK/authentication.lua" "$METRICS_PORT") ;;
      old) read -r rps_old cpu_old syncs_old req_old < <(side_run "$OLD_PID" "$OLD_PORT" "$WORK/authentication-old.lua" "$OLD_METRICS_PORT") ;;
    esac
  done
  runs+="$rps_base $rps_new $cpu_new $syncs_new $req_new $rps_old $cpu_old $syncs_old $req_old"$'\n'
done
python3 - "$runs" "$COMPARE" <<'PY'
import statistics, sys
rounds = [tuple(map(int, line.split())) for line in sys.argv[1].splitlines() if line.strip()]
new = [100 * r[1] / r[0] for r in rounds]
old = [100 * r[5] / r[0] for r in rounds]
med = statistics.median
def per_sync(syncs, requests):
    return f"{requests / syncs:.1f} requests per journal flush" if syncs else "no journal flush counter"
print(f"authentication, this tree: ratio {med(new):.1f}% (median of {len(rounds)} rounds; cpu {med(r[2] for r in rounds):.0f} us/request;"
      f" {per_sync(sum(r[3] for r in rounds), sum(r[4] for r in rounds))})")
print(f"authentication, {sys.argv[2]}: ratio {med(old):.1f}% (cpu {med(r[6] for r in rounds):.0f} us/request;"
      f" {per_sync(sum(r[7] for r in rounds), sum(r[8] for r in rounds))})")
print(f"  this tree minus the other: {med(a - b for a, b in zip(new, old)):+.1f} points,"
      f" {med(r[2] - r[6] for r in rounds):+.0f} us/request (medians of the rounds' differences)")
PY
