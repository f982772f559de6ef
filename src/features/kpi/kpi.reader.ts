import { pairsOnTimeIn } from './kpi.aggregate';
import type { DecodedRow } from './kpi.entity';
import {
  averageOf,
  checkinRateOf,
  completionRateOf,
  distributionOf,
  emptyDistribution,
  emptyFigures,
  KUDOS_VALUE_KEYS,
  monthlyOvertimeOf,
  NEARMISS_CATEGORY_KEYS,
  NEARMISS_IMPACT_KEYS,
  rowKeyOf,
  TOWN,
  type GroupKey,
} from './kpi.figures';
import { engagementOf } from './kpi.engagement';
import { monthsOf, parsePeriod, previousYearOf } from './kpi.period';
import type { SurveyKpiSource } from './kpi.policy';
import { POLICY_COLUMNS } from './kpi.policy-entity';
import {
  leaveMeasured as leave,
  ojtOnTrackMeasured as ojtOnTrack,
  ojtPlannedMeasured as ojtPlanned,
  trainingMeasured as training,
  type PolicyFigures,
} from './kpi.policy-figures';
import type { KpiRepository } from './kpi.repository';
import {
  KPI_TARGETS,
  type KpiReader,
  type MonthTrend,
  type Measured,
  type Period,
  type PeriodId,
  type PeriodReport,
  type ReportScope,
  type UnitOneOnOne,
  type UnitRate,
} from './kpi.types';

/** What the 1on1 rate and the 有給休暇 / 研修 rates of a 課 are computed from (kpi.entity column names). */
const UNIT_COLUMNS = ['oneononePairs', 'oneononeLateNewMonth', 'oneononeLateNewHalf', 'oneononeLateNewYear', ...POLICY_COLUMNS];

/** (this − previous) / previous, when both are known and previous is not 0. */
export function changeRatio(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 10_000) / 10_000;
}

function unitOneOnOne(row: DecodedRow, period: Period): UnitOneOnOne {
  const o = row.figures.oneonone;
  const onTime = pairsOnTimeIn(o, period.kind);
  return { unit: row.key.unit ?? '', pairs: o.pairs, pairsHeldWithinCadence: onTime, completionRate: completionRateOf(o.pairs, onTime) };
}

function monthTrend(month: string, row: DecodedRow | undefined): MonthTrend {
  const f = row?.figures ?? emptyFigures(true);
  return { month, checkinRate: checkinRateOf(f), overtimeAveragePerPerson: monthlyOvertimeOf(f.overtime), overtimeTotalMinutes: f.overtime.minutes };
}

/** Each 課 with something to measure or hidden, in Japanese order. */
function unitRates(rows: readonly DecodedRow[], rate: (p: PolicyFigures | undefined) => Measured): UnitRate[] {
  return rows
    .flatMap((r) => {
      const value = rate(r.policy);
      return value === undefined ? [] : [{ unit: r.key.unit ?? '', rate: value }];
    })
    .sort((a, b) => a.unit.localeCompare(b.unit, 'ja'));
}

/** The 有給休暇 / 研修 / OJT parts of a report; each absent when the period has no snapshot. */
function policyParts(
  policy: PolicyFigures | undefined,
  previous: PolicyFigures | undefined,
  units: readonly DecodedRow[],
): Pick<PeriodReport, 'paidLeave' | 'training' | 'ojt'> {
  if (!policy) return {};
  return {
    paidLeave: {
      people: policy.leave.people,
      grantedDays: policy.leave.grantedDays,
      takenDays: policy.leave.takenDays,
      rate: leave(policy),
      previousRate: leave(previous),
      target: KPI_TARGETS.paidLeaveRate,
      byUnit: unitRates(units, leave),
    },
    training: {
      people: policy.training.people,
      completed: policy.training.completed,
      rate: training(policy),
      previousRate: training(previous),
      target: KPI_TARGETS.trainingRate,
      byUnit: unitRates(units, training),
    },
    ojt: {
      juniors: policy.ojt.juniors,
      planned: policy.ojt.planned,
      onTrack: policy.ojt.onTrack,
      plannedRate: ojtPlanned(policy),
      onTrackRate: ojtOnTrack(policy),
      previousPlannedRate: ojtPlanned(previous),
      previousOnTrackRate: ojtOnTrack(previous),
    },
  };
}

