import { pairsLateIn, pairsOnTimeIn, type PeriodRow } from './kpi.aggregate';
import {
  averageOf,
  checkinRateOf,
  completionRateOf,
  emptyFigures,
  KUDOS_VALUE_KEYS,
  NEARMISS_CATEGORY_KEYS,
  NEARMISS_IMPACT_KEYS,
  overtimeAverageOf,
  roleLabelJa,
  type Distribution,
  type Figures,
  type GroupKey,
  type Level,
  type Mean,
} from './kpi.figures';
import { policyColumns, readPolicy } from './kpi.policy-entity';
import type { Period, Suppressible } from './kpi.types';

/**
 * How a rollup row is stored: flat, typed columns HR's tools read as they are (docs/storage.md
 * lists them). A suppressed figure is an absent column, never a number; derived figures (averages,
 * rates) are stored next to the sums they come from so Excel needs no formula.
 */
export type KpiEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

const capitalised = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);
export const nearmissCategoryColumn = (category: string): string => `nearmiss${capitalised(category)}`;
export const nearmissImpactColumn = (impact: string): string => `nearmissImpact${impact}`;
export const kudosValueColumn = (value: string): string => `kudos${capitalised(value)}`;

/** Averages and rates are always Edm.Double, so a 4.0 is not stored as an Int32 in one row and a Double in the next. */
const double = (n: number): { value: string; type: 'Double' } => ({ value: String(n), type: 'Double' });

function putOptional(out: Record<string, unknown>, name: string, value: Suppressible): void {
  if (value !== null) out[name] = double(value);
}

function putMean(out: Record<string, unknown>, name: string, m: Mean): void {
  out[`${name}Suppressed`] = m.suppressed;
  if (m.suppressed) return;
  out[`${name}Count`] = m.count;
  out[`${name}Sum`] = m.sum;
  putOptional(out, `${name}Average`, averageOf(m));
}

function putDistribution(out: Record<string, unknown>, keys: readonly string[], column: (k: string) => string, d: Distribution): void {
  if (d.suppressed) return;
  for (const key of keys) out[column(key)] = d.counts[key] ?? 0;
}

function keyColumns(key: GroupKey): Record<string, unknown> {
  if (key.level === 'unit') return { level: key.level, unit: key.unit ?? '' };
  if (key.level === 'role') return { level: key.level, role: key.role ?? '', roleLabel: roleLabelJa(key.role ?? '') };
  return { level: key.level };
}

export type RowContext = { kind: 'day'; day: string } | { kind: 'period'; period: Period; row: PeriodRow };

export function toEntity(partitionKey: string, rowKey: string, tenantId: string, key: GroupKey, f: Figures, context: RowContext): KpiEntity {
  const out: KpiEntity = { partitionKey, rowKey, tenantId, ...keyColumns(key) };
  if (context.kind === 'day') out.day = context.day;
  else
    Object.assign(out, {
      period: context.period.id,
      periodKind: context.period.kind,
      from: context.period.from,
      to: context.period.to,
      days: context.row.days,
      lastDay: context.row.lastDay,
    });
  Object.assign(out, {
    members: f.members,
    promptsMorning: f.promptsMorning,
    promptsEvening: f.promptsEvening,
    answeredMorning: f.answeredMorning,
    answeredEvening: f.answeredEvening,
    helpRequested: f.helpRequested,
    helpTaken: f.helpTaken,
  });
  putOptional(out, 'checkinRate', checkinRateOf(f));
  putMean(out, 'condition', f.condition);
  putMean(out, 'satisfaction', f.satisfaction);
  out.overtimeSuppressed = f.overtime.suppressed;
  if (!f.overtime.suppressed) {
    Object.assign(out, { overtimePeople: f.overtime.people, overtimeMinutes: f.overtime.minutes, overtimeDays: f.overtime.days });
    putOptional(out, 'overtimeAverage', overtimeAverageOf(f.overtime));
  }
  const o = f.oneonone;
  Object.assign(out, {
    oneononeHeld: o.held,
    oneononePairs: o.pairs,
    oneononePairsLate: o.pairsLate,
    oneononeLateNewMonth: o.lateNewMonth,
    oneononeLateNewHalf: o.lateNewHalf,
    oneononeLateNewYear: o.lateNewYear,
  });
  if (context.kind === 'period') {
    const kind = context.period.kind;
    putOptional(out, 'overtimeMonthlyAverage', context.row.overtimeMonthlyAverage);
    Object.assign(out, { oneononePairsLateInPeriod: pairsLateIn(o, kind), oneononePairsOnTime: pairsOnTimeIn(o, kind) });
    putOptional(out, 'oneononeCompletionRate', completionRateOf(o.pairs, pairsOnTimeIn(o, kind)));
    if (context.row.policy) Object.assign(out, policyColumns(context.row.policy));
  }
  if (f.nearmiss) {
    Object.assign(out, { nearmissTotal: f.nearmiss.byCategory.total, nearmissSuppressed: f.nearmiss.byCategory.suppressed });
    putDistribution(out, NEARMISS_CATEGORY_KEYS, nearmissCategoryColumn, f.nearmiss.byCategory);
    putDistribution(out, NEARMISS_IMPACT_KEYS, nearmissImpactColumn, f.nearmiss.byImpact);
  }
  Object.assign(out, { kudosTotal: f.kudos.total, kudosSuppressed: f.kudos.suppressed });
  putDistribution(out, KUDOS_VALUE_KEYS, kudosValueColumn, f.kudos);
  return out;
}

