#!/usr/bin/env bash
# One command for a local OrderFlow: Azurite + smtp4dev + the one-machine host (persistent durable engine),
# seeded with a demo catalog. Ctrl-C stops everything. Data stays in .data/ between runs.
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/local-env.sh"
cd "$ROOT"
HOST_URL="${HOST_URL:-http://127.0.0.1:5080}"
DATA="$ROOT/.data"
mkdir -p "$DATA"

install_tools
pids=()
cleanup() { log "stopping"; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

start_azurite "$DATA/azurite" "$DATA/azurite.log"
[ -n "${AZURITE_PID:-}" ] && pids+=("$AZURITE_PID")

log "starting smtp4dev (web UI http://127.0.0.1:5055, SMTP 127.0.0.1:2526)"
dotnet tool run smtp4dev --urls=http://127.0.0.1:5055 --smtpport=2526 --imapport=1143 --db="" >"$DATA/smtp4dev.log" 2>&1 &
pids+=($!)
wait_for_port 127.0.0.1 2526 120

log "building and starting the host at $HOST_URL"
dotnet build src/OrderFlow.Host -c Release -nologo -clp:ErrorsOnly >/dev/null
(cd src/OrderFlow.Host/bin/Release/net10.0 && exec dotnet OrderFlow.Host.dll --urls "$HOST_URL") 2>&1 | tee "$DATA/host.log" &
pids+=($!)
deadline=$((SECONDS + 120))
until curl -fs "$HOST_URL/healthz" >/dev/null; do
  [ $SECONDS -ge $deadline ] && { log "host did not become healthy; see $DATA/host.log"; exit 1; }
  sleep 1
done

log "seeding the demo catalog"
curl -fs -X PUT "$HOST_URL/api/inventory/SKU-MUG" -H 'content-type: application/json' \
  -H "X-Operator-Key: $Operations__OperatorKey" \
  -d '{"title":"Stoneware Mug","locations":{"WH-EAST":25,"WH-WEST":10}}' >/dev/null
curl -fs -X PUT "$HOST_URL/api/inventory/SKU-TEE" -H 'content-type: application/json' \
  -H "X-Operator-Key: $Operations__OperatorKey" \
  -d '{"title":"Organic Tee","locations":{"WH-EAST":5,"WH-WEST":40}}' >/dev/null

cat <<MSG

  OrderFlow is running.
    API            $HOST_URL/api   (OpenAPI: $HOST_URL/openapi/v1.json)
    Emails         http://127.0.0.1:5055  (smtp4dev)
    Storage        Azurite at 127.0.0.1:10000-10002 (data in .data/azurite)

  Send a signed sample Shopify order:   scripts/send-sample-order.sh
  Order JSON (operators):  curl -H "X-Operator-Key: \$Operations__OperatorKey" $HOST_URL/api/orders/shopify-<id>
  Customer status page:    the "status" link in the order's emails (signed, expires)
  Stop with Ctrl-C.

MSG
wait
