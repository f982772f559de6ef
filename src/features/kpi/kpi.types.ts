import type { SurveyComparison } from './kpi.policy';

/**
 * The KPI layer's contract between the rollups (what HR storage holds, computed from the daily
 * practice) and what people look at (the HTML report, the レポート card, the CSV export).
 *
 * A figure behind fewer than 3 people is `null` ("suppressed"): HR never sees an average or a
 * distribution that could be read back to one or two people.
 */
export type Suppressible = number | null;

/** The fewest people an average or distribution may describe. */
export const MIN_GROUP_SIZE = 3;

/** `FY2026H1` (Apr–Sep), `FY2026H2` (Oct–Mar), `FY2026` (Apr–Mar) or a month `2026-05`. */
export type PeriodId = string;

export interface Period {
  id: PeriodId;
  kind: 'month' | 'half' | 'year';
  /** First and last day, inclusive, `YYYY-MM-DD` in Asia/Tokyo. */
  from: string;
  to: string;
}

export type ReportScope = { kind: 'town' } | { kind: 'unit'; unit: string };

/** The policy's targets (DOMAIN.md), shown beside each figure. */
export const KPI_TARGETS = {
  oneononeCompletionRate: 1,
  overtimeChangeRatio: -0.1,
  /** 有給休暇取得率 ≥ 70% */
  paidLeaveRate: 0.7,
  /** 研修受講率 ≥ 95% of all staff */
  trainingRate: 0.95,
} as const;

/**
 * A figure that is suppressed (null) or has nothing behind it (undefined: not rolled up, nobody to
 * measure), which reads 「データなし」, not 「非表示」.
 */
export type Measured = Suppressible | undefined;

export interface UnitRate {
  unit: string;
  rate: Measured;
}

export interface MonthTrend {
  month: string;
  /** Answered check-ins / prompts sent, 0..1. */
  checkinRate: Suppressible;
  /** Average overtime minutes per person who reported overtime that month. */
  overtimeAveragePerPerson: Suppressible;
  overtimeTotalMinutes: number;
}

export interface UnitOneOnOne {
  unit: string;
  pairs: number;
  pairsHeldWithinCadence: number;
  completionRate: Suppressible;
}

/** Everything a period's report shows, computed from the daily rollups only. */
export interface PeriodReport {
  tenantId: string;
  period: Period;
  scope: ReportScope;
  /** The same period one year earlier, for the −10% overtime comparison. */
  previousPeriod: Period;
  checkins: {
    promptsSent: number;
    answeredMorning: number;
    answeredEvening: number;
    rate: Suppressible;
    averageCondition: Suppressible;
    averageSatisfaction: Suppressible;
  };
  help: { requested: number; taken: number };
  overtime: {
    totalMinutes: number;
    monthlyAveragePerPerson: Suppressible;
    previousMonthlyAveragePerPerson: Suppressible;
    /** No overtime a year earlier to compare with (not rolled up, or no answers), rather than suppressed. */
    previousMissing: boolean;
    /** (this − previous) / previous; null when either side is suppressed or previous is 0. */
    changeRatio: number | null;
  };
  oneonones: {
    held: number;
    pairs: number;
    pairsHeldWithinCadence: number;
    completionRate: Suppressible;
    byUnit: UnitOneOnOne[];
  };
  /** Category keys and severities (1–4) as the near-miss feature stores them; null = suppressed. */
  nearmisses: { total: number; byCategory: Record<string, Suppressible>; bySeverity: Record<string, Suppressible> };
  /** Value keys as the kudos feature stores them; null = suppressed. */
  kudos: { total: number; byValue: Record<string, Suppressible> };
  months: MonthTrend[];
  /** 有給休暇取得率: days taken / granted in the fiscal year, by the period's last day. Absent: the source is not wired, or the period was rolled up before it was. */
  paidLeave?: { people: number; grantedDays: number; takenDays: number; rate: Measured; previousRate: Measured; target: number; byUnit: UnitRate[] };
  /** 研修受講率: people who attended every required training of the period / people with one. */
  training?: { people: number; completed: number; rate: Measured; previousRate: Measured; target: number; byUnit: UnitRate[] };
  /** OJT計画作成率 (plans / juniors) and 実施率 (plans on track / plans); the target is to rise on the year before. */
  ojt?: {
    juniors: number;
    planned: number;
    onTrack: number;
    plannedRate: Measured;
    onTrackRate: Measured;
    previousPlannedRate: Measured;
    previousOnTrackRate: Measured;
  };
  /** The staff survey by then (already suppressed by the survey feature); absent when no survey source is wired. */
  engagement?: SurveyComparison & {
    /** The agreement item the policy names (評価に納得), when the surveys have it. */
    highlight?: string;
  };
}

/** Reads a period's report from the rollups; the レポート command and the CLI use it. */
export interface KpiReader {
  periodReport(tenantId: string, periodId: PeriodId, scope: ReportScope): Promise<PeriodReport>;
}
