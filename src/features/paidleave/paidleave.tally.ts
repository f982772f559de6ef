import { isOfficeDay } from '../../calendar/office-calendar';
import type { PaidLeaveTally } from '../kpi/kpi.public';
import { fiscalYearDays, type PaidLeaveGrant } from './paidleave.schema';

/** How one person's days taken were arrived at, so the balance can say where its figure comes from. */
export interface TakenDays {
  takenDays: number;
  /** HR's imported figure and its date, when it was used. */
  imported?: { days: number; asOf: string };
  /** hibi's 休み office days counted on top of (or instead of) the import; a 午前休 or 午後休 is half of one. */
  leaveDays: number;
  /** The last day counted. */
  through: string;
}

/** One 休み as the check-in feature keeps it: a day, and the half of it for a 午前休 / 午後休. */
export interface LeaveTaken {
  day: string;
  half?: 'am' | 'pm';
}

/** A 午前休 or 午後休 is half a day of paid leave, as attendance systems count 半休. */
export function daysOfLeave(leave: LeaveTaken): number {
  return leave.half ? 0.5 : 1;
}

/**
 * Days taken in a grant's fiscal year up to `through` (inclusive). HR's import wins for the days it
 * covers (up to its 基準日); each office day the person registered as 休み after that, or from the
 * year's start when there is no usable import, counts as one day (a half day as 0.5). An import dated
 * after `through` covers days after it, so it is not used. No one takes more paid leave than they were
 * granted: days beyond are other kinds of leave and are not counted.
 */
export function takenDaysOf(grant: PaidLeaveGrant, leaves: Iterable<LeaveTaken>, through: string): TakenDays {
  const year = fiscalYearDays(grant.fiscalYear);
  const last = through < year.to ? through : year.to;
  const imported =
    grant.takenDays !== undefined && grant.takenAsOf !== undefined && grant.takenAsOf <= last ? { days: grant.takenDays, asOf: grant.takenAsOf } : undefined;
  let counted = 0;
  for (const leave of leaves) {
    const { day } = leave;
    const inRange = imported ? day > imported.asOf : day >= year.from;
    if (inRange && day <= last && isOfficeDay(day)) counted += daysOfLeave(leave);
  }
  return { takenDays: Math.min(grant.grantedDays, (imported?.days ?? 0) + counted), imported, leaveDays: counted, through: last };
}

/** The KPI's per-person facts: everyone with days granted in the year, with the days taken up to `through`. */
export function tallyPaidLeave(grants: readonly PaidLeaveGrant[], leavesOf: (personId: string) => Iterable<LeaveTaken>, through: string): PaidLeaveTally[] {
  return grants
    .filter((grant) => grant.grantedDays > 0)
    .map((grant) => ({
      personId: grant.personId,
      grantedDays: grant.grantedDays,
      takenDays: takenDaysOf(grant, leavesOf(grant.personId), through).takenDays,
    }));
}

/** 有給休暇取得率 of a group: all days taken over all days granted (0..1); null when nobody in it was granted any. */
export function paidLeaveRate(tallies: readonly PaidLeaveTally[]): number | null {
  const granted = tallies.reduce((sum, t) => sum + t.grantedDays, 0);
  if (granted <= 0) return null;
  return tallies.reduce((sum, t) => sum + t.takenDays, 0) / granted;
}
