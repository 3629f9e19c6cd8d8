# Shared helpers for OrderFlow scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[orderflow] %s\n' "$*" >&2; }

# Installs Azurite (npm, pinned by scripts/package-lock.json) and the dotnet tools (.config/dotnet-tools.json).
install_tools() {
  if [ ! -x "$ROOT/scripts/node_modules/.bin/azurite" ]; then
    log "installing Azurite (npm ci)"
    (cd "$ROOT/scripts" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  # One tool at a time: on a fresh machine a parallel restore once mixed the two packages up
  # ("dotnet-trace ... not contained in the package ... smtp4dev") and failed; a second try restores what is missing.
  (cd "$ROOT" && { dotnet tool restore --disable-parallel >/dev/null || dotnet tool restore --disable-parallel >/dev/null; })
}

# wait_for_port HOST PORT SECONDS
wait_for_port() {
  local host=$1 port=$2 deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then log "timed out waiting for $host:$port"; return 1; fi
    sleep 0.5
  done
}

# start_azurite DATA_DIR LOGFILE -> sets AZURITE_PID. Fresh data folder each run keeps task hubs independent.
start_azurite() {
  local data=$1 logfile=$2
  if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
    log "Azurite already listening on 127.0.0.1:10000-10002; reusing it"
    AZURITE_PID=""
    return 0
  fi
  mkdir -p "$data"
  "$ROOT/scripts/node_modules/.bin/azurite" --silent --skipApiVersionCheck --location "$data" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >"$logfile" 2>&1 &
  AZURITE_PID=$!
  wait_for_port 127.0.0.1 10000 60 && wait_for_port 127.0.0.1 10001 60 && wait_for_port 127.0.0.1 10002 60
  log "Azurite started (pid $AZURITE_PID, data $data)"
}
