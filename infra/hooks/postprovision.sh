#!/bin/sh
# azd postprovision hook: writes src/OrderFlow.Functions/local.settings.json for `func start` on this machine,
# from the azd environment (azd exports the main.bicep outputs and `azd env set` values to this script).
# Local runs use Azurite and smtp4dev, never the Azure resources. Webhook secrets come from the azd environment when
# set there (SHOPIFY_WEBHOOK_SECRET, WOOCOMMERCE_WEBHOOK_SECRET, FULFILLMENT_CALLBACK_SECRET,
# STRIPE_WEBHOOK_SECRET), so a tunnelled local app can
# verify real deliveries; every other secret (Stripe API key, approval signing key, SMTP credentials) stays a
# local-only placeholder, so production credentials never land on disk. Finally prints the webhook URLs to register.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
target="$root/src/OrderFlow.Functions/local.settings.json"

json() {
  # JSON string literal of $1 (escapes backslash and double quote; values are single-line).
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

task_hub="${ORDERFLOW_TASK_HUB:-OrderFlow}"
store_name="${STORE_NAME:-OrderFlow Store}"
support_email="${STORE_SUPPORT_EMAIL:-support@orderflow.localhost}"
approver_email="${CASES_APPROVER_EMAIL:-$support_email}"
shopify_secret="${SHOPIFY_WEBHOOK_SECRET:-local-dev-shopify-secret}"
woocommerce_secret="${WOOCOMMERCE_WEBHOOK_SECRET:-local-dev-woocommerce-secret}"
callback_secret="${FULFILLMENT_CALLBACK_SECRET:-local-dev-fulfillment-secret}"
stripe_webhook_secret="${STRIPE_WEBHOOK_SECRET:-whsec_local_dev_placeholder}"

if [ -f "$target" ]; then
  cp "$target" "$target.bak"
  echo "postprovision: previous local.settings.json kept as local.settings.json.bak"
fi

umask 077
cat > "$target" <<JSON
{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "OrderFlowTaskHub": $(json "$task_hub"),
    "ChannelSyncSchedule": "*/30 * * * * *",
    "ReservationReaperSchedule": "0 */15 * * * *",
    "WatchdogSchedule": "0 */15 * * * *",
    "Intake__ShopifyWebhookSecret": $(json "$shopify_secret"),
    "Intake__WooCommerceWebhookSecret": $(json "$woocommerce_secret"),
    "Intake__FulfillmentCallbackSecret": $(json "$callback_secret"),
    "Stripe__ApiKey": "sk_test_local_dev_placeholder",
    "Stripe__WebhookSecret": $(json "$stripe_webhook_secret"),
    "Approvals__SigningKey": "local-dev-approvals-signing-key-not-for-production",
    "Approvals__PublicBaseUrl": "http://localhost:7071",
    "Operations__OperatorKey": "local-dev-operator-key-not-for-production",
    "Storage__ConnectionString": "UseDevelopmentStorage=true",
    "Storage__TablePrefix": "",
    "Smtp__Host": "127.0.0.1",
    "Smtp__Port": "2526",
    "Smtp__Security": "None",
    "Smtp__Username": "",
    "Smtp__Password": "",
    "Smtp__FromAddress": "orders@orderflow.localhost",
    "Smtp__FromName": $(json "$store_name"),
    "Store__StoreName": $(json "$store_name"),
    "Store__SupportEmail": $(json "$support_email"),
    "Store__HelpUrl": "http://localhost:7071/",
    "Store__OrderStatusBaseUrl": "http://localhost:7071/api/orders",
    "Cases__ApproverEmail": $(json "$approver_email")
  }
}
JSON
echo "postprovision: wrote $target (Azurite + smtp4dev; task hub $task_hub)"
if [ -n "${SHOPIFY_WEBHOOK_URL:-}" ]; then
  echo "postprovision: Shopify orders/create webhook URL: $SHOPIFY_WEBHOOK_URL"
fi
if [ -n "${SHOPIFY_PAID_WEBHOOK_URL:-}" ]; then
  echo "postprovision: Shopify orders/paid webhook URL: $SHOPIFY_PAID_WEBHOOK_URL"
fi
if [ -n "${SHOPIFY_CANCELLED_WEBHOOK_URL:-}" ]; then
  echo "postprovision: Shopify orders/cancelled webhook URL: $SHOPIFY_CANCELLED_WEBHOOK_URL"
fi
if [ -n "${WOOCOMMERCE_WEBHOOK_URL:-}" ]; then
  echo "postprovision: WooCommerce order.created webhook URL: $WOOCOMMERCE_WEBHOOK_URL"
fi
if [ -n "${STRIPE_WEBHOOK_URL:-}" ]; then
  echo "postprovision: Stripe webhook URL (once the Stripe intake is deployed): $STRIPE_WEBHOOK_URL"
fi
if [ -n "${CARRIER_WEBHOOK_URL:-}" ]; then
  echo "postprovision: EasyPost tracker webhook URL (create it with webhook_secret = EASYPOST_WEBHOOK_SECRET): $CARRIER_WEBHOOK_URL"
fi
