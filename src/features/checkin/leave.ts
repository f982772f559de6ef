import { addDays, isOfficeDay, tokyoDay } from '../../calendar/office-calendar';
import { DateTime } from 'luxon';
import { isDue } from '../../scheduler/daily-job';
import { SLOTS, type Slot } from './checkin.schema';
import { promptWindowOf, type PromptWindows } from './unit-schedule.schema';

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

/** 午前休 / 午後休: the half of an office day a 休み covers; no half = the whole day. */
export const HALF_DAYS = ['am', 'pm'] as const;
export type HalfDay = (typeof HALF_DAYS)[number];

/** One 休み as stored: a person's day off, or half of it. */
export interface LeaveEntry {
  day: string;
  personId: string;
  half?: HalfDay;
}

/** The check-in a half day off skips: the morning one for 午前休, the evening one for 午後休. */
export function skipsSlot(half: HalfDay | undefined, slot: 'morning' | 'evening'): boolean {
  return half === undefined || (half === 'am') === (slot === 'morning');
}

export type LeaveRequestReading = { ok: true; day: string; half?: HalfDay } | { ok: false; reason: 'invalid' | 'past' | 'whichHalf'; day?: string };

/**
 * How people write a half day, in the command word (午前休 11/26) or after it (休み 11/26 午後,
 * leave am 11/26). 半休 / half alone does not say which half.
 */
const HALF_WORDS: { pattern: RegExp; half: HalfDay | 'either' }[] = [
  { pattern: /の?午前(?:中|半休|休|半日)?|(?<![a-z])(?:am|a\.m\.|morning)(?![a-z])/gi, half: 'am' },
  { pattern: /の?午後(?:半休|休|半日)?|(?<![a-z])(?:pm|p\.m\.|afternoon)(?![a-z])/gi, half: 'pm' },
  { pattern: /の?(?:半休|半日)|(?<![a-z])half(?:[- ]?day)?(?![a-z])/gi, half: 'either' },
];

/** The half-day words of a leave message, taken out of what follows the command word. */
function takeHalfWords(message: string, args: string): { named: HalfDay[]; either: boolean; rest: string } {
  const halves = new Set<HalfDay | 'either'>();
  const whole = message.normalize('NFKC');
  let rest = args.normalize('NFKC');
  for (const { pattern, half } of HALF_WORDS) {
    if (whole.match(pattern)) halves.add(half);
    rest = rest.replace(pattern, () => {
      halves.add(half);
      return ' ';
    });
  }
  return { named: HALF_DAYS.filter((h) => halves.has(h)), either: halves.has('either'), rest };
}

/**
 * Reads a whole leave message (its command word may name the half) and what follows the command
 * word: `午前休 11/26`, `休み 明日の午後`, `leave pm 11/26`. The day is read as readLeaveDay reads it,
 * once the half-day words are taken out; both halves, or 半休 without one, is asked again rather
 * than guessed.
 */
export function readLeaveRequest(message: string, args: string, today: string): LeaveRequestReading {
  const { named, either, rest } = takeHalfWords(message, args);
  if (named.length > 1 || (either && named.length === 0)) return { ok: false, reason: 'whichHalf' };
  const reading = readLeaveDay(rest, today);
  if (!reading.ok || !named[0]) return reading;
  return { ok: true, day: reading.day, half: named[0] };
}

/** The 休み to take back: its day, and the half when one was named (none = whatever that day holds). */
export type LeaveCancelReading = { ok: true; day: string; half?: HalfDay } | { ok: false; reason: 'invalid' | 'past'; day?: string };

export type LeaveCommand = { action: 'list' } | { action: 'register'; reading: LeaveRequestReading } | { action: 'cancel'; reading: LeaveCancelReading };

/** 休み 取消 11/26, 休み 11/26 を取り消し, leave cancel / undo: the words, with the particle and verb ending around them. */
const CANCEL_WORDS = /を?(?:取り?消し?|取りけし|とりけし|キャンセル)(?:する|します|して)?|(?<![a-z])(?:cancel|undo)(?![a-z])/gi;
/** 休み 一覧, leave list: what the person has registered. */
const LIST_WORDS = /一覧|いちらん|確認|予定|(?<![a-z])(?:list|show)(?![a-z])/gi;

/**
 * What a leave message asks for: to register a day (or half), to take one back, or to see the
 * registered ones. A cancel reads its day as registering does; a past day is refused the same way,
 * since the check-ins and 有給 of a day gone by are already counted.
 */
export function readLeaveCommand(message: string, args: string, today: string): LeaveCommand {
  const text = message.normalize('NFKC');
  if (text.match(CANCEL_WORDS)) {
    const { named, rest } = takeHalfWords(message, args.normalize('NFKC').replace(CANCEL_WORDS, ' '));
    const reading = readLeaveDay(rest, today);
    return { action: 'cancel', reading: reading.ok && named.length === 1 ? { ...reading, half: named[0] } : reading };
  }
  if (text.match(LIST_WORDS) && args.normalize('NFKC').replace(LIST_WORDS, '').trim() === '') return { action: 'list' };
  return { action: 'register', reading: readLeaveRequest(message, args, today) };
}

/** 休み 一覧 shows the person's 休み from today through this many days ahead, at most LEAVE_LIST_LINES of them. */
export const LEAVE_LIST_DAYS = 60;
export const LEAVE_LIST_LINES = 20;

/** The last day 休み 一覧 covers. */
export function leaveListEnd(today: string): string {
  return addDays(today, LEAVE_LIST_DAYS);
}

/**
 * The prompts a 休み taken back today leaves owed now: those of the slots it covered whose window
 * (prompt time to close) is open, so the scheduler has passed the person over and will not come
 * back. A prompt still ahead is the scheduler's to send at its time; one past its close is not sent
 * late, as the scheduler would not send it either.
 */
export function promptsOwedOnCancel(cancelled: Pick<LeaveEntry, 'day' | 'half'>, now: Date, windows: PromptWindows): Slot[] {
  if (cancelled.day !== tokyoDay(now) || !isOfficeDay(cancelled.day)) return [];
  return SLOTS.filter((slot) => skipsSlot(cancelled.half, slot) && isDue(promptWindowOf(windows, slot), cancelled.day, now));
}
