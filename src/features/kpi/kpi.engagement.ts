import type { SurveyComparison, SurveySummary } from './kpi.policy';
import type { PeriodReport } from './kpi.types';

/**
 * The policy's engagement KPI is one agreement item, 評価への納得感 (38% in the R7 survey). The
 * survey contract names items by the survey's own keys, so the item is found by what it says.
 */
export function evaluationAgreementKey(survey: SurveySummary | undefined): string | undefined {
  return survey?.agreements.find(({ label }) => label.ja.includes('評価') && label.ja.includes('納得'))?.key;
}

/** What the report shows of the surveys; undefined when there is not a single survey to show. */
export function engagementOf(comparison: SurveyComparison): PeriodReport['engagement'] {
  const { current, previous, baseline } = comparison;
  if (!current && !previous && !baseline) return undefined;
  return { ...comparison, highlight: evaluationAgreementKey(current) ?? evaluationAgreementKey(baseline) ?? evaluationAgreementKey(previous) };
}
