#!/usr/bin/env bash
# The one test command (see README): builds the solution, runs every test project and prints
# "N passed, N failed" with totals over all projects as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."

# The dashboard's browser test drives Debian's chromium (never a downloaded browser); CI runs as root.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh | grep -q .; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  fi
fi

# Azurite (the Azure Blob emulator) for the blob store tests: the pinned version in tests/tools/azurite, installed with
# npm ci when missing or different. The tests start it themselves on a free loopback port and stop it when they end.
azurite_dir=tests/tools/azurite
azurite_wanted=$(node -p "require('./$azurite_dir/package.json').dependencies.azurite" 2>/dev/null)
azurite_have=$(node -p "require('./$azurite_dir/node_modules/azurite/package.json').version" 2>/dev/null)
if [ -z "$azurite_wanted" ] || [ "$azurite_wanted" != "$azurite_have" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
  fi
  echo "installing Azurite $azurite_wanted into $azurite_dir"
  (cd "$azurite_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) || {
    echo "npm ci in $azurite_dir failed"
    echo "0 passed, 1 failed"
    exit 1
  }
fi

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Backflow.sln --configuration Release -warnaserror 2>&1 | tail -n 30
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" -ne 0 ]; then
  echo "build failed (exit $build_rc)"
  echo "0 passed, 1 failed"
  exit 1
fi

# --blame-hang-timeout turns a hung test into a dump and a failure instead of a stuck CI run.
dotnet test Backflow.sln --configuration Release --no-build \
  --blame-hang-timeout 15m \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@"
test_rc=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

# A crashed test host leaves no counters behind; never let that read as success.
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$test_rc" -eq 0 ] && [ "$failed" -eq 0 ]
