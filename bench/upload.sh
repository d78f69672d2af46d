#!/usr/bin/env bash
# Upload throughput and memory (issue 7, DESIGN.md §9): a 50 MB POST /storage/upload against a
# plain sequential write of the same bytes to the same disk (dd conv=fsync: both end with the
# bytes flushed), alternated in one run, each read from a warm page cache; medians of the rounds,
# with the server's CPU per upload (from /proc/PID/stat, less moved by other load than wall time);
# then the server's peak RSS during ten parallel 50 MB uploads over each protocol, from
# /proc/PID/status (VmHWM, reset just before).
#
#   bash bench/upload.sh               # 7 alternating rounds of each: curl over HTTP/1.1 and HTTP/2,
#                                      # and Node's HTTP/2 client (bench/h2upload.mjs)
#   ROUNDS=7 MB=50 WARMUP=30 bash bench/upload.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
MB=${MB:-50}
PARALLEL=${PARALLEL:-10}

dotnet build -c Release src/Hatbox -nologo -v q -clp:ErrorsOnly >/dev/null

# The data folder and dd's target share one file system, so both measure the same disk.
WORK=$(mktemp -d -t hatbox-upload-bench.XXXXXX)
PID=""
cleanup() {
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DATA="$WORK/data"
CERT="$DATA/tls/cert.pem"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# The pro plan (10 GB) so ten 50 MB uploads fit the storage quota.
API_KEY=$(dotnet artifacts/bin/Hatbox/release/Hatbox.dll admin bootstrap --data "$DATA" --email bench@example.test \
  --password 'bench password 123' --org Bench --workspace bench --plan pro --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["apiKey"])')
dotnet artifacts/bin/Hatbox/release/Hatbox.dll serve --data "$DATA" \
  --https-port "$PORT" --http-port 0 --listen 127.0.0.1 --metrics-port 0 >"$WORK/hatbox.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -fsS --cacert "$CERT" -o /dev/null "https://127.0.0.1:$PORT/health" 2>/dev/null && break
  sleep 0.1
done

SOURCE="$WORK/source.bin"
head -c $((MB * 1024 * 1024)) /dev/urandom >"$SOURCE"
BYTES=$(stat -c %s "$SOURCE")

# Both sides read the source from the page cache, not the disk they write to.
warm_source() { cat "$SOURCE" >/dev/null; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)

# upload PROTOCOL NAME: one upload; prints seconds. Fails on anything but 200.
upload() {
  local out
  warm_source
  out=$(curl -sS "$1" --cacert "$CERT" -o "$WORK/answer.json" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $API_KEY" -F "file=@$SOURCE;filename=$2.bin" -F "path=bench" \
    "https://127.0.0.1:$PORT/storage/upload")
  if [[ "${out%% *}" != 200 ]]; then
    echo "upload failed: $out $(cat "$WORK/answer.json")" >&2
    exit 1
  fi
  echo "${out#* }"
}

# upload_node NAME: the same upload over HTTP/2 with Node's client; prints seconds.
upload_node() {
  local out
  warm_source
  out=$(node bench/h2upload.mjs "https://127.0.0.1:$PORT" "$API_KEY" "$CERT" "$SOURCE" "$1")
  if [[ "${out%% *}" != 200 ]]; then
    echo "upload failed: $out" >&2
    exit 1
  fi
  echo "${out#* }"
}

# write_dd: the same bytes, sequentially, to the same disk, flushed; prints seconds.
write_dd() {
  local start end
  warm_source
  start=$(date +%s.%N)
  dd if="$SOURCE" of="$WORK/dd.out" bs=1M conv=fsync status=none
  end=$(date +%s.%N)
  rm -f "$WORK/dd.out"
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", e - s }'
}

mbps() { awk -v b="$BYTES" -v t="$1" 'BEGIN { printf "%.1f", b / 1048576 / t }'; }

# Warm up until tiered JIT settles: a fresh server spends a third of its CPU compiling for its
# first dozen uploads, HTTP/2's code paths longer (Kestrel's HTTP/2 is more code); with 8 pairs
# the HTTP/2 rounds still caught the JIT at work and measured half their steady speed.
for i in $(seq 1 "${WARMUP:-30}"); do upload --http1.1 "warmup-$i" >/dev/null; upload --http2 "warmup2-$i" >/dev/null; done
upload_node warmup-node >/dev/null
# Alternating rounds, so a slow moment of the (shared, virtual) disk hits both sides alike.
dd_s=(); h1_s=(); h2_s=(); n2_s=(); h1_cpu=(); h2_cpu=(); n2_cpu=(); h1_ratio=(); h2_ratio=(); n2_ratio=()
# timed_upload PROTOCOL NAME SECONDS_ARRAY CPU_ARRAY
timed_upload() {
  local before seconds
  before=$(cpu_ticks)
  if [[ "$1" == node ]]; then seconds=$(upload_node "$2"); else seconds=$(upload "$1" "$2"); fi
  eval "$3+=($seconds)"
  eval "$4+=($(awk -v t=$(($(cpu_ticks) - before)) -v hz="$TICK" 'BEGIN { printf "%.0f", 1000 * t / hz }'))"
}
for round in $(seq 1 "$ROUNDS"); do
  dd_s+=("$(write_dd)")
  timed_upload --http1.1 "h1-$round" h1_s h1_cpu
  timed_upload --http2 "h2-$round" h2_s h2_cpu
  timed_upload node "n2-$round" n2_s n2_cpu
  h1_ratio+=("$(awk -v u="${h1_s[-1]}" -v d="${dd_s[-1]}" 'BEGIN { printf "%.1f", 100 * d / u }')")
  h2_ratio+=("$(awk -v u="${h2_s[-1]}" -v d="${dd_s[-1]}" 'BEGIN { printf "%.1f", 100 * d / u }')")
  n2_ratio+=("$(awk -v u="${n2_s[-1]}" -v d="${dd_s[-1]}" 'BEGIN { printf "%.1f", 100 * d / u }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
each() { local out=""; for t in "$@"; do out+=" $(mbps "$t")"; done; echo "${out# }"; }
ratio() { awk -v u="$1" -v d="$2" 'BEGIN { printf "%.1f", 100 * d / u }'; }
dd_med=$(median "${dd_s[@]}"); h1_med=$(median "${h1_s[@]}"); h2_med=$(median "${h2_s[@]}"); n2_med=$(median "${n2_s[@]}")
echo "$MB MB upload vs dd, $ROUNDS alternating rounds after $((2 * ${WARMUP:-30})) warm-up uploads; $(nproc) cores; data on $(df --output=source "$WORK" | tail -1); load $(cut -d' ' -f1 /proc/loadavg)"
echo "  dd conv=fsync:        median $(mbps "$dd_med") MB/s, best $(mbps "$(best "${dd_s[@]}")")  [$(each "${dd_s[@]}")]"
echo "  upload over HTTP/1.1: median $(mbps "$h1_med") MB/s, best $(mbps "$(best "${h1_s[@]}")")  [$(each "${h1_s[@]}")], server CPU median $(median "${h1_cpu[@]}") ms"
echo "  upload over HTTP/2:   median $(mbps "$h2_med") MB/s, best $(mbps "$(best "${h2_s[@]}")")  [$(each "${h2_s[@]}")], server CPU median $(median "${h2_cpu[@]}") ms"
echo "  HTTP/2, Node client:  median $(mbps "$n2_med") MB/s, best $(mbps "$(best "${n2_s[@]}")")  [$(each "${n2_s[@]}")], server CPU median $(median "${n2_cpu[@]}") ms"
echo "  ratio of medians: HTTP/1.1 $(ratio "$h1_med" "$dd_med")% of dd, HTTP/2 $(ratio "$h2_med" "$dd_med")%, HTTP/2 from Node $(ratio "$n2_med" "$dd_med")% (target >= 80%)"
echo "  median of the rounds' ratios: HTTP/1.1 $(median "${h1_ratio[@]}")%, HTTP/2 $(median "${h2_ratio[@]}")%, HTTP/2 from Node $(median "${n2_ratio[@]}")%"
echo "    HTTP/1.1 [${h1_ratio[*]}]; HTTP/2 [${h2_ratio[*]}]; Node [${n2_ratio[*]}]"

# Downloads (no target): the last upload through its signed URL (no API key), over each protocol,
# against cat of the stored file, all from a warm page cache.
read -r FILE_ID FILE_URL < <(python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["file"]; print(f["id"], f["url"])' "$WORK/answer.json")
STORED=$(find "$DATA/files" -name "$FILE_ID" -type f)
download() {
  local out
  cat "$STORED" >/dev/null
  out=$(curl -sS "$1" --cacert "$CERT" -o /dev/null -w '%{http_code} %{time_total} %{size_download}' "$FILE_URL")
  if [[ "${out%% *}" != 200 || "${out##* }" != "$BYTES" ]]; then
    echo "download failed: $out" >&2
    exit 1
  fi
  out=${out#* }
  echo "${out%% *}"
}
read_cat() {
  local start end
  cat "$STORED" >/dev/null
  start=$(date +%s.%N)
  cat "$STORED" >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", e - s }'
}
for i in 1 2 3; do download --http1.1 >/dev/null; download --http2 >/dev/null; done
cat_s=(); d1_s=(); d2_s=()
for round in $(seq 1 "$ROUNDS"); do
  cat_s+=("$(read_cat)"); d1_s+=("$(download --http1.1)"); d2_s+=("$(download --http2)")
done
cat_med=$(median "${cat_s[@]}"); d1_med=$(median "${d1_s[@]}"); d2_med=$(median "${d2_s[@]}")
echo "$MB MB download through a signed URL vs cat of the stored file, $ROUNDS alternating rounds"
echo "  cat:                    median $(mbps "$cat_med") MB/s  [$(each "${cat_s[@]}")]"
echo "  download over HTTP/1.1: median $(mbps "$d1_med") MB/s  [$(each "${d1_s[@]}")]"
echo "  download over HTTP/2:   median $(mbps "$d2_med") MB/s  [$(each "${d2_s[@]}")]"
echo "  ratio of medians: HTTP/1.1 $(ratio "$d1_med" "$cat_med")% of cat, HTTP/2 $(ratio "$d2_med" "$cat_med")%"

rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
# parallel PROTOCOL: PARALLEL uploads at once; prints the time and the server's peak RSS above idle.
parallel() {
  local idle peak start end pids=()
  idle=$(rss VmRSS)
  # Writing 5 resets VmHWM (the peak) to the current RSS, so the peak below is this phase's alone.
  echo 5 >"/proc/$PID/clear_refs"
  start=$(date +%s.%N)
  for i in $(seq 1 "$PARALLEL"); do
    upload "$1" "parallel$1-$i" >/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  peak=$(rss VmHWM)
  echo "$PARALLEL parallel $MB MB uploads over ${1#--}: $(awk -v s="$start" -v e="$end" -v n="$PARALLEL" -v b="$BYTES" \
    'BEGIN { printf "%.1f s, %.1f MB/s together", e - s, n * b / 1048576 / (e - s) }')"
  echo "  server RSS: idle $((idle / 1024)) MiB, peak $((peak / 1024)) MiB during the uploads (+$(((peak - idle) / 1024)) MiB for $((PARALLEL * MB)) MB in flight)"
}
parallel --http1.1
parallel --http2
