#!/usr/bin/env bash
# Runs every test, on a fresh machine too: installs what is missing, builds, checks formatting,
# runs the .NET tests, then the official WorqHat SDK against a real server.
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
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
dotnet tool restore

section "build"
dotnet restore Hatbox.slnx
dotnet build Hatbox.slnx -c Release --no-restore
dotnet format Hatbox.slnx --verify-no-changes --no-restore

# The external sign-in tests start a local OpenID Connect provider (npm oauth2-mock-server) from here.
(cd tests/oidc && npm ci --no-audit --no-fund)

section ".NET tests (unit, HTTP, and the portal in headless Chromium)"
dotnet test Hatbox.slnx -c Release --no-build

section "SDK tests (worqhat@3.14.0 against hatbox serve)"
(cd tests/sdk && npm ci --no-audit --no-fund && npm test)
