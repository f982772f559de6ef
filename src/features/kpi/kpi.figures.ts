import { compositeKey } from '../../storage/table-keys';
import { ROLE_LABELS_JA, type RoleKey } from '../../directory/org.schema';
import { CATEGORIES, IMPACTS } from '../nearmiss/nearmiss.public';
import { VALUE_KEYS } from '../kudos/kudos.public';
import { MIN_GROUP_SIZE, type Suppressible } from './kpi.types';

/**
 * Rows are kept for the whole town, each 課 and each 役職 (town-wide), never for a 課 × 役職 cell:
 * most cells are one or two people (each 課 has one 課長), and a 課's total minus its other cells
 * would give them away.
 */
export type Level = 'town' | 'unit' | 'role';

export interface GroupKey {
  level: Level;
  /** The 課 of a unit row; '' = people without one (町長・副町長). */
  unit?: string;
  /** The role key of a role row; '' = a person no longer in the directory. */
  role?: string;
}

export const TOWN: GroupKey = { level: 'town' };

/** town, unit|<課>, role|<role key>: the RowKey of both rollup tables. */
export function rowKeyOf(key: GroupKey): string {
  if (key.level === 'town') return 'town';
  return key.level === 'unit' ? compositeKey('unit', key.unit ?? '') : compositeKey('role', key.role ?? '');
}

export function roleLabelJa(role: string): string {
  return ROLE_LABELS_JA[role as RoleKey] ?? '不明';
}

/** An average's ingredients: only people whose group had at least 3 answers that day count. */
export interface Mean {
  /** The group was under 3 people on every day that had answers: no figure may be shown. */
  suppressed: boolean;
  count: number;
  sum: number;
}

export interface Overtime {
  suppressed: boolean;
  /** Evening answers (person-days); an empty 時間外 counts as 0 minutes. */
  people: number;
  minutes: number;
  /** Days with at least one counted answer: people / days is the group's size on an average day. */
  days: number;
}

export interface Distribution {
  total: number;
  /** Fewer than 3 people in the group: the breakdown is not kept, only the total. */
  suppressed: boolean;
  counts: Record<string, number>;
}

export interface OneOnOneFigures {
  /** 1on1s held (record saved) that day or period, by the member's 課 and 役職 when booked. */
  held: number;
  /** Pairs that exist (the cadence clock started), on the day or the period's last day. */
  pairs: number;
  /** Pairs past their cadence without a 1on1, on the day or the period's last day. */
  pairsLate: number;
  /** Pairs late for the first time in the month / half / fiscal year on that day (summed over a period). */
  lateNewMonth: number;
  lateNewHalf: number;
  lateNewYear: number;
}

/** What one rollup row holds, daily or for a period: counts, exact sums, and what is suppressed. */
export interface Figures {
  /** Active people in the group (directory), on the day or the period's last day. */
  members: number;
  promptsMorning: number;
  promptsEvening: number;
  answeredMorning: number;
  answeredEvening: number;
  helpRequested: number;
  helpTaken: number;
  condition: Mean;
  satisfaction: Mean;
  overtime: Overtime;
  oneonone: OneOnOneFigures;
  /** By 業務区分 (`category`) and 影響度 (`impact1`..`impact4`); absent on role rows (anonymous reports have no role). */
  nearmiss?: { byCategory: Distribution; byImpact: Distribution };
  kudos: Distribution;
}

export const NEARMISS_CATEGORY_KEYS: readonly string[] = CATEGORIES;
export const NEARMISS_IMPACT_KEYS: readonly string[] = IMPACTS;
export const KUDOS_VALUE_KEYS: readonly string[] = VALUE_KEYS;

const zeros = (keys: readonly string[]): Record<string, number> => Object.fromEntries(keys.map((k) => [k, 0]));

export function emptyDistribution(keys: readonly string[]): Distribution {
  return { total: 0, suppressed: false, counts: zeros(keys) };
}

export function emptyFigures(withNearmiss: boolean): Figures {
  return {
    members: 0,
    promptsMorning: 0,
    promptsEvening: 0,
    answeredMorning: 0,
    answeredEvening: 0,
    helpRequested: 0,
    helpTaken: 0,
    condition: { suppressed: false, count: 0, sum: 0 },
    satisfaction: { suppressed: false, count: 0, sum: 0 },
    overtime: { suppressed: false, people: 0, minutes: 0, days: 0 },
    oneonone: { held: 0, pairs: 0, pairsLate: 0, lateNewMonth: 0, lateNewHalf: 0, lateNewYear: 0 },
    nearmiss: withNearmiss ? { byCategory: emptyDistribution(NEARMISS_CATEGORY_KEYS), byImpact: emptyDistribution(NEARMISS_IMPACT_KEYS) } : undefined,
    kudos: emptyDistribution(KUDOS_VALUE_KEYS),
  };
}

const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function averageOf(mean: Mean): Suppressible {
  return mean.suppressed || mean.count === 0 ? null : round(mean.sum / mean.count);
}

/** Answered check-ins / prompts; null for a group under 3 people or without prompts. */
export function checkinRateOf(f: Figures): Suppressible {
  const prompts = f.promptsMorning + f.promptsEvening;
  if (f.members < MIN_GROUP_SIZE || prompts === 0) return null;
  return round((f.answeredMorning + f.answeredEvening) / prompts);
}

/** Overtime per person per answered day. */
export function overtimeAverageOf(o: Overtime): Suppressible {
  return o.suppressed || o.people === 0 ? null : round(o.minutes / o.people);
}

/**
 * A month's overtime per person: the minutes over the number of people answering on an average
 * day, i.e. what one person worked over the month when the same people answer every day.
 */
export function monthlyOvertimeOf(o: Overtime): Suppressible {
  return o.suppressed || o.people === 0 ? null : round((o.minutes * o.days) / o.people, 2);
}

export function completionRateOf(pairs: number, onTime: number): Suppressible {
  return pairs < MIN_GROUP_SIZE ? null : round(onTime / pairs);
}

export function distributionOf(d: Distribution, keys: readonly string[]): Record<string, Suppressible> {
  return Object.fromEntries(keys.map((k) => [k, d.suppressed ? null : (d.counts[k] ?? 0)]));
}
