# Sourced by bench/run.sh and bench/scaleout.sh: wrk runs against servers whose CPU time is read
# from /proc, and the rounds that compare two sides. Callers set WORK, WARMUP, DURATION and ROUNDS.

# CPU time (user + system, in clock ticks) the processes have used so far, summed.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# run_wrk "PID..." PORT PATH SECONDS SCRIPT THREADS CONNECTIONS (SCRIPT may be empty): prints "REQ_PER_SEC CPU_US_PER_REQUEST",
# the CPU summed over the PIDs.
run_wrk() {
  local pids=$1 port=$2 path=$3 seconds=$4 script=$5 threads=$6 connections=$7 out before after
  local extra=()
  if [[ -n "$script" ]]; then
    extra=(-s "$script")
  fi
  # shellcheck disable=SC2086
  before=$(cpu_ticks $pids)
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "${extra[@]}" "https://127.0.0.1:$port$path")
  # shellcheck disable=SC2086
  after=$(cpu_ticks $pids)
  echo "$out" >>"$WORK/wrk.log"
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    echo "wrk got error answers from port $port$path:" >&2
    echo "$out" >&2
    exit 1
  fi
  if grep -q 'Socket errors' <<<"$out"; then
    echo "warning: $(grep 'Socket errors' <<<"$out") (port $port$path)" >&2
  fi
  awk -v ticks=$((after - before)) -v tick_us="$TICK_US" '
    /requests in/   { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%d %d\n", rps, requests ? ticks * tick_us / requests : 0 }' <<<"$out"
}

# measure_pair NAME TARGET PATH THREADS CONNECTIONS "A_PIDS" A_PORT A_SCRIPT A_LABEL "B_PIDS" B_PORT B_SCRIPT B_LABEL:
# warms both sides, then ROUNDS rounds of one run each, taking turns which goes first; prints the
# median of the rounds' B ÷ A ratios, each side's best, and the median CPU time per request.
measure_pair() {
  local name=$1 target=$2 path=$3 threads=$4 connections=$5
  local a_pids=$6 a_port=$7 a_script=$8 a_label=$9 b_pids=${10} b_port=${11} b_script=${12} b_label=${13}
  local runs="" round side rps_a cpu_a rps_b cpu_b
  run_wrk "$a_pids" "$a_port" "$path" "$WARMUP" "$a_script" "$threads" "$connections" >/dev/null
  run_wrk "$b_pids" "$b_port" "$path" "$WARMUP" "$b_script" "$threads" "$connections" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    for side in $( ((round % 2)) && echo a b || echo b a); do
      if [[ $side == a ]]; then
        read -r rps_a cpu_a < <(run_wrk "$a_pids" "$a_port" "$path" "$DURATION" "$a_script" "$threads" "$connections")
      else
        read -r rps_b cpu_b < <(run_wrk "$b_pids" "$b_port" "$path" "$DURATION" "$b_script" "$threads" "$connections")
      fi
    done
    runs+="$rps_a $cpu_a $rps_b $cpu_b"$'\n'
  done
  python3 - "$name" "$target" "$a_label" "$b_label" "$runs" <<'PY'
import statistics, sys
name, target, a, b, text = sys.argv[1:6]
rounds = [tuple(map(int, line.split())) for line in text.splitlines() if line.strip()]
ratios = [100 * rb / ra for ra, _, rb, _ in rounds]
best_a, best_b = max(r[0] for r in rounds), max(r[2] for r in rounds)
print(f"{name}: ratio {statistics.median(ratios):.1f}% (median of {len(rounds)} rounds; {b} / {a}; target {target})")
print(f"  best: {a} {best_a} req/s, {b} {best_b} req/s, ratio {100 * best_b / best_a:.1f}%;"
      f" rounds' ratios from {min(ratios):.0f}% to {max(ratios):.0f}%")
print(f"  cpu per request (median): {a} {statistics.median(r[1] for r in rounds):.0f} us,"
      f" {b} {statistics.median(r[3] for r in rounds):.0f} us")
PY
}
