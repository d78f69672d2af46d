#!/usr/bin/env bash
# Runs every test, on a fresh machine too: installs what is missing, builds, checks formatting,
# runs the .NET tests, then the official WorqHat SDK against a real server, then the README as written.
# It installs only packages that are missing and upgrades none (apt-get --no-upgrade).
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n== %s\n' "$*"; }

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
  --filter-namespace Hatbox.Tests.Db \
  --filter-not-class Hatbox.Tests.Storage.UploadCrashTests \
  --filter-not-class Hatbox.Tests.Db.DbDurabilityTests \
  --filter-not-class Hatbox.Tests.Db.SynchronousFullTests --filter-not-class Hatbox.Tests.Usage.UsageDurabilityTests \
  --filter-not-class Hatbox.Tests.Db.DbFairnessTests \
  --filter-not-method Hatbox.Tests.Storage.DownloadUrlTests.TheSigningKeyIsMadeOnceAndReadableOnlyByTheServer

section "SDK tests (worqhat@3.14.0 against hatbox serve)"
(cd tests/sdk && npm ci --no-audit --no-fund && npm test)

section "README, followed literally on a fresh clone"
bash tests/readme/run.sh
