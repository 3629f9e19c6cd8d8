#!/usr/bin/env bash
# Signs samples/shopify-order.json like Shopify does, posts it to the local host and follows the order.
# Usage: scripts/send-sample-order.sh [shopify-order-id]   (a new id each call unless given)
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/local-env.sh"
HOST_URL="${HOST_URL:-http://127.0.0.1:5080}"
ORDER_ID="${1:-$(date +%s%N | cut -c1-13)}"
# A real Shopify Payments order: financial_status "paid", no payment_intent_id note attribute (Shopify is the payment authority).
body="$(sed -e "0,/\"id\": [0-9]*/s//\"id\": $ORDER_ID/" -e "s#gid://shopify/Order/[0-9]*#gid://shopify/Order/$ORDER_ID#" "$ROOT/samples/shopify-order.json")"
hmac="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$Intake__ShopifyWebhookSecret" -binary | base64)"
log "POST order $ORDER_ID"
curl -s -X POST "$HOST_URL/api/webhooks/shopify/orders-create" \
  -H 'content-type: application/json' -H "X-Shopify-Hmac-Sha256: $hmac" \
  -H "X-Shopify-Webhook-Id: sample-$ORDER_ID" -H 'X-Shopify-Topic: orders/create' \
  -H 'X-Shopify-Shop-Domain: orderflow-demo.myshopify.com' -H 'X-Shopify-API-Version: 2026-04' --data-binary "$body"
echo
for _ in $(seq 1 60); do
  status="$(curl -s -H "X-Operator-Key: $Operations__OperatorKey" "$HOST_URL/api/orders/shopify-$ORDER_ID" | grep -o '"status":"[A-Za-z]*"' | head -1 | cut -d'"' -f4)"
  log "order shopify-$ORDER_ID: ${status:-pending}"
  case "$status" in Fulfilled|Cancelled|OnHold) break;; esac
  sleep 2
done
curl -s -H "X-Operator-Key: $Operations__OperatorKey" "$HOST_URL/api/orders/shopify-$ORDER_ID"; echo
