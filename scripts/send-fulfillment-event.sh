#!/usr/bin/env bash
# Posts a location's signed callback for a fulfillment to the local host, signed as docs/fulfillment.md "Signed callbacks" describes
# (X-OrderFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.POST.{path}.{body}">).
# Usage: scripts/send-fulfillment-event.sh <fulfillmentId> [picked|shipped|rejected] [secret]
#   (secret: the location's own FulfillmentPartners key; default Intake__FulfillmentCallbackSecret)
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/local-env.sh"
HOST_URL="${HOST_URL:-http://127.0.0.1:5080}"
FULFILLMENT_ID="${1:?usage: $0 <fulfillmentId> [picked|shipped|rejected] [secret]}"
STATUS="${2:-shipped}"
SECRET="${3:-$Intake__FulfillmentCallbackSecret}"
case "$STATUS" in picked|shipped|rejected) ;; *) log "status must be picked, shipped or rejected"; exit 2;; esac
case "$FULFILLMENT_ID" in *[!A-Za-z0-9._~-]*) log "'$FULFILLMENT_ID' needs percent-encoding; sign the encoded path instead"; exit 2;; esac
path="/api/fulfillments/$FULFILLMENT_ID/events"
body="{\"status\":\"$STATUS\",\"eventId\":\"local-$(date +%s%N)\",\"reason\":\"sent by scripts/send-fulfillment-event.sh\"}"
t="$(date +%s)"
v1="$(printf '%s' "$t.POST.$path.$body" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.* //')"
log "POST $path ($STATUS)"
curl -s -X POST "$HOST_URL$path" -H 'content-type: application/json' -H "X-OrderFlow-Signature: t=$t,v1=$v1" --data-binary "$body"
echo
