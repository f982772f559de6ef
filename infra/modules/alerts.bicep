// Log search alerts over the Log Analytics workspace, on hibi's own OpenTelemetry metrics.
// The Azure Monitor exporter writes each metric point as one AppMetrics row: Name is the metric name,
// Properties holds its attributes, Sum its value (a counter's increase since the last export, a
// gauge's current value; ItemCount is then 1). Every rule is stateful (autoMitigate): it mails once
// when it fires and resolves by itself when the condition clears.

param resourceBaseName string
param location string

@description('Resource id of the Log Analytics workspace behind Application Insights.')
param workspaceId string

@description('Where alerts are mailed. Empty: the rules still fire and show in the portal, but nobody is mailed.')
param alertEmail string

resource actionGroup 'Microsoft.Insights/actionGroups@2022-04-01' = if (!empty(alertEmail)) {
  name: '${resourceBaseName}-alerts'
  location: 'global'
  properties: {
    groupShortName: 'hibi'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroups = empty(alertEmail) ? [] : [
  actionGroup.id
]

// (a) The outbox's oldest waiting message has waited over 15 minutes: sending is stuck
// (Bot Connector down, identity or storage refused, or the process not running its worker).
resource outboxStuck 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: '${resourceBaseName}-outbox-stuck'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'hibi: a message has waited in the outbox over 15 minutes'
    description: 'hibi.outbox.oldest_age (seconds) above 900. See the runbook: outbox.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "hibi.outbox.oldest_age"
| project TimeGenerated, OldestAgeSeconds = Sum / ItemCount
'''
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'OldestAgeSeconds'
          operator: 'GreaterThan'
          threshold: 900
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    // AppMetrics may not exist yet in a new workspace (no metric ingested): do not reject the rule for it.
    skipQueryValidation: true
    actions: {
      actionGroups: actionGroups
    }
  }
}

// (b) A message could not be sent (result "failed"). "not_installed" (the person removed hibi; HR's
// list shows them) and "throttled" (retried later) are expected and do not alert.
resource sendsFailed 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: '${resourceBaseName}-sends-failed'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'hibi: messages failed to send'
    description: 'hibi.sends with result "failed" in the last 15 minutes. See the runbook: failed sends.'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "hibi.sends" and tostring(Properties["result"]) == "failed"
| project TimeGenerated, Failed = Sum
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failed'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    // AppMetrics may not exist yet in a new workspace (no metric ingested): do not reject the rule for it.
    skipQueryValidation: true
    actions: {
      actionGroups: actionGroups
    }
  }
}

// (c) A scheduled job run failed (outcome "failed"); one alert per job name.
resource jobFailed 'Microsoft.Insights/scheduledQueryRules@2021-08-01' = {
  name: '${resourceBaseName}-job-failed'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'hibi: a scheduled job failed'
    description: 'hibi.job.runs with outcome "failed" in the last 15 minutes; the Job dimension names it. See the runbook: scheduled jobs.'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "hibi.job.runs" and tostring(Properties["outcome"]) == "failed"
| project TimeGenerated, Job = tostring(Properties["job"]), Failed = Sum
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failed'
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    // AppMetrics may not exist yet in a new workspace (no metric ingested): do not reject the rule for it.
    skipQueryValidation: true
    actions: {
      actionGroups: actionGroups
    }
  }
}
