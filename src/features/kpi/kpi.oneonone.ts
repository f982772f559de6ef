import { dayNumber, periodStarts } from './kpi.period';

/**
 * A pair's 1on1 history as the KPI needs it, in day numbers. A pair is late on day d when d is
 * after (its last 1on1 held on or before d, else the day hibi started its clock) + its cadence: the
 * rule the 1on1 feature's views and digest apply (`viewPair`), here for any past day.
 */
export interface PairHistory {
  unit: string;
  role: string;
  since: number;
  cadenceDays: number;
  /** Days its 1on1s were held, any order. */
  held: number[];
}

export interface PairDay {
  unit: string;
  role: string;
  late: boolean;
  /** Late today and on no earlier day of the same month / half / fiscal year. */
  lateNew: { month: boolean; half: boolean; year: boolean };
}

/** The pair's late days as inclusive [from, to] intervals, in order; the last may run forever. */
export function lateIntervals(pair: Pick<PairHistory, 'since' | 'cadenceDays' | 'held'>): [number, number][] {
  const held = [...new Set(pair.held)].sort((a, b) => a - b);
  const before = held.filter((h) => h <= pair.since);
  let anchor = before.length > 0 ? (before.at(-1) as number) : pair.since;
  let start = pair.since;
  const out: [number, number][] = [];
  const close = (end: number): void => {
    const from = Math.max(start, anchor + pair.cadenceDays + 1);
    if (from <= end) out.push([from, end]);
  };
  for (const h of held.filter((d) => d > pair.since)) {
    close(h - 1);
    start = h;
    anchor = h;
  }
  close(Number.POSITIVE_INFINITY);
  return out;
}

/** The pair on `day`, or undefined before hibi started its clock; `starts` is `periodStarts(day)`, the same for every pair. */
export function pairOnDay(pair: PairHistory, intervals: readonly [number, number][], day: string, starts = periodStarts(day)): PairDay | undefined {
  const d = dayNumber(day);
  if (d < pair.since) return undefined;
  const late = intervals.some(([from, to]) => from <= d && d <= to);
  let lastLateBefore = Number.NEGATIVE_INFINITY;
  for (const [from, to] of intervals) if (from < d) lastLateBefore = Math.max(lastLateBefore, Math.min(to, d - 1));
  return {
    unit: pair.unit,
    role: pair.role,
    late,
    lateNew: { month: late && lastLateBefore < starts.month, half: late && lastLateBefore < starts.half, year: late && lastLateBefore < starts.year },
  };
}
