import { DateTime } from 'luxon';

const ZONE = 'Asia/Tokyo';

/** The instant `months` before `now` (Tokyo calendar months), as the ISO strings hibi stores. */
export function cutoffInstant(now: Date, months: number): string {
  return DateTime.fromJSDate(now, { zone: ZONE }).minus({ months }).toJSDate().toISOString();
}

/** The Tokyo day `months` before `now`'s day: what is on or before it is past its time. */
export function cutoffDay(now: Date, months: number): string {
  return DateTime.fromJSDate(now, { zone: ZONE }).minus({ months }).toISODate() ?? '';
}

/**
 * A check-in's answers with every free text emptied. Every string answer is free text (優先・目的・
 * 困りごと・できたこと・持ち越し・学び); the numbers and the toggle (体調, 満足度, 時間外, 助けが必要)
 * are what HR's KPIs count and stay. Undefined when there was nothing to empty.
 */
export function blankedAnswers(answers: Record<string, unknown>): Record<string, unknown> | undefined {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value === 'string' && value !== '') {
      out[key] = '';
      changed = true;
    } else out[key] = value;
  }
  return changed ? out : undefined;
}

/** The free texts of a near-miss report; the category, cause, 影響度 and unit stay for the statistics and the repeat flags. */
export const NEARMISS_TEXT_COLUMNS = ['what', 'consequence', 'idea', 'countermeasure', 'countermeasureOwner'] as const;

/**
 * The first row key of 1on1 texts booked on `day` or later. A meeting id starts with its booking
 * time (`m<yyyyMMddHHmmss>-…`) and a 1on1 is never booked for a past day, so only texts keyed below
 * it can belong to a meeting held on or before `day`: the nightly job reads those, not every text.
 */
export function bookedBeforeKey(day: string): string {
  return `m${day.replace(/-/g, '')}`;
}

/** The booking day a meeting id carries, for a meeting whose row is gone. */
export function bookingDayOf(meetingId: string): string | undefined {
  const match = /^m(\d{4})(\d{2})(\d{2})/.exec(meetingId);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/**
 * Whether a pair's texts are past their time: never while the pair is in the directory; else from
 * the day the pair was seen to end, or, when nothing says (a pair renamed DEPARTED, a row lost),
 * from the meeting's day.
 */
export function textsExpired(pair: { current: boolean; endedOn?: string; meetingDay?: string }, cutoff: string): boolean {
  if (pair.current) return false;
  const since = pair.endedOn ?? pair.meetingDay;
  return since !== undefined && since <= cutoff;
}

/**
 * The last fiscal year (April–March) that ended on or before `cutoff`: rows counted for it (HR's
 * paid-leave year, a training that started in it), and for every year before, are past their time.
 */
export function lastFiscalYearEndedBy(cutoff: string): number {
  const year = Number(cutoff.slice(0, 4));
  return cutoff.slice(5) >= '03-31' ? year - 1 : year - 2;
}
