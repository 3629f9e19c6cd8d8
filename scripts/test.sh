#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs tools, starts Azurite, runs every test project.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
install_tools
# Headless Chromium (Debian package) for the browser tests; Playwright drives this system browser, it downloads none.
if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH="$(command -v chromium)"
RUN_DIR="$(mktemp -d /tmp/orderflow-test.XXXXXX)"
start_azurite "$RUN_DIR/azurite" "$RUN_DIR/azurite.log"
cleanup() { [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null || true; }
trap cleanup EXIT
export AZURITE_CONNECTION="UseDevelopmentStorage=true"
dotnet build OrderFlow.sln -c Release -nologo -clp:ErrorsOnly
log "building and linting infra/*.bicep"
sh infra/build-bicep.sh
log "publishing the Functions app and checking its output"
bash scripts/publish-check.sh
status=0
dotnet test OrderFlow.sln -c Release --no-build -nologo "$@" | tee "$RUN_DIR/test.log" || status=$?
# One minute of the one-machine host under load, faults, SIGKILLs and a storage outage; fails on a broken invariant.
log "soak: 1 minute (tools/OrderFlow.Soak; its own Azurite on free ports)"
soak_status=0
dotnet run --project tools/OrderFlow.Soak -c Release --no-build -- --minutes 1 | tee "$RUN_DIR/soak.log" || soak_status=$?
if [ "$soak_status" -ne 0 ]; then status=1; fi
# One plain closing line for CI: totals over every test assembly.
passed=$(grep -Eo 'Passed: +[0-9]+' "$RUN_DIR/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$RUN_DIR/test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$RUN_DIR/test.log" | awk '{s+=$2} END {print s+0}')
if [ "$soak_status" -eq 0 ]; then echo "soak: every invariant held"; else echo "soak: FAILED (exit $soak_status; see above)"; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
