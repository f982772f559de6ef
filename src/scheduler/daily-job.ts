import { DateTime } from 'luxon';

/**
 * One thing to do on a day between `from` and `until` (Tokyo wall-clock times): due at `from`, and
 * still run later if hibi was down at `from` but is back before `until`.
 */
export interface DailyOccurrence {
  /** Unique within tenant and day. */
  id: string;
  from: string;
  until: string;
  run(): Promise<void>;
}

/** Supplies the occurrences of a tenant's day; features implement it, the scheduler runs it. */
export interface DailyJobSource {
  /**
   * Office days only (the default), or every calendar day: for what follows a date someone chose,
   * such as a 1on1 booked on a Saturday, rather than the office's own rhythm.
   */
  readonly days?: 'officeDays' | 'everyDay';
  occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]>;
}

/** The instant a Tokyo wall-clock time "HH:mm" happens on `day`. */
export function atTokyo(day: string, time: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromISO(day, { zone: 'Asia/Tokyo' }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

export function addMinutes(time: string, minutes: number): string {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const total = Math.min(hour * 60 + minute + minutes, 23 * 60 + 59);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function isDue(occurrence: Pick<DailyOccurrence, 'from' | 'until'>, day: string, now: Date): boolean {
  return now >= atTokyo(day, occurrence.from) && now < atTokyo(day, occurrence.until);
}
