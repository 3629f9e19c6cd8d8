// OrderFlow on Azure: one resource group holding the Functions app and everything it needs (see app.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and of the resource token.')
param environmentName string

@minLength(1)
@description('Primary location for all resources (must offer Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person running azd; gets Key Vault Secrets Officer so they can set the real secrets. Empty to skip.')
param principalId string = ''

@description('Kind of principal behind principalId (ServicePrincipal when azd runs in CI).')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Durable Functions task hub name (letters and digits, 3-50).')
@minLength(3)
@maxLength(50)
param taskHubName string = 'OrderFlow'

@description('Store name shown in customer emails.')
param storeName string = 'OrderFlow Store'

@description('Support address shown to customers (Reply-To). Empty: DoNotReply at the Azure-managed email domain.')
param supportEmail string = ''

@description('Address alerted when an exception case opens. Empty: the support address.')
param approverEmail string = ''

@secure()
@description('Shopify app client secret (webhook HMAC). Empty: a placeholder that fails start-up validation until set.')
param shopifyWebhookSecret string = ''

@secure()
@description('Secret locations use to sign fulfillment callbacks. Empty: a placeholder that fails start-up validation until set.')
param fulfillmentCallbackSecret string = ''

@secure()
@description('Rotation: the callback secret being replaced, still accepted on signed callbacks until removed. Empty: none.')
param fulfillmentCallbackPreviousSecret string = ''

@secure()
@description('Secret of the generic order intake POST /api/orders (at least 16 characters). Empty: a placeholder that keeps that endpoint off.')
param genericIntakeSecret string = ''

@secure()
@description('X-Api-Key of the generic order intake for senders that cannot sign (at least 32 characters, not the intake secret). Empty: only signed posts.')
param genericIntakeApiKey string = ''

@secure()
@description('Secret of the WooCommerce order.created webhook (the secret set on the webhook in WooCommerce). Empty: a placeholder that keeps that endpoint off.')
param wooCommerceWebhookSecret string = ''

@secure()
@description('Stripe secret API key (sk_live_... / sk_test_...). Empty: a placeholder.')
param stripeApiKey string = ''

@secure()
@description('Signing secret of the Stripe webhook endpoint (whsec_...). Empty: a placeholder.')
param stripeWebhookSecret string = ''

@secure()
@description('Client secret of the Intuit app that posts to QuickBooks Online. Empty: a placeholder (only needed with Adapters__Accounting=QuickBooks).')
param quickBooksClientSecret string = ''

@secure()
@description('Initial QuickBooks Online refresh token from the consent of the company; Intuit rotates it and the app keeps the newest in Tables. Empty: a placeholder.')
param quickBooksRefreshToken string = ''

@secure()
@description('EasyPost API key (EZAK... / EZTK...), used when Adapters:Carrier is EasyPost. Empty: a placeholder.')
param easyPostApiKey string = ''

@secure()
@description('webhook_secret of the EasyPost webhook that calls /api/webhooks/carrier. Empty: a placeholder.')
param easyPostWebhookSecret string = ''

@secure()
@description('Key that signs fulfillment hand-offs to 3PLs (X-OrderFlow-Signature), used by ThirdPartyApi locations without their own. Empty: a placeholder.')
param fulfillmentPartnersSigningSecret string = ''

@secure()
@description('Key that signs approval links in exception-case emails. Empty: a placeholder.')
param approvalsSigningKey string = ''

@secure()
@description('X-Operator-Key of the cases API (at least 32 characters). Empty: a placeholder.')
param operatorKey string = ''

@secure()
@description('ACS SMTP username (<acs-name>.<entra-app-id>.<tenant-id> or an SMTP Username resource). Empty: a placeholder.')
param smtpUsername string = ''

@secure()
@description('Client secret of the Entra app behind the ACS SMTP username. Empty: a placeholder.')
param smtpPassword string = ''

@secure()
@description('Slack or Teams incoming-webhook URL for case alerts (it carries a secret token). Empty: no chat alerts.')
param casesChatWebhookUrl string = ''

@description('Shopify shop domain (my-store.myshopify.com) that receives stock levels. Empty: no channel sync.')
param shopifyShopDomain string = ''

@description('OrderFlow location to Shopify location, e.g. WH-EAST=gid://shopify/Location/1;WH-WEST=2. Required with a shop domain.')
param shopifyLocations string = ''

@secure()
@description('Shopify Admin API access token for channel sync (write_inventory, read_products). Empty: a placeholder.')
param shopifyAccessToken string = ''

@description('WooCommerce store URL (https://shop.example.com) that receives stock quantities. Empty: no WooCommerce sync.')
param wooCommerceStoreUrl string = ''

@secure()
@description('WooCommerce REST API consumer key (Read/Write) for channel sync. Empty: a placeholder.')
param wooCommerceConsumerKey string = ''

