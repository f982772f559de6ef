import { addDays, fiscalPeriodOf } from '../calendar/office-calendar';
import type { HalfDay } from '../features/checkin/checkin.public';
import type { PaidLeaveRepository } from '../features/paidleave/paidleave.public';
import { fiscalYearDays, type PaidLeaveGrant } from '../features/paidleave/paidleave.schema';
import type { Person } from '../directory/org.schema';
import { between, chance, intBetween, randomFor } from './demo-random';
import { tokyoAt, type DaysLoad, type Member } from './demo-history.plan';

/**
 * The demo town's paid leave (有給): the days off are the check-in's 休み (whole days from
 * isOnLeave, and the 午前休 / 午後休 here), and each person's grant for the fiscal year is loaded
 * as HR's import from the attendance system would: days granted, and the days taken up to the day
 * before the history begins. So 有給 shows a balance and the report a 有給休暇取得率.
 */

/** Chance of a half day off on a day at work; Fridays a little more. */
const HALF_DAY = 0.012;
const FRIDAY_HALF_DAY = 0.02;

/** A 午前休 or 午後休 on a day the person is not off for the whole day. */
export function halfDayOffOf(person: Person, day: string): HalfDay | undefined {
  const r = randomFor('half-leave', person.id, day);
  const friday = new Date(`${day}T00:00:00Z`).getUTCDay() === 5;
  if (!chance(r, friday ? FRIDAY_HALF_DAY : HALF_DAY)) return undefined;
  return chance(r, 0.5) ? 'am' : 'pm';
}

/**
 * One person's grant: 20 days (a 会計年度任用職員 10 to 14), a third carrying days over from the
 * year before; when the history starts after April, the import's days taken up to then, at a pace
 * around the 70% target.
 */
export function grantOf(person: Member, fiscalYear: number, firstLoaded: string): PaidLeaveGrant {
  const r = randomFor('paid-leave-grant', person.id, fiscalYear);
  const carried = chance(r, 0.35) ? intBetween(r, 2, 10) : 0;
  const grantedDays = (person.role === 'appointee' ? intBetween(r, 10, 14) : 20) + carried;
  const start = fiscalYearDays(fiscalYear).from;
  const importedAt = tokyoAt(firstLoaded, 8 * 60 + 30).toISOString();
  if (firstLoaded <= start) return { fiscalYear, personId: person.id, grantedDays, importedAt };
  const takenAsOf = addDays(firstLoaded, -1);
  const elapsed = (Date.parse(takenAsOf) - Date.parse(start)) / (365 * 86_400_000);
  const takenDays = Math.min(grantedDays, Math.round(grantedDays * elapsed * between(r, 0.45, 1.05) * 2) / 2);
  return { fiscalYear, personId: person.id, grantedDays, takenDays, takenAsOf, importedAt };
}

/**
 * Each fiscal year the loaded days fall in: a grant for every member who has none yet (so HR's own
 * import in the Playground stays as it is), as of the first day the history loads in that year.
 * Returns the grants written.
 */
export async function writePaidLeaveHistory(grants: PaidLeaveRepository, load: DaysLoad): Promise<number> {
  let written = 0;
  const years = [...new Set(load.days.map((d) => fiscalPeriodOf(d).fiscalYear))];
  for (const fiscalYear of years) {
    const firstLoaded = load.days.find((d) => fiscalPeriodOf(d).fiscalYear === fiscalYear) as string;
    const granted = new Set((await grants.listYear(load.tenantId, fiscalYear)).map((g) => g.personId));
    const missing = load.members.filter((m) => !granted.has(m.id)).map((m) => grantOf(m, fiscalYear, firstLoaded));
    if (missing.length > 0) await grants.replace(load.tenantId, missing);
    written += missing.length;
  }
  return written;
}
