/**
 * What other features may use of the KPI: the contracts a feature implements to be counted (its
 * source and tally types, the period, the group-size floor), who may see which unit's report, and
 * the KPI tables for the data lifecycle. Everything else here is the KPI's own.
 */
export {
  SURVEY_ROLE_GROUPS,
  type LocalisedLabel,
  type OjtTally,
  type PaidLeaveTally,
  type PolicyKpiSources,
  type SurveyComparison,
  type SurveyGroupFigures,
  type SurveyKpiSource,
  type SurveyRoleGroup,
  type SurveySummary,
  type TrainingTally,
} from './kpi.policy';
export { KPI_TABLES } from './kpi.repository';
export { MIN_GROUP_SIZE, type Period, type Suppressible } from './kpi.types';
export { decideReportScope, scopeRequestSchema, type ScopeRefusal } from './report/report-scope';
