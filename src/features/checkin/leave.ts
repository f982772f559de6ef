import { DateTime } from 'luxon';

export type LeaveDayReading = { ok: true; day: string } | { ok: false; reason: 'invalid' | 'past'; day?: string };

/**
 * Reads the day of a leave command: nothing = today; 11/26, 11月26日 = the next such day; or
 * 2026-11-26. A past day is refused: leave is for planning, not for excusing a missed check-in.
 */
export function readLeaveDay(args: string, today: string): LeaveDayReading {
  const text = args.normalize('NFKC').trim();
  if (text === '' || text === '今日' || text.toLowerCase() === 'today') return { ok: true, day: today };
  const base = DateTime.fromISO(today, { zone: 'Asia/Tokyo' });
  let candidate: DateTime | undefined;
  const full = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  const short = /^(\d{1,2})(?:\/|月)(\d{1,2})日?$/.exec(text);
  if (full) candidate = DateTime.fromObject({ year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) }, { zone: 'Asia/Tokyo' });
  else if (short) {
    candidate = DateTime.fromObject({ year: base.year, month: Number(short[1]), day: Number(short[2]) }, { zone: 'Asia/Tokyo' });
    if (candidate.isValid && candidate < base) candidate = candidate.plus({ years: 1 });
  } else if (text === '明日' || text.toLowerCase() === 'tomorrow') candidate = base.plus({ days: 1 });
  if (!candidate?.isValid) return { ok: false, reason: 'invalid' };
  const day = candidate.toISODate() as string;
  if (day < today) return { ok: false, reason: 'past', day };
  return { ok: true, day };
}
