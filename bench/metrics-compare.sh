# Sourced by run.sh with METRICS=compare: the authenticated pipeline (POST /authentication) on two
# Hatbox servers, the one run.sh started (metrics on) and a second with --metrics-port 0, each
# against the same bare-Kestrel baseline in the same rounds. The second has its own data folder
# and key, so the two never share a database. Prints both ratios; their difference is what the
# meters cost (target: under 2 points).
OFF_PORT=$(free_port)
OFF_DATA="$WORK/data-off"
OFF_KEY=$(dotnet artifacts/bin/Hatbox/release/Hatbox.dll admin bootstrap --data "$OFF_DATA" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan bench --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])')
cat >"$WORK/authentication-off.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $OFF_KEY"
LUA
dotnet artifacts/bin/Hatbox/release/Hatbox.dll serve --data "$OFF_DATA" \
  --https-port "$OFF_PORT" --http-port 0 --listen 127.0.0.1 --metrics-port 0 >"$WORK/hatbox-off.log" 2>&1 &
OFF_PID=$!
PIDS+=("$OFF_PID")
CERT="$OFF_DATA/tls/cert.pem" wait_ready hatbox-off "$OFF_PORT" "$WORK/hatbox-off.log"

# A scrape now and then, as Prometheus would, so the exporter's side is paid too.
(while sleep 5; do curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/metrics" || true; done) &
PIDS+=("$!")

hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /authentication "$WARMUP" "$WORK/authentication.lua" >/dev/null
hatbox_wrk "$HATBOX_PID" "$HATBOX_PORT" /authentication "$WARMUP" "$WORK/authentication.lua" >/dev/null
hatbox_wrk "$OFF_PID" "$OFF_PORT" /authentication "$WARMUP" "$WORK/authentication-off.lua" >/dev/null
runs=""
for round in $(seq 1 "$ROUNDS"); do
  # Three orders in turn, so none of the three always runs first.
  case $((round % 3)) in
    0) order="baseline on off" ;;
    1) order="on off baseline" ;;
    *) order="off baseline on" ;;
  esac
  for side in $order; do
    case $side in
      baseline) read -r rps_base _ < <(hatbox_wrk "$BASELINE_PID" "$BASELINE_PORT" /authentication "$DURATION" "$WORK/authentication.lua") ;;
      on) read -r rps_on cpu_on < <(hatbox_wrk "$HATBOX_PID" "$HATBOX_PORT" /authentication "$DURATION" "$WORK/authentication.lua") ;;
      off) read -r rps_off cpu_off < <(hatbox_wrk "$OFF_PID" "$OFF_PORT" /authentication "$DURATION" "$WORK/authentication-off.lua") ;;
    esac
  done
  runs+="$rps_base $rps_on $cpu_on $rps_off $cpu_off"$'\n'
done
python3 - "$runs" <<'PY'
import statistics, sys
rounds = [tuple(map(int, line.split())) for line in sys.argv[1].splitlines() if line.strip()]
on = [100 * r[1] / r[0] for r in rounds]
off = [100 * r[3] / r[0] for r in rounds]
print(f"authentication, metrics on:  ratio {statistics.median(on):.1f}% (median of {len(rounds)} rounds; cpu {statistics.median(r[2] for r in rounds):.0f} us/request)")
print(f"authentication, metrics off: ratio {statistics.median(off):.1f}% (cpu {statistics.median(r[4] for r in rounds):.0f} us/request)")
print(f"  metrics cost: {statistics.median(b - a for a, b in zip(on, off)):.1f} points (median of the rounds' differences; target < 2)")
PY
