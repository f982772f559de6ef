// Gives a principal "Storage Table Data Contributor" on an existing storage account: read and write
// table entities (and create tables) with an Entra ID token, no account key.
// Used for HR's account, which may sit in another resource group (the module is deployed there).

@description('Name of an existing storage account in the resource group this module is deployed to.')
param storageAccountName string

@description('Principal (object) id of the managed identity that gets the role.')
param principalId string

// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (Storage Table Data Contributor)
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource tableRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageTableDataContributor)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}
