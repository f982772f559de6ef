import type { Period, Suppressible } from './kpi.types';

/**
 * What the KPI layer needs from the features behind the policy's remaining KPIs (paid leave,
 * training, OJT, the staff survey). Each feature reports plain per-person facts for a period; the
 * KPI layer groups them by 課 / 役職 from the directory, suppresses groups under 3 people and stores
 * them with the other figures. The survey is the exception: it reports only groups, because no
 * stored answer may be tied to a person.
 */

/** Paid leave of one person for the fiscal year the period falls in, taken up to the period's last day. */
export interface PaidLeaveTally {
  personId: string;
  grantedDays: number;
  takenDays: number;
}

/** The trainings one person was required to attend within the period, and how many of them they attended. */
export interface TrainingTally {
  personId: string;
  required: number;
  completed: number;
}

/** A junior with an assigned OJT mentor, as it stands on the period's last day. */
export interface OjtTally {
  personId: string;
  /** A plan exists for this junior. */
  planned: boolean;
  /** The plan is on track: every step due by then is done, and progress was recorded in the last month. */
  onTrack: boolean;
}

export interface PolicyKpiSources {
  paidLeave(tenantId: string, period: Period): Promise<PaidLeaveTally[]>;
  training(tenantId: string, period: Period): Promise<TrainingTally[]>;
  ojt(tenantId: string, period: Period): Promise<OjtTally[]>;
}

/** The four role groups the survey reports by, as the R7 survey did. */
export const SURVEY_ROLE_GROUPS = ['lead-staff', 'chief-senior', 'appointee', 'manager'] as const;
export type SurveyRoleGroup = (typeof SURVEY_ROLE_GROUPS)[number];

export interface LocalisedLabel {
  ja: string;
  en: string;
}

/** One group's survey figures: every figure is null when fewer than 3 answered (or to protect a sibling). */
export interface SurveyGroupFigures {
  /** How many answered; null when under 3, so a group's size is not given away either. */
  answers: Suppressible;
  /** Mean score 1–4 per category key. */
  categories: Record<string, Suppressible>;
  /** Share 0..1 agreeing, per agreement item key. */
  agreement: Record<string, Suppressible>;
}

/** A closed survey's results, or the baseline loaded from the R7 table (which has no 課 breakdown). */
export interface SurveySummary {
  surveyId: string;
  title: LocalisedLabel;
  /** The last day answers were taken, YYYY-MM-DD. */
  closedOn: string;
  categories: readonly { key: string; label: LocalisedLabel }[];
  agreements: readonly { key: string; label: LocalisedLabel }[];
  town: SurveyGroupFigures;
  byRoleGroup: Partial<Record<SurveyRoleGroup, SurveyGroupFigures>>;
  byUnit: Record<string, SurveyGroupFigures>;
}

/** The survey figures a period's report shows: the latest survey closed by then, beside the one before and the baseline. */
export interface SurveyComparison {
  current?: SurveySummary;
  previous?: SurveySummary;
  baseline?: SurveySummary;
}

export interface SurveyKpiSource {
  /** The latest survey closed within the period (else undefined), the one closed before it, and the baseline. */
  comparison(tenantId: string, period: Period): Promise<SurveyComparison>;
}