/**
 * The KPI figures of a period, town-wide or for one 課, read from kpiperiods only (a handful of
 * rows whatever the town's size): the rollup job has already summed the days. The surveys come
 * from their source, already aggregated; without one the report has no engagement part.
 */
export class RollupKpiReader implements KpiReader {
  constructor(
    private readonly store: Pick<KpiRepository, 'unitRows' | 'periodRow'>,
    private readonly survey?: SurveyKpiSource,
  ) {}

  async periodReport(tenantId: string, periodId: PeriodId, scope: ReportScope): Promise<PeriodReport> {
    const period = parsePeriod(periodId);
    const previousPeriod = previousYearOf(period);
    const key: GroupKey = scope.kind === 'town' ? TOWN : { level: 'unit', unit: scope.unit };
    const rowKey = rowKeyOf(key);
    const months = monthsOf(period);
    const [row, units, previous, monthRows, surveys] = await Promise.all([
      this.store.periodRow(tenantId, period.id, rowKey),
      // Town-wide, the 1on1 rate of each 課; a 課's report shows its own.
      scope.kind === 'town' ? this.store.unitRows(tenantId, period.id, UNIT_COLUMNS) : Promise.resolve(undefined),
      this.store.periodRow(tenantId, previousPeriod.id, rowKey),
      Promise.all(months.map((month) => this.store.periodRow(tenantId, month, rowKey))),
      this.survey?.comparison(tenantId, period),
    ]);
    const f = row?.figures ?? emptyFigures(true);
    const o = f.oneonone;
    const onTime = pairsOnTimeIn(o, period.kind);
    const monthly = row?.overtimeMonthlyAverage ?? null;
    const previousMonthly = previous?.overtimeMonthlyAverage ?? null;
    const unitRows = units ?? (row ? [row] : []);
    const byUnit = unitRows
      .filter((r) => r.figures.oneonone.pairs > 0)
      .map((r) => unitOneOnOne(r, period))
      .sort((a, b) => a.unit.localeCompare(b.unit, 'ja'));
    // Town and 課 rows always carry near-misses; only role rows do not.
    const nearmiss = f.nearmiss ?? { byCategory: emptyDistribution(NEARMISS_CATEGORY_KEYS), byImpact: emptyDistribution(NEARMISS_IMPACT_KEYS) };
    return {
      tenantId,
      period,
      scope,
      previousPeriod,
      checkins: {
        promptsSent: f.promptsMorning + f.promptsEvening,
        answeredMorning: f.answeredMorning,
        answeredEvening: f.answeredEvening,
        rate: checkinRateOf(f),
        averageCondition: averageOf(f.condition),
        averageSatisfaction: averageOf(f.satisfaction),
      },
      help: { requested: f.helpRequested, taken: f.helpTaken },
      overtime: {
        totalMinutes: f.overtime.minutes,
        monthlyAveragePerPerson: monthly,
        previousMonthlyAveragePerPerson: previousMonthly,
        previousMissing: previousMonthly === null && !previous?.figures.overtime.suppressed,
        changeRatio: changeRatio(monthly, previousMonthly),
      },
      oneonones: { held: o.held, pairs: o.pairs, pairsHeldWithinCadence: onTime, completionRate: completionRateOf(o.pairs, onTime), byUnit },
      nearmisses: {
        total: nearmiss.byCategory.total,
        byCategory: distributionOf(nearmiss.byCategory, NEARMISS_CATEGORY_KEYS),
        bySeverity: distributionOf(nearmiss.byImpact, NEARMISS_IMPACT_KEYS),
      },
      kudos: { total: f.kudos.total, byValue: distributionOf(f.kudos, KUDOS_VALUE_KEYS) },
      months: months.map((month, i) => monthTrend(month, monthRows[i])),
      ...policyParts(row?.policy, previous?.policy, unitRows),
      ...(surveys ? { engagement: engagementOf(surveys) } : {}),
    };
  }
}