@secure()
@description('WooCommerce REST API consumer secret for channel sync. Empty: a placeholder.')
param wooCommerceConsumerSecret string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
@description('A payment the sales channel reports pending (bank deposit, COD): Hold (default) or Ship.')
@allowed([
  'Hold'
  'Ship'
])
param pendingPaymentPolicy string = 'Hold'

@description('QuickBooks Online API base URL; the sandbox company URL only for a test company.')
param quickBooksBaseUrl string = 'https://quickbooks.api.intuit.com'

@description('QuickBooks company (realm) id.')
param quickBooksRealmId string = ''

@description('QuickBooks app client id.')
param quickBooksClientId string = ''

@description('QuickBooks customer every sales receipt is booked to.')
param quickBooksCustomerId string = ''

@description('QuickBooks account that receives the money.')
param quickBooksDepositAccountId string = ''

@description('QuickBooks item for SKUs without their own mapping.')
param quickBooksDefaultItemId string = ''

@description('QuickBooks account for discounts.')
param quickBooksDiscountAccountId string = ''

@description('QuickBooks tax code of the receipt (empty: none).')
param quickBooksTaxCodeId string = ''

var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'app.bicep' = {
  name: 'orderflow-app'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    principalId: principalId
    principalType: principalType
    taskHubName: taskHubName
    storeName: storeName
    supportEmail: supportEmail
    approverEmail: approverEmail
    shopifyWebhookSecret: shopifyWebhookSecret
    fulfillmentCallbackSecret: fulfillmentCallbackSecret
    fulfillmentCallbackPreviousSecret: fulfillmentCallbackPreviousSecret
    genericIntakeSecret: genericIntakeSecret
    genericIntakeApiKey: genericIntakeApiKey
    wooCommerceWebhookSecret: wooCommerceWebhookSecret
    stripeApiKey: stripeApiKey
    stripeWebhookSecret: stripeWebhookSecret
    quickBooksClientSecret: quickBooksClientSecret
    quickBooksRefreshToken: quickBooksRefreshToken
    easyPostApiKey: easyPostApiKey
    easyPostWebhookSecret: easyPostWebhookSecret
    fulfillmentPartnersSigningSecret: fulfillmentPartnersSigningSecret
    approvalsSigningKey: approvalsSigningKey
    operatorKey: operatorKey
    smtpUsername: smtpUsername
    smtpPassword: smtpPassword
    casesChatWebhookUrl: casesChatWebhookUrl
    shopifyShopDomain: shopifyShopDomain
    shopifyLocations: shopifyLocations
    shopifyAccessToken: shopifyAccessToken
    wooCommerceStoreUrl: wooCommerceStoreUrl
    wooCommerceConsumerKey: wooCommerceConsumerKey
    wooCommerceConsumerSecret: wooCommerceConsumerSecret
    pendingPaymentPolicy: pendingPaymentPolicy
    quickBooksBaseUrl: quickBooksBaseUrl
    quickBooksRealmId: quickBooksRealmId
    quickBooksClientId: quickBooksClientId
    quickBooksCustomerId: quickBooksCustomerId
    quickBooksDepositAccountId: quickBooksDepositAccountId
    quickBooksDefaultItemId: quickBooksDefaultItemId
    quickBooksDiscountAccountId: quickBooksDiscountAccountId
    quickBooksTaxCodeId: quickBooksTaxCodeId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output SERVICE_API_NAME string = app.outputs.functionAppName
output SERVICE_API_URI string = app.outputs.functionAppUri
// Where to point the webhooks (the postprovision hook prints both). The Stripe route answers once the Stripe intake ships.
output SHOPIFY_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/shopify/orders-create'
output SHOPIFY_CANCELLED_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/shopify/orders-cancelled'
output SHOPIFY_PAID_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/shopify/orders-paid'
output STRIPE_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/stripe'
output CARRIER_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/carrier'
output WOOCOMMERCE_WEBHOOK_URL string = '${app.outputs.functionAppUri}/api/webhooks/woocommerce/orders'
output AZURE_STORAGE_ACCOUNT_NAME string = app.outputs.storageAccountName
output AZURE_KEY_VAULT_NAME string = app.outputs.keyVaultName
output AZURE_KEY_VAULT_ENDPOINT string = app.outputs.keyVaultUri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = app.outputs.identityClientId
output AZURE_COMMUNICATION_SERVICE_NAME string = app.outputs.communicationServiceName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = app.outputs.applicationInsightsConnectionString
output ORDERFLOW_TASK_HUB string = taskHubName
output SMTP_HOST string = app.outputs.smtpHost
output SMTP_PORT string = app.outputs.smtpPort
output SMTP_FROM_ADDRESS string = app.outputs.smtpFromAddress
output STORE_NAME string = storeName
output STORE_SUPPORT_EMAIL string = app.outputs.supportEmail
