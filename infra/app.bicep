// Everything OrderFlow runs on, in one resource group: Flex Consumption Function App (.NET 10 isolated) with a
// user-assigned identity, identity-only storage (task hub + app tables/queues + deployment package), Key Vault for
// secrets (app settings are Key Vault references), Log Analytics + Application Insights, and Azure Communication
// Services Email (the app sends through its SMTP relay with MailKit).

param location string
param tags object
@description('uniqueString(subscription, environment, location): 13 characters.')
@minLength(13)
@maxLength(13)
param resourceToken string
param principalId string

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string
param taskHubName string
param storeName string
param supportEmail string
param approverEmail string

// Secrets: each lands in Key Vault and reaches the app as a Key Vault reference (see `secrets` below).
@secure()
param shopifyWebhookSecret string

@secure()
param fulfillmentCallbackSecret string

@secure()
param fulfillmentCallbackPreviousSecret string

@secure()
param genericIntakeSecret string

@secure()
param genericIntakeApiKey string

@secure()
param wooCommerceWebhookSecret string

@secure()
param stripeApiKey string

@secure()
param stripeWebhookSecret string

@secure()
param quickBooksClientSecret string

@secure()
param quickBooksRefreshToken string

@secure()
param easyPostApiKey string

@secure()
param easyPostWebhookSecret string

@secure()
param fulfillmentPartnersSigningSecret string

@secure()
param approvalsSigningKey string

@secure()
param operatorKey string

@secure()
param smtpUsername string

@secure()
param smtpPassword string

@secure()
param casesChatWebhookUrl string

@description('Shopify shop domain for channel sync; empty turns it off.')
param shopifyShopDomain string

@description('OrderFlow location to Shopify location mapping (Channels:Shopify:Locations).')
param shopifyLocations string

@secure()
param shopifyAccessToken string

@description('WooCommerce store URL for channel sync (Channels:WooCommerce:StoreUrl); empty turns it off.')
param wooCommerceStoreUrl string

@secure()
param wooCommerceConsumerKey string

@secure()
param wooCommerceConsumerSecret string

@description('A payment the sales channel reports pending (bank deposit, COD): Hold or Ship (Payments:PendingPolicy).')
@allowed([
  'Hold'
  'Ship'
])
param pendingPaymentPolicy string

@description('QuickBooks Online API base URL (production: https://quickbooks.api.intuit.com).')
param quickBooksBaseUrl string

@description('QuickBooks company (realm) id.')
param quickBooksRealmId string

@description('QuickBooks app client id (the client secret is in Key Vault).')
param quickBooksClientId string

@description('QuickBooks customer every sales receipt is booked to.')
param quickBooksCustomerId string

@description('QuickBooks account that receives the money.')
param quickBooksDepositAccountId string

@description('QuickBooks item for SKUs without their own mapping.')
param quickBooksDefaultItemId string

@description('QuickBooks account for discounts.')
param quickBooksDiscountAccountId string

@description('QuickBooks tax code of the receipt (empty: no tax code).')
param quickBooksTaxCodeId string

@description('Most instances Flex Consumption may scale the app out to.')
param maximumInstanceCount int = 40

@description('Memory per instance (MB): 2048 is the Flex default.')
param instanceMemoryMB int = 2048

var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'deployment-package'
// Shorter than the 8-character minimum the app enforces, so an app whose secret was never set refuses to start.
var unsetSecret = 'UNSET'

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// ---------------------------------------------------------------- identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: tags
}

// ---------------------------------------------------------------- monitoring

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry only with Entra auth (the app's identity has Monitoring Metrics Publisher).
    DisableLocalAuth: true
  }
}

