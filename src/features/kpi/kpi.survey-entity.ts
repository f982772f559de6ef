import { compositeKey } from '../../storage/table-keys';
import type { SurveyGroupFigures, SurveySummary } from './kpi.policy';
import type { KpiEntity } from './kpi.entity';

/**
 * kpisurveys: the survey closed in a period, as the survey feature hands it over (already
 * suppressed), so HR's own tools read it beside kpiperiods. One row for the town, each role group
 * and each 課; a suppressed figure is an absent column. Column names come from the survey's keys,
 * kept to what a Table property may be.
 */
const columnPart = (key: string): string => key.replace(/[^A-Za-z0-9]/g, '_');
export const surveyCategoryColumn = (key: string): string => `category_${columnPart(key)}`;
export const surveyAgreementColumn = (key: string): string => `agreement_${columnPart(key)}`;

const double = (n: number): { value: string; type: 'Double' } => ({ value: String(n), type: 'Double' });

type SurveyLevel = { level: 'town' } | { level: 'rolegroup'; roleGroup: string } | { level: 'unit'; unit: string };

function rowKeyOf(group: SurveyLevel): string {
  if (group.level === 'town') return 'town';
  return group.level === 'rolegroup' ? compositeKey('rolegroup', group.roleGroup) : compositeKey('unit', group.unit);
}

function entity(partitionKey: string, tenantId: string, periodId: string, survey: SurveySummary, group: SurveyLevel, figures: SurveyGroupFigures): KpiEntity {
  const out: KpiEntity = {
    partitionKey,
    rowKey: rowKeyOf(group),
    tenantId,
    period: periodId,
    ...group,
    surveyId: survey.surveyId,
    surveyTitle: survey.title.ja,
    closedOn: survey.closedOn,
    answersSuppressed: figures.answers === null,
  };
  if (figures.answers !== null) out.answers = figures.answers;
  for (const { key } of survey.categories) {
    const value = figures.categories[key];
    if (typeof value === 'number') out[surveyCategoryColumn(key)] = double(value);
  }
  for (const { key } of survey.agreements) {
    const value = figures.agreement[key];
    if (typeof value === 'number') out[surveyAgreementColumn(key)] = double(value);
  }
  return out;
}

/** The rows of a period's survey: town, role groups, 課. */
export function surveyEntities(partitionKey: string, tenantId: string, periodId: string, survey: SurveySummary): KpiEntity[] {
  return [
    entity(partitionKey, tenantId, periodId, survey, { level: 'town' }, survey.town),
    ...Object.entries(survey.byRoleGroup).flatMap(([roleGroup, f]) =>
      f ? [entity(partitionKey, tenantId, periodId, survey, { level: 'rolegroup', roleGroup }, f)] : [],
    ),
    ...Object.entries(survey.byUnit).map(([unit, f]) => entity(partitionKey, tenantId, periodId, survey, { level: 'unit', unit }, f)),
  ];
}
