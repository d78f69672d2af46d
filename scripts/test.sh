#!/usr/bin/env bash
# Runs every test, on a fresh machine too: installs what is missing, builds, checks formatting,
# runs the .NET tests, then the official WorqHat SDK against a real server, then the README as written.
# It installs only packages that are missing and upgrades none (apt-get --no-upgrade).
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n== %s\n' "$*"; }

section "prerequisites"
# What this script does not install itself; each missing one is named before anything runs.
problems=()
sdk_wanted=$(sed -n 's/.*"version": *"\([0-9.]*\)".*/\1/p' global.json | head -1)
if ! command -v dotnet >/dev/null; then
  problems+=("the .NET SDK $sdk_wanted (global.json; https://dot.net) is not installed")
elif ! dotnet --version >/dev/null 2>&1; then
  problems+=("the .NET SDK $sdk_wanted or a later feature band of ${sdk_wanted%.*} (global.json) is not installed; found: $(dotnet --list-sdks | tr '\n' ' ')")
fi
if command -v node >/dev/null; then
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || problems+=("Node.js 20 or later is needed for the SDK tests; found $(node --version)")
elif [ "$(id -u)" -ne 0 ]; then
  problems+=("Node.js 20 or later is not installed, and installing it with apt-get needs root")
fi
if [ ${#problems[@]} -gt 0 ]; then
  printf 'scripts/test.sh cannot run:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 2
fi

section "tools"
missing=()
command -v node >/dev/null || missing+=(nodejs npm)
# The portal tests drive Debian's Chromium (Playwright cannot download browsers here).
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
# The Redis tests start their own redis-server on a free loopback port; no Redis service is needed.
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
# `hatbox tls trust` and the browser journey trust the local authority in an NSS database of a temporary home.
[ -x /usr/bin/certutil ] || missing+=(libnss3-tools)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh cannot run: missing ${missing[*]}, and apt-get needs root (run as root, or install them)." >&2
    exit 2
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${missing[@]}"
fi
dotnet tool restore

section "build"
dotnet restore Hatbox.slnx
dotnet build Hatbox.slnx -c Release --no-restore
dotnet format Hatbox.slnx --verify-no-changes --no-restore

section "scale-out services (PostgreSQL 15 and the S3 stand-in on 127.0.0.1, stopped at exit)"
# Sets HATBOX_TEST_POSTGRES and HATBOX_TEST_S3, so the ScaleOut tests run instead of skipping.
eval "$(scripts/services.sh start)"
trap 'scripts/services.sh stop' EXIT
# The external sign-in tests start a local OpenID Connect provider (npm oauth2-mock-server) from here.
(cd tests/oidc && npm ci --no-audit --no-fund)

section ".NET tests (unit, HTTP, and the portal in headless Chromium)"
dotnet test Hatbox.slnx -c Release --no-build

section ".NET HTTP tests again with platform data on PostgreSQL and files on S3"
# The tests that look inside SQLite files or the data folder, or restart a server process on it,
# test the embedded stores and stay out (docs/scale-out.md).
HATBOX_TEST_PLATFORM=postgres HATBOX_TEST_STORAGE=s3 dotnet test tests/Hatbox.Tests -c Release --no-build -- \
  --filter-namespace Hatbox.Tests.ApiKeys --filter-namespace Hatbox.Tests.Storage --filter-namespace Hatbox.Tests.Management \
  --filter-namespace Hatbox.Tests.Idempotency --filter-namespace Hatbox.Tests.Usage --filter-namespace Hatbox.Tests.Domains \
  --filter-namespace Hatbox.Tests.Db --filter-namespace Hatbox.Tests.Flows --filter-namespace Hatbox.Tests.Ai \
  --filter-not-class Hatbox.Tests.Ai.SearchCommandTests \
  --filter-not-class Hatbox.Tests.Flows.FlowCrashTests \
  --filter-not-class Hatbox.Tests.Storage.UploadCrashTests \
  --filter-not-class Hatbox.Tests.Db.DbDurabilityTests \
  --filter-not-class Hatbox.Tests.Db.SynchronousFullTests --filter-not-class Hatbox.Tests.Usage.UsageDurabilityTests \
  --filter-not-class Hatbox.Tests.Db.DbFairnessTests \
  --filter-not-method Hatbox.Tests.Storage.DownloadUrlTests.TheSigningKeyIsMadeOnceAndReadableOnlyByTheServer

section "SDK tests (worqhat@3.14.0 against hatbox serve)"
(cd tests/sdk && npm ci --no-audit --no-fund && npm test)

section "SDK tests again on three nodes sharing PostgreSQL, Redis and S3, calls spread across them"
# tests/sdk/cluster.mjs: a redis-server of its own, the services above, a round-robin TCP proxy.
(cd tests/sdk && HATBOX_SDK_NODES=3 npm test)

section "README, followed literally on a fresh clone"
bash tests/readme/run.sh
