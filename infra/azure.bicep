// hibi on Azure, provisioned by the Microsoft 365 Agents Toolkit (m365agents.yml, arm/deploy):
//   - a user-assigned managed identity: the bot's identity (no app secret) and the app's key to storage;
//   - a Linux App Service plan and web app running `node dist/src/main.js` (Teams turns, the outbox
//     worker and the scheduler, all in one process, so Always On);
//   - the Azure Bot with its Teams channel (botRegistration/azurebot.bicep);
//   - a storage account used through its Table endpoint with Entra ID only (shared keys refused), and
//     the role that lets the identity use it; optionally the same role on HR's existing account;
//   - Application Insights on a Log Analytics workspace, and alert rules (modules/).
// The shape follows the toolkit's bot templates (infra/azure.bicep). Parameters: infra/README.md.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

@description('App Service plan size. Always On needs Basic or above.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
])
param webAppSKU string = 'B1'

@description('Node.js runtime of the web app: an LTS line.')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
])
param linuxFxVersion string = 'NODE|22-lts'

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_LRS'

@description('Comma-separated Entra tenant ids whose Teams activities hibi answers.')
param allowedTenants string = tenant().tenantId

@description('Name of HR\'s existing storage account for the KPI tables; empty = they go to the main account.')
param hrStorageAccountName string = ''

@description('Resource group of HR\'s storage account.')
param hrStorageAccountResourceGroup string = resourceGroup().name

@description('Address the alerts are mailed to; empty = no mail (alerts still show in the portal).')
param alertEmail string

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('Tokyo time (HH:mm) of the nightly KPI rollup.')
param kpiRollupAt string = '02:00'

@description('Office days before the first day of a required training that its reminder goes out (0-20).')
param trainingReminderDaysBefore string = '3'

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 90

param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
@maxLength(24)
param storageAccountName string = 'st${uniqueString(resourceGroup().id, resourceBaseName)}'
param location string = resourceGroup().location

// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (Storage Table Data Contributor)
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    allowSharedKeyAccess: false // Entra ID only: a key could not be leaked because none works
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource storageTableRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

// HR's account (KPI rollup tables read by HR's Excel / Power BI): the same role, where it lives.
module hrStorageRole './modules/tableDataContributor.bicep' = if (!empty(hrStorageAccountName)) {
  name: 'hr-storage-table-role'
  scope: resourceGroup(hrStorageAccountResourceGroup)
  params: {
    storageAccountName: hrStorageAccountName
    principalId: identity.properties.principalId
  }
}

module monitoring './modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    resourceBaseName: resourceBaseName
    location: location
    retentionInDays: logRetentionInDays
  }
}

module alerts './modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    resourceBaseName: resourceBaseName
    location: location
    workspaceId: monitoring.outputs.workspaceId
    alertEmail: alertEmail
  }
}

// Compute resources for your Web App
resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  kind: 'linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true // Linux
  }
}

// Web App that hosts your bot. Its settings are exactly the variables src/config.ts reads (checked by
// test/unit/infra-contract.test.ts), plus App Service's own.
resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'node dist/src/main.js'
      alwaysOn: true // the scheduler and the outbox worker run in-process
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: concat([
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1' // Run Azure App Service from a package file
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false' // the package is built by the deploy stage (npm ci, build, prune)
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: identity.properties.tenantId
        }
        {
          name: 'ALLOWED_TENANTS'
          value: allowedTenants
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: monitoring.outputs.appInsightsConnectionString
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'KPI_ROLLUP_AT'
          value: kpiRollupAt
        }
        {
          name: 'TRAINING_REMINDER_DAYS_BEFORE'
          value: trainingReminderDaysBefore
        }
        {
          name: 'DELIVERY_HEARTBEAT_MS'
          value: '5000'
        }
        {
          name: 'DELIVERY_HEARTBEAT_EXPIRY_MS'
          value: '15000'
        }
      ], empty(hrStorageAccountName) ? [] : [
        {
          name: 'HR_STORAGE_ACCOUNT_URL'
          value: 'https://${hrStorageAccountName}.table.${environment().suffixes.storage}/'
        }
      ])
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

// Register your web service as a bot with the Bot Framework
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// The output will be persisted in .env.{envName}. Visit https://aka.ms/teamsfx-actions/arm-deploy for more details.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
// manifest/manifest.json uses the bot id as the Teams app id too; teamsApp/create creates the app with it.
output TEAMS_APP_ID string = identity.properties.clientId
// For the CLIs (npm run org:import, npm run kpi) run from a PC with `az login`.
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table
