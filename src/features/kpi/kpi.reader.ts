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
import { monthsOf, parsePeriod, previousYearOf } from './kpi.period';
import type { KpiRepository } from './kpi.repository';
import type { KpiReader, MonthTrend, Period, PeriodId, PeriodReport, ReportScope, UnitOneOnOne } from './kpi.types';

/** What the 1on1 rate of a 課 is computed from (kpi.entity column names). */
const UNIT_ONEONONE_COLUMNS = ['oneononePairs', 'oneononeLateNewMonth', 'oneononeLateNewHalf', 'oneononeLateNewYear'];

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

/**
 * The KPI figures of a period, town-wide or for one 課, read from kpiperiods only (a handful of
 * rows whatever the town's size): the rollup job has already summed the days.
 */
export class RollupKpiReader implements KpiReader {
  constructor(private readonly store: Pick<KpiRepository, 'unitRows' | 'periodRow'>) {}

  async periodReport(tenantId: string, periodId: PeriodId, scope: ReportScope): Promise<PeriodReport> {
    const period = parsePeriod(periodId);
    const previousPeriod = previousYearOf(period);
    const key: GroupKey = scope.kind === 'town' ? TOWN : { level: 'unit', unit: scope.unit };
    const rowKey = rowKeyOf(key);
    const months = monthsOf(period);
    const [row, units, previous, monthRows] = await Promise.all([
      this.store.periodRow(tenantId, period.id, rowKey),
      // Town-wide, the 1on1 rate of each 課; a 課's report shows its own.
      scope.kind === 'town' ? this.store.unitRows(tenantId, period.id, UNIT_ONEONONE_COLUMNS) : Promise.resolve(undefined),
      this.store.periodRow(tenantId, previousPeriod.id, rowKey),
      Promise.all(months.map((month) => this.store.periodRow(tenantId, month, rowKey))),
    ]);
    const f = row?.figures ?? emptyFigures(true);
    const o = f.oneonone;
    const onTime = pairsOnTimeIn(o, period.kind);
    const monthly = row?.overtimeMonthlyAverage ?? null;
    const previousMonthly = previous?.overtimeMonthlyAverage ?? null;
    const byUnit = (units ?? (row ? [row] : []))
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
      overtime: { totalMinutes: f.overtime.minutes, monthlyAveragePerPerson: monthly, previousMonthlyAveragePerPerson: previousMonthly, changeRatio: changeRatio(monthly, previousMonthly) },
      oneonones: { held: o.held, pairs: o.pairs, pairsHeldWithinCadence: onTime, completionRate: completionRateOf(o.pairs, onTime), byUnit },
      nearmisses: {
        total: nearmiss.byCategory.total,
        byCategory: distributionOf(nearmiss.byCategory, NEARMISS_CATEGORY_KEYS),
        bySeverity: distributionOf(nearmiss.byImpact, NEARMISS_IMPACT_KEYS),
      },
      kudos: { total: f.kudos.total, byValue: distributionOf(f.kudos, KUDOS_VALUE_KEYS) },
      months: months.map((month, i) => monthTrend(month, monthRows[i])),
    };
  }
}
