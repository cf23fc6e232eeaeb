// paraaf on Azure: Container Apps (bot + tab backend, and the scheduled `paraaf tick` job),
// a user-assigned managed identity, Key Vault for the bot's client secret, a container
// registry, Log Analytics + Application Insights (with an availability test on /healthz),
// and the Azure Bot resource with the Microsoft Teams channel.
//
// Deploy into a resource group (see infra/README.md for the two-phase first deployment):
//   az deployment group create -g rg-paraaf -f infra/main.bicep -p @paraaf.parameters.json
//
// Not compiled here: no Bicep CLI was available where this file was written. Run
// `az bicep build -f infra/main.bicep` (or `az deployment group what-if`) before the first use.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------- parameters

@description('Short name used in every resource name (lower case letters, digits, hyphens).')
@minLength(3)
@maxLength(12)
param name string = 'paraaf'

@description('Azure region for everything except the Azure Bot (which is global). Choose an EU region.')
param location string = resourceGroup().location

@description('Entra tenant of the paraaf app registration and of the Teams users.')
param entraTenantId string = subscription().tenantId

@description('Application (client) id of the paraaf app registration (bot, tab SSO and Graph).')
@minLength(36)
@maxLength(36)
param botAppId string

@description('Client secret of the app registration. Leave empty to set it in Key Vault yourself (secret name bot-app-password) before deploying with deployApp=true.')
@secure()
param botAppPassword string = ''

@description('SharePoint site that holds the lists and the document library, e.g. https://gemeente.sharepoint.com/sites/paraaf.')
param sharePointSiteUrl string

@description('false for the first deployment: creates registry, vault, identity and monitoring only, so the image can be pushed and the secret set first.')
param deployApp bool = true

@description('Image tag in this deployment\'s registry (paraaf:<tag>). Ignored when containerImage is set.')
param imageTag string = '0.1.0'

@description('Full image reference, to run an image from another registry (the identity needs AcrPull there).')
param containerImage string = ''

@description('Own host name for paraaf, e.g. paraaf.gemeente.nl (CNAME to the app). Empty: the Container Apps default host name.')
param customDomain string = ''

@description('Resource id of the managed certificate for customDomain, once issued (see README). Empty: the host name is added unbound.')
param customDomainCertificateId string = ''

@description('Comma-separated tenant ids allowed to use the bot. Empty: only entraTenantId.')
param tenantAllowlist string = ''

@description('Log level of paraaf.')
@allowed(['debug', 'info', 'warning', 'error'])
param logLevel string = 'info'

@description('Base address of an OpenTelemetry collector (OTLP over HTTP, e.g. http://otel-collector:4318) that receives traces and metrics. Empty: no export.')
param otlpEndpoint string = ''

@description('Serve the metrics on /metrics in the Prometheus text format (off by default: the ingress is public).')
@allowed(['on', 'off'])
param metrics string = 'off'

@description('Replicas of the bot. At least 1: proactive notifications are delivered by a running replica, and Teams waits at most 15 s for a card action.')
@minValue(1)
@maxValue(10)
param minReplicas int = 1

@maxValue(10)
param maxReplicas int = 3

@description('When `paraaf tick` runs (deadline reminders and escalations), cron in UTC.')
param tickSchedule string = '*/15 * * * *'

@description('Azure Bot pricing tier. Microsoft Teams is a standard channel: free on F0 as well.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Days that logs are kept in Log Analytics.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

param tags object = {
  application: 'paraaf'
}

// ---------------------------------------------------------------- names and constants

var suffix = uniqueString(resourceGroup().id, name)
var vaultName = take('kv-${name}-${suffix}', 24)
var registryName = take(replace('cr${name}${suffix}', '-', ''), 50)
var appName = 'ca-${name}'
var jobName = 'caj-${name}-tick'
var botSecretName = 'bot-app-password'
var port = 3978

// built-in roles
var roleKeyVaultSecretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
var roleAcrPull = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')

// ---------------------------------------------------------------- monitoring

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------- identity, secrets, images

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(botAppPassword)) {
  parent: vault
  name: botSecretName
  properties: {
    value: botAppPassword
    contentType: 'client secret of the paraaf app registration'
  }
}