// ---------------------------------------------------------------- storage

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// ---------------------------------------------------------------- key vault

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// Secret name (Key Vault allows letters, digits, dashes) -> the app setting that references it. An empty parameter
// (azd env value not set) stores the UNSET placeholder, which the app refuses where it validates the secret.
// Every provision rewrites every secret, so change one with `azd env set NAME value` + `azd provision`.
var secrets = [
  {
    name: 'Intake--ShopifyWebhookSecret'
    setting: 'Intake__ShopifyWebhookSecret'
    value: empty(shopifyWebhookSecret) ? unsetSecret : shopifyWebhookSecret
  }
  {
    name: 'Intake--FulfillmentCallbackSecret'
    setting: 'Intake__FulfillmentCallbackSecret'
    value: empty(fulfillmentCallbackSecret) ? unsetSecret : fulfillmentCallbackSecret
  }
  {
    name: 'Intake--FulfillmentCallbackPreviousSecret'
    setting: 'Intake__FulfillmentCallbackPreviousSecret'
    value: empty(fulfillmentCallbackPreviousSecret) ? unsetSecret : fulfillmentCallbackPreviousSecret
  }
  {
    name: 'Intake--GenericSecret'
    setting: 'Intake__GenericSecret'
    value: empty(genericIntakeSecret) ? unsetSecret : genericIntakeSecret
  }
  {
    name: 'Intake--GenericApiKey'
    setting: 'Intake__GenericApiKey'
    value: empty(genericIntakeApiKey) ? unsetSecret : genericIntakeApiKey
  }
  {
    name: 'Intake--WooCommerceWebhookSecret'
    setting: 'Intake__WooCommerceWebhookSecret'
    value: empty(wooCommerceWebhookSecret) ? unsetSecret : wooCommerceWebhookSecret
  }
  {
    name: 'Stripe--ApiKey'
    setting: 'Stripe__ApiKey'
    value: empty(stripeApiKey) ? unsetSecret : stripeApiKey
  }
  {
    name: 'Stripe--WebhookSecret'
    setting: 'Stripe__WebhookSecret'
    value: empty(stripeWebhookSecret) ? unsetSecret : stripeWebhookSecret
  }
  {
    name: 'QuickBooks--ClientSecret'
    setting: 'QuickBooks__ClientSecret'
    value: empty(quickBooksClientSecret) ? unsetSecret : quickBooksClientSecret
  }
  {
    // Only the initial token: Intuit rotates it, and the app keeps the newest in the OAuthTokens table.
    name: 'QuickBooks--RefreshToken'
    setting: 'QuickBooks__RefreshToken'
    value: empty(quickBooksRefreshToken) ? unsetSecret : quickBooksRefreshToken
  }
  {
    name: 'EasyPost--ApiKey'
    setting: 'EasyPost__ApiKey'
    value: empty(easyPostApiKey) ? unsetSecret : easyPostApiKey
  }
  {
    name: 'EasyPost--WebhookSecret'
    setting: 'EasyPost__WebhookSecret'
    value: empty(easyPostWebhookSecret) ? unsetSecret : easyPostWebhookSecret
  }
  {
    // Needed only once a Routing location's Method is ThirdPartyApi without its own secret; the app then refuses UNSET.
    name: 'FulfillmentPartners--SigningSecret'
    setting: 'FulfillmentPartners__SigningSecret'
    value: empty(fulfillmentPartnersSigningSecret) ? unsetSecret : fulfillmentPartnersSigningSecret
  }
  {
    name: 'Approvals--SigningKey'
    setting: 'Approvals__SigningKey'
    value: empty(approvalsSigningKey) ? unsetSecret : approvalsSigningKey
  }
  {
    name: 'Operations--OperatorKey'
    setting: 'Operations__OperatorKey'
    value: empty(operatorKey) ? unsetSecret : operatorKey
  }
  {
    name: 'Smtp--Username'
    setting: 'Smtp__Username'
    value: empty(smtpUsername) ? unsetSecret : smtpUsername
  }
  {
    name: 'Smtp--Password'
    setting: 'Smtp__Password'
    value: empty(smtpPassword) ? unsetSecret : smtpPassword
  }
  {
    // Optional: the app treats UNSET as "no chat alerts".
    name: 'Cases--ChatWebhookUrl'
    setting: 'Cases__ChatWebhookUrl'
    value: empty(casesChatWebhookUrl) ? unsetSecret : casesChatWebhookUrl
  }
  {
    // Needed only once Channels__Shopify__ShopDomain is set; the app then refuses UNSET.
    name: 'Channels--Shopify--AccessToken'
    setting: 'Channels__Shopify__AccessToken'
    value: empty(shopifyAccessToken) ? unsetSecret : shopifyAccessToken
  }
  {
    // Needed only once Channels__WooCommerce__StoreUrl is set; the app then refuses UNSET.
    name: 'Channels--WooCommerce--ConsumerKey'
    setting: 'Channels__WooCommerce__ConsumerKey'
    value: empty(wooCommerceConsumerKey) ? unsetSecret : wooCommerceConsumerKey
  }
  {
    name: 'Channels--WooCommerce--ConsumerSecret'
    setting: 'Channels__WooCommerce__ConsumerSecret'
    value: empty(wooCommerceConsumerSecret) ? unsetSecret : wooCommerceConsumerSecret
  }
]

resource keyVaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in secrets: {
    parent: keyVault
    name: secret.name
    properties: {
      value: secret.value
      contentType: 'text/plain'
    }
  }
]

// ---------------------------------------------------------------- email (Azure Communication Services)

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'ecs-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: 'United States'
  }
}

resource emailDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: 'United States'
    linkedDomains: [
      emailDomain.id
    ]
  }
}

var fromAddress = 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}'
var effectiveSupportEmail = empty(supportEmail) ? fromAddress : supportEmail
var effectiveApproverEmail = empty(approverEmail) ? effectiveSupportEmail : approverEmail

