#!/usr/bin/env bash
# Follows the README literally on a fresh clone: every ```bash block, in order, in one shell, from the
# clone's root. The comment line above each block names it (<!-- readme-test: NAME -->) and this
# script checks that the block did what the README says; a bash block without a name fails the run,
# so a new snippet cannot go untested. Only two things differ from a person at a terminal: the
# ports are free ones instead of 8443 and 8080 (URLs in the blocks are rewritten to match), and
# `wh_live_…` is replaced by the key that bootstrap printed, as the README asks the reader to do.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/hatbox-readme-XXXXXX)"
clone="$work/hatbox"
server_pid=""

cleanup() {
  # The scale-out demo, if a failure came between its start and stop blocks.
  if [[ -f "$clone/.scaleout-demo/demo.state" ]]; then
    (cd "$clone" && bash scripts/scaleout-demo.sh stop) >/dev/null 2>&1 || true
  fi
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    # The server's process group: ./hatbox execs dotnet, whose children go with it.
    kill -- "-$server_pid" 2>/dev/null || kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "README test failed: $*" >&2
  for out in "$work"/*.out; do
    [[ -f "$out" ]] && { echo "--- $(basename "$out")" >&2; tail -n 40 "$out" >&2; }
  done
  exit 1
}

# Node, which scripts/test.sh makes sure of (python3 may be missing on a fresh machine).
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

# A fresh clone of what is committed here, as a new user would have it.
git clone --quiet "$repo" "$clone"
[[ -x "$clone/hatbox" ]] || fail "./hatbox is missing or not executable in a fresh clone"
https_port=$(free_port)
http_port=$(free_port)
export HATBOX__Server__HttpsPort=$https_port HATBOX__Server__HttpPort=$http_port

# Blocks as NAME<TAB>file, in README order.
node "$repo/tests/readme/blocks.mjs" "$clone/README.md" "$work" >"$work/blocks.tsv" || fail "could not read the README's blocks"
cd "$clone"
api_key=""

while IFS=$'\t' read -r name file; do
  echo "== README block: $name"
  sed -i -e "s/localhost:8443/localhost:$https_port/g" -e "s/localhost:8080/localhost:$http_port/g" "$file"
  [[ -n "$api_key" ]] && sed -i "s/wh_live_…/$api_key/g" "$file"
  out="$work/$name.out"
  case "$name" in
    serve)
      set -m
      (source "$file") >"$out" 2>&1 &
      server_pid=$!
      set +m
      for _ in $(seq 1 600); do
        grep -q "listening on https://localhost:$https_port" "$out" && break
        kill -0 "$server_pid" 2>/dev/null || fail "serve exited"
        sleep 0.5
      done
      grep -q "listening on https://localhost:$https_port" "$out" || fail "serve did not start within 5 minutes"
      # Paths: the data folder is ./data where the command ran, with the database and the authority.
      [[ -f data/hatbox.db && -f data/tls/cert.pem ]] || fail "serve did not create ./data/hatbox.db and ./data/tls/cert.pem"
      [[ ! -e src/Hatbox/data ]] || fail "serve put data under src/Hatbox/data"
      [[ "$(stat -c %a data/tls/ca-key.pem)" == 600 ]] || fail "data/tls/ca-key.pem is not 0600"
      ;;
    trust)
      # A test changes no trust store: the same command, asked only to say what it would do.
      (source <(sed 's/tls trust$/tls trust --dry-run/' "$file")) >"$out" 2>&1 || fail "tls trust --dry-run failed"
      grep -q "data/tls/cert.pem" "$out" || fail "tls trust did not name data/tls/cert.pem"
      ;;
    bootstrap)
      source "$file" >"$out" 2>&1 || fail "bootstrap failed"
      api_key=$(node -e '
        const answer = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").pop());
        for (const field of ["userId", "organizationId", "orgKey", "workspaceId", "workspace", "apiKey", "keyId"])
          if (!answer[field]) throw new Error("bootstrap printed no " + field);
        if (answer.workspace !== "acme" || !answer.apiKey.startsWith("wh_live_")) throw new Error("unexpected bootstrap answer");
        console.log(answer.apiKey);' "$out") || fail "bootstrap did not print the JSON the README shows"
      ;;
    keys)
      source "$file" >"$out" 2>&1 || fail "keys commands failed"
      grep -q '"apiKey":"wh_live_' "$out" || fail "keys create printed no apiKey"
      [[ $(grep -c "key_" "$out") -ge 3 ]] || fail "keys list did not list the keys"
      ;;
    curl)
      source "$file" >"$out" 2>&1 || fail "curl snippet failed"
      grep -q '"status":"ok"' "$out" || fail "/health did not answer status ok"
      grep -q '"workspace":"acme"' "$out" || fail "/authentication did not answer the key's workspace"
      ;;
    sdk)
      source "$file" >"$out" 2>&1 || fail "SDK snippet failed"
      tail -n 1 "$out" | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (r.status !== "ok") process.exit(1)' \
        || fail "the SDK's health.check() did not answer status ok"
      ;;
    scaleout)
      source "$file" >"$out" 2>&1 || fail "the scale-out demo did not start"
      demo_key=$(sed -n 's/^API key (shown once[^:]*: \(wh_live_[^ ]*\)$/\1/p' "$out")
      [[ -n "$demo_key" ]] || fail "the scale-out demo printed no API key"
      mapfile -t demo_urls < <(grep -oE '^  https://127\.0\.0\.1:[0-9]+' "$out" | tr -d ' ')
      [[ ${#demo_urls[@]} -eq 3 ]] || fail "the scale-out demo did not print three node addresses"
      demo_ca="$clone/.scaleout-demo/node1/tls/cert.pem"
      grep -qF -- "--cacert $demo_ca" "$out" || fail "the scale-out demo did not say how to call a node with --cacert"
      # Each node, with the one authority it printed: healthy on every store, and the one key works on all.
      for url in "${demo_urls[@]}"; do
        curl -sS --cacert "$demo_ca" "$url/health" | grep -q '"status":"ok".*"platform":"ok","tenants":"ok","redis":"ok","storage":"ok"' \
          || fail "$url/health is not ok on every store"
        curl -sS --cacert "$demo_ca" -X POST "$url/authentication" -H "Authorization: Bearer $demo_key" | grep -q '"workspace":"demo"' \
          || fail "$url/authentication did not answer the demo key's workspace"
      done
      # Started again, it starts nothing new and prints the same addresses.
      demo_pids=$(grep -E '^(node[123]|redis)_pid=' .scaleout-demo/demo.state | sort)
      bash scripts/scaleout-demo.sh start >"$work/scaleout-again.out" 2>&1 || fail "a second start of the scale-out demo failed"
      [[ "$(grep -E '^(node[123]|redis)_pid=' .scaleout-demo/demo.state | sort)" == "$demo_pids" ]] || fail "a second start restarted running nodes"
      for url in "${demo_urls[@]}"; do grep -qF "$url" "$work/scaleout-again.out" || fail "a second start did not print $url"; done
      ;;
    scaleout-stop)
      demo_pids=$(sed -n 's/^\(node[123]\|redis\)_pid=//p' .scaleout-demo/demo.state)
      services_root=$(sed -n 's/^root=//p' .scaleout-demo/services.state)
      source "$file" >"$out" 2>&1 || fail "the scale-out demo did not stop"
      for pid in $demo_pids; do ! kill -0 "$pid" 2>/dev/null || fail "the scale-out demo left process $pid running"; done
      [[ ! -e .scaleout-demo && ! -e "$services_root" ]] || fail "the scale-out demo left its folders behind"
      ;;
    skip)
      echo "   (not run: $(head -n 1 "$file"))"
      ;;
    *)
      fail "README bash block '$name' has no check here: add one to tests/readme/run.sh"
      ;;
  esac
done <"$work/blocks.tsv"

for needed in serve bootstrap curl sdk; do
  grep -q "^$needed"$'\t' "$work/blocks.tsv" || fail "the README has no '$needed' block"
done
# The README links only inside the repository.
if grep -nE '\]\((\.\./|/work/)' "$clone/README.md" "$clone"/docs/*.md; then
  fail "a link leaves the repository"
fi
echo "README followed literally: every block did what it says."