// The vault holds only paraaf's secret; the app's identity may read secrets, nothing else.
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roleKeyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: roleKeyVaultSecretsUser
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault audit log (who read or changed a secret) into Log Analytics.
resource vaultAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logs.id
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource registryPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, roleAcrPull)
  scope: registry
  properties: {
    roleDefinitionId: roleAcrPull
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------- Container Apps

resource appEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${name}'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

var defaultHost = '${appName}.${appEnvironment.properties.defaultDomain}'
var publicHost = empty(customDomain) ? defaultHost : customDomain
var publicUrl = 'https://${publicHost}'
var image = empty(containerImage) ? '${registry.properties.loginServer}/paraaf:${imageTag}' : containerImage

var secrets = [
  {
    name: botSecretName
    keyVaultUrl: '${vault.properties.vaultUri}secrets/${botSecretName}'
    identity: identity.id
  }
]

var registries = [
  {
    server: registry.properties.loginServer
    identity: identity.id
  }
]

// Settings of bot/settings.py (see infra/README.md for each).
var paraafEnv = [
  { name: 'PARAAF_MODE', value: 'production' }
  { name: 'PARAAF_BACKEND', value: 'graph' }
  { name: 'PARAAF_PORT', value: string(port) }
  { name: 'PARAAF_PUBLIC_URL', value: publicUrl }
  { name: 'PARAAF_LOG_FORMAT', value: 'json' }
  { name: 'PARAAF_LOG_LEVEL', value: logLevel }
  { name: 'PARAAF_OTLP_ENDPOINT', value: otlpEndpoint }
  { name: 'PARAAF_METRICS', value: metrics }
  { name: 'PARAAF_TENANT_ALLOWLIST', value: empty(tenantAllowlist) ? entraTenantId : tenantAllowlist }
  { name: 'PARAAF_APP_ID', value: botAppId }
  { name: 'PARAAF_APP_TYPE', value: 'singletenant' }
  { name: 'PARAAF_APP_TENANT_ID', value: entraTenantId }
  { name: 'PARAAF_APP_PASSWORD', secretRef: botSecretName }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
]

// PLACEHOLDERS for the Microsoft 365 backend (graph/), which is still being built: align these
// names with its settings when it lands. The backend uses the same app registration.
var graphBackendEnv = [
  { name: 'PARAAF_SITE_URL', value: sharePointSiteUrl }
  { name: 'PARAAF_GRAPH_TENANT_ID', value: entraTenantId }
  { name: 'PARAAF_GRAPH_CLIENT_ID', value: botAppId }
  { name: 'PARAAF_GRAPH_CLIENT_SECRET', secretRef: botSecretName }
]

var appEnv = concat(paraafEnv, graphBackendEnv)

resource app 'Microsoft.App/containerApps@2024-03-01' = if (deployApp) {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: appEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
        customDomains: empty(customDomain) ? [] : [
          {
            name: customDomain
            bindingType: empty(customDomainCertificateId) ? 'Disabled' : 'SniEnabled'
            certificateId: empty(customDomainCertificateId) ? null : customDomainCertificateId
          }
        ]
      }
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'paraaf'
          image: image
          env: appEnv
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: port
              }
              initialDelaySeconds: 2
              periodSeconds: 6
              failureThreshold: 10
              timeoutSeconds: 3
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 30
              failureThreshold: 3
              timeoutSeconds: 5
            }
            {
              // /readyz reads the store (one SharePoint read): not too often
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: port
              }
              periodSeconds: 30
              failureThreshold: 3
              timeoutSeconds: 10
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: max(minReplicas, maxReplicas)
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '50'
              }
            }
          }
        ]
      }
    }
  }
  dependsOn: [
    vaultSecretsUser
    registryPull
    botSecret
  ]
}

// Deadline reminders and escalations; running it twice records nothing twice, so a retry or
// an overlap with a slow previous run is harmless.
resource tickJob 'Microsoft.App/jobs@2024-03-01' = if (deployApp) {
  name: jobName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: appEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Schedule'
      replicaTimeout: 600
      replicaRetryLimit: 1
      scheduleTriggerConfig: {
        cronExpression: tickSchedule
        parallelism: 1
        replicaCompletionCount: 1
      }
      secrets: secrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'tick'
          image: image
          command: [
            'paraaf'
            'tick'
          ]
          env: appEnv
          resources: {
            cpu: json('0.25')
            memory: '0.5Gi'
          }
        }
      ]
    }
  }
  dependsOn: [
    vaultSecretsUser
    registryPull
    botSecret
  ]
}

// ---------------------------------------------------------------- Azure Bot + Teams channel

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${name}-${suffix}'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'paraaf'
    description: 'Adviseren, paraferen en besluiten over dossiers, gewoon in Teams'
    endpoint: '${publicUrl}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: entraTenantId
    publicNetworkAccess: 'Enabled'
    isStreamingSupported: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ---------------------------------------------------------------- availability test

resource healthTest 'Microsoft.Insights/webtests@2022-06-15' = if (deployApp) {
  name: 'webtest-${name}-healthz'
  location: location
  tags: union(tags, {
    'hidden-link:${insights.id}': 'Resource'
  })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'webtest-${name}-healthz'
    Name: 'paraaf /healthz'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [
      { Id: 'emea-nl-ams-azr' }
      { Id: 'emea-gb-db3-azr' }
      { Id: 'emea-fr-pra-edge' }
    ]
    Request: {
      RequestUrl: '${publicUrl}/healthz'
      HttpVerb: 'GET'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 14
    }
  }
}

// ---------------------------------------------------------------- outputs

output publicUrl string = publicUrl
output botEndpoint string = '${publicUrl}/api/messages'
output botResourceName string = bot.name
output keyVaultName string = vault.name
output registryLoginServer string = registry.properties.loginServer
output containerRegistryName string = registry.name
output containerImageReference string = image
output identityClientId string = identity.properties.clientId
output containerAppsDefaultHost string = defaultHost
output tabSsoApplicationIdUri string = 'api://${publicHost}/${botAppId}'
output manifestCommand string = 'paraaf manifest build --bot-id ${botAppId} --public-url ${publicUrl}'
