import { emptyFigures, monthlyOvertimeOf, type Distribution, type Figures, type GroupKey, type Mean, type OneOnOneFigures } from './kpi.figures';
import type { PolicyFigures } from './kpi.policy-figures';
import type { Period, Suppressible } from './kpi.types';

/** A period's row: the sum of its days (a month) or of its months (a half, a fiscal year). */
export interface PeriodRow {
  key: GroupKey;
  figures: Figures;
  /** Days rolled up into it: the coverage HR sees next to every figure. */
  days: number;
  lastDay: string;
  /** A month: minutes per person over the month; a half or year: the mean of its months'. */
  overtimeMonthlyAverage: Suppressible;
  /** The period's 有給休暇 / 研修 / OJT snapshot; absent when those sources are not wired. */
  policy?: PolicyFigures;
}

/** One day's row or one month's row, as a part of a longer period. */
export interface Part {
  figures: Figures;
  days: number;
  lastDay: string;
  overtimeMonthlyAverage?: Suppressible;
}

function addMean(into: Mean, part: Mean): void {
  into.count += part.count;
  into.sum += part.sum;
  into.suppressed ||= part.suppressed;
}

function addDistribution(into: Distribution, part: Distribution): void {
  into.total += part.total;
  into.suppressed ||= part.suppressed;
  for (const [key, n] of Object.entries(part.counts)) into.counts[key] = (into.counts[key] ?? 0) + n;
}

/** A figure hidden on some days is shown over the days it was not; hidden only if it was hidden on every day it had. */
function settleMean(m: Mean): void {
  m.suppressed = m.suppressed && m.count === 0;
}

function settleDistribution(d: Distribution, anyShown: boolean): void {
  d.suppressed = d.suppressed && !anyShown;
}

const latest = (parts: readonly Part[]): Part | undefined => [...parts].sort((a, b) => a.lastDay.localeCompare(b.lastDay)).at(-1);

/**
 * Adds parts up: counts and sums add, so a period is recomputed exactly from its days; head counts
 * and pair counts are the latest part's; a suppressed part adds nothing but its counts (totals).
 */
export function aggregate(key: GroupKey, parts: readonly Part[], kind: Period['kind']): PeriodRow {
  const f = emptyFigures(key.level !== 'role');
  const last = latest(parts);
  let kudosShown = false;
  let nearmissShown = false;
  for (const { figures: p } of parts) {
    f.promptsMorning += p.promptsMorning;
    f.promptsEvening += p.promptsEvening;
    f.answeredMorning += p.answeredMorning;
    f.answeredEvening += p.answeredEvening;
    f.helpRequested += p.helpRequested;
    f.helpTaken += p.helpTaken;
    addMean(f.condition, p.condition);
    addMean(f.satisfaction, p.satisfaction);
    f.overtime.people += p.overtime.people;
    f.overtime.minutes += p.overtime.minutes;
    f.overtime.days += p.overtime.days;
    f.overtime.suppressed ||= p.overtime.suppressed;
    f.oneonone.held += p.oneonone.held;
    f.oneonone.lateNewMonth += p.oneonone.lateNewMonth;
    f.oneonone.lateNewHalf += p.oneonone.lateNewHalf;
    f.oneonone.lateNewYear += p.oneonone.lateNewYear;
    addDistribution(f.kudos, p.kudos);
    kudosShown ||= !p.kudos.suppressed;
    if (f.nearmiss && p.nearmiss) {
      addDistribution(f.nearmiss.byCategory, p.nearmiss.byCategory);
      addDistribution(f.nearmiss.byImpact, p.nearmiss.byImpact);
      nearmissShown ||= !p.nearmiss.byCategory.suppressed;
    }
  }
  settleMean(f.condition);
  settleMean(f.satisfaction);
  f.overtime.suppressed = f.overtime.suppressed && f.overtime.people === 0;
  settleDistribution(f.kudos, kudosShown);
  if (f.nearmiss) {
    settleDistribution(f.nearmiss.byCategory, nearmissShown);
    settleDistribution(f.nearmiss.byImpact, nearmissShown);
  }
  if (last) {
    f.members = last.figures.members;
    f.oneonone.pairs = last.figures.oneonone.pairs;
    f.oneonone.pairsLate = last.figures.oneonone.pairsLate;
  }
  return {
    key,
    figures: f,
    days: parts.reduce((n, p) => n + p.days, 0),
    lastDay: last?.lastDay ?? '',
    overtimeMonthlyAverage: kind === 'month' ? monthlyOvertimeOf(f.overtime) : meanOfMonths(parts),
  };
}

function meanOfMonths(parts: readonly Part[]): Suppressible {
  const values = parts.map((p) => p.overtimeMonthlyAverage).filter((v): v is number => typeof v === 'number');
  return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

/** Pairs late at some point in the period: the counter that restarts with periods of its kind. */
export function pairsLateIn(o: OneOnOneFigures, kind: Period['kind']): number {
  return kind === 'month' ? o.lateNewMonth : kind === 'half' ? o.lateNewHalf : o.lateNewYear;
}

/** Pairs never late in the period, among those at its end. */
export function pairsOnTimeIn(o: OneOnOneFigures, kind: Period['kind']): number {
  return Math.max(0, o.pairs - pairsLateIn(o, kind));
}