const num = (e: Record<string, unknown>, name: string): number => (typeof e[name] === 'number' ? (e[name] as number) : 0);
const flag = (e: Record<string, unknown>, name: string): boolean => e[name] === true;

function readMean(e: Record<string, unknown>, name: string): Mean {
  return { suppressed: flag(e, `${name}Suppressed`), count: num(e, `${name}Count`), sum: num(e, `${name}Sum`) };
}

function readDistribution(e: Record<string, unknown>, keys: readonly string[], column: (k: string) => string, total: string, suppressed: string): Distribution {
  return { total: num(e, total), suppressed: flag(e, suppressed), counts: Object.fromEntries(keys.map((k) => [k, num(e, column(k))])) };
}

export function keyOfEntity(e: Record<string, unknown>): GroupKey {
  const level = e.level as Level;
  if (level === 'unit') return { level, unit: String(e.unit ?? '') };
  if (level === 'role') return { level, role: String(e.role ?? '') };
  return { level: 'town' };
}

export interface DecodedRow extends PeriodRow {
  /** The day of a daily row. */
  day?: string;
}

/** Reads a stored row back into figures; derived columns are ignored and recomputed from the sums. */
export function fromEntity(e: Record<string, unknown>): DecodedRow {
  const key = keyOfEntity(e);
  const f = emptyFigures(key.level !== 'role');
  Object.assign(f, {
    members: num(e, 'members'),
    promptsMorning: num(e, 'promptsMorning'),
    promptsEvening: num(e, 'promptsEvening'),
    answeredMorning: num(e, 'answeredMorning'),
    answeredEvening: num(e, 'answeredEvening'),
    helpRequested: num(e, 'helpRequested'),
    helpTaken: num(e, 'helpTaken'),
    condition: readMean(e, 'condition'),
    satisfaction: readMean(e, 'satisfaction'),
    overtime: { suppressed: flag(e, 'overtimeSuppressed'), people: num(e, 'overtimePeople'), minutes: num(e, 'overtimeMinutes'), days: num(e, 'overtimeDays') },
    oneonone: {
      held: num(e, 'oneononeHeld'),
      pairs: num(e, 'oneononePairs'),
      pairsLate: num(e, 'oneononePairsLate'),
      lateNewMonth: num(e, 'oneononeLateNewMonth'),
      lateNewHalf: num(e, 'oneononeLateNewHalf'),
      lateNewYear: num(e, 'oneononeLateNewYear'),
    },
    kudos: readDistribution(e, KUDOS_VALUE_KEYS, kudosValueColumn, 'kudosTotal', 'kudosSuppressed'),
  });
  if (f.nearmiss) {
    f.nearmiss = {
      byCategory: readDistribution(e, NEARMISS_CATEGORY_KEYS, nearmissCategoryColumn, 'nearmissTotal', 'nearmissSuppressed'),
      byImpact: readDistribution(e, NEARMISS_IMPACT_KEYS, nearmissImpactColumn, 'nearmissTotal', 'nearmissSuppressed'),
    };
  }
  const day = typeof e.day === 'string' ? e.day : undefined;
  return {
    key,
    figures: f,
    day,
    days: day ? 1 : num(e, 'days'),
    lastDay: day ?? String(e.lastDay ?? ''),
    overtimeMonthlyAverage: typeof e.overtimeMonthlyAverage === 'number' ? e.overtimeMonthlyAverage : null,
    policy: readPolicy(e),
  };
}