// ---------------------------------------------------------------- function app (Flex Consumption)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

var baseAppSettings = {
  // Host storage and the Durable task hub, identity-based (the account allows no shared keys).
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  OrderFlowTaskHub: taskHubName
  // NCRONTAB schedule of the daily reconciliation timer (previous UTC day's orders), read by the Functions host.
  ReconciliationSchedule: '0 0 2 * * *'
  // OrderFlow's own tables and queues: same account, same identity (OrderFlow.Functions' IdentityStorageOptions).
  Storage__TableServiceUri: storage.properties.primaryEndpoints.table
  Storage__QueueServiceUri: storage.properties.primaryEndpoints.queue
  Storage__ClientId: identity.properties.clientId
  Smtp__Host: 'smtp.azurecomm.net'
  Smtp__Port: '587'
  Smtp__Security: 'StartTls'
  Smtp__FromAddress: fromAddress
  Smtp__FromName: storeName
  Store__StoreName: storeName
  Store__SupportEmail: effectiveSupportEmail
  Store__HelpUrl: 'https://${functionApp.properties.defaultHostName}/'
  Store__OrderStatusBaseUrl: 'https://${functionApp.properties.defaultHostName}/api/orders'
  Cases__ApproverEmail: effectiveApproverEmail
  Approvals__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
  // Channel sync: the timer's NCRONTAB schedule, and the Shopify store (empty domain: nothing is pushed).
  ChannelSyncSchedule: '*/30 * * * * *'
  // Reservation reaper: releases holds of orders whose workflow no longer runs.
  ReservationReaperSchedule: '0 */15 * * * *'
  // Watchdog: a case for each failed/terminated order workflow and each order stuck in a status (Watchdog__StuckAfter__*).
  WatchdogSchedule: '0 */15 * * * *'
  Channels__Shopify__ShopDomain: shopifyShopDomain
  Channels__Shopify__Locations: shopifyLocations
  Channels__WooCommerce__StoreUrl: wooCommerceStoreUrl
  // Production runs on the real adapters only: the app refuses a Sandbox adapter in Production unless
  // Adapters__AllowSandboxInProduction is true, which the template never sets.
  AZURE_FUNCTIONS_ENVIRONMENT: 'Production'
  Adapters__Payment: 'Stripe'
  Adapters__Carrier: 'EasyPost'
  Adapters__Accounting: 'QuickBooks'
  Adapters__Fulfillment: 'Queue'
  Adapters__AllowSandboxInProduction: 'false'
  Payments__PendingPolicy: pendingPaymentPolicy
  QuickBooks__BaseUrl: quickBooksBaseUrl
  QuickBooks__RealmId: quickBooksRealmId
  QuickBooks__ClientId: quickBooksClientId
  QuickBooks__CustomerId: quickBooksCustomerId
  QuickBooks__DepositAccountId: quickBooksDepositAccountId
  QuickBooks__DefaultItemId: quickBooksDefaultItemId
  QuickBooks__DiscountAccountId: quickBooksDiscountAccountId
  QuickBooks__TaxCodeId: quickBooksTaxCodeId
}

// Secrets never appear as values: each setting is a reference the platform resolves with the app's identity.
var secretAppSettings = toObject(
  secrets,
  secret => secret.setting,
  secret => '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=${secret.name})'
)

// The template owns exactly the keys of baseAppSettings and secretAppSettings. Every other setting already on the app
// (list-shaped ones set by hand: EasyPost__FromAddresses__N__*, Routing__Locations__N__*, partner endpoints, QuickBooks
// item and tax maps) is read back and kept, so a provision never drops what an operator added; an owned key is
// always reset to the template's value.
var operatorAppSettings = list('${functionApp.id}/config/appsettings', '2024-04-01').properties

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(operatorAppSettings, baseAppSettings, secretAppSettings)
  dependsOn: [
    keyVaultSecrets
    keyVaultSecretsUserForApp
    storageRoleAssignments
  ]
}

// ---------------------------------------------------------------- role assignments

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource keyVaultSecretsUserForApp 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roles.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource monitoringMetricsPublisherForApp 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultSecretsOfficerForDeployer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(keyVault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: principalId
    principalType: principalType
  }
}

output functionAppName string = functionApp.name
output functionAppUri string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
output keyVaultName string = keyVault.name
output keyVaultUri string = keyVault.properties.vaultUri
output identityClientId string = identity.properties.clientId
output communicationServiceName string = communicationService.name
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
output smtpHost string = 'smtp.azurecomm.net'
output smtpPort string = '587'
output smtpFromAddress string = fromAddress
output supportEmail string = effectiveSupportEmail
