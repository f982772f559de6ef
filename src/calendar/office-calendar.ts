import holidayJp from '@holiday-jp/holiday_jp';
import { DateTime } from 'luxon';

const TOKYO = 'Asia/Tokyo';

/** A calendar day in Tokyo as YYYY-MM-DD; the unit every daily record and schedule is keyed by. */
export type IsoDay = string;

export function tokyoDay(at: Date): IsoDay {
  return DateTime.fromJSDate(at).setZone(TOKYO).toISODate() as IsoDay;
}

function parseDay(day: IsoDay): DateTime {
  const dt = DateTime.fromISO(day, { zone: TOKYO });
  if (!dt.isValid) throw new RangeError(`not a calendar day: ${day}`);
  return dt;
}

/** Looked up by the YYYY-MM-DD key: holiday_jp's Date API reads local fields, i.e. the server's TZ. */
function nationalHoliday(day: IsoDay): { name: string } | undefined {
  return (holidayJp.holidays as Record<string, { name: string } | undefined>)[day];
}

/** The government year-end break (年末年始, Dec 29 – Jan 3). */
function isYearEndBreak(dt: DateTime): boolean {
  return (dt.month === 12 && dt.day >= 29) || (dt.month === 1 && dt.day <= 3);
}

export function holidayName(day: IsoDay): string | undefined {
  parseDay(day);
  return nationalHoliday(day)?.name;
}

export function isOfficeDay(day: IsoDay): boolean {
  const dt = parseDay(day);
  return dt.weekday <= 5 && nationalHoliday(day) === undefined && !isYearEndBreak(dt);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return parseDay(day).plus({ days }).toISODate() as IsoDay;
}

export function nextOfficeDay(day: IsoDay): IsoDay {
  let d = addDays(day, 1);
  while (!isOfficeDay(d)) d = addDays(d, 1);
  return d;
}

export function previousOfficeDay(day: IsoDay): IsoDay {
  let d = addDays(day, -1);
  while (!isOfficeDay(d)) d = addDays(d, -1);
  return d;
}

export type Half = 'H1' | 'H2';

export interface FiscalPeriod {
  /** FY2026 = 2026-04-01..2027-03-31 (令和8年度). */
  fiscalYear: number;
  /** 上期 Apr–Sep = H1, 下期 Oct–Mar = H2. */
  half: Half;
  /** e.g. FY2026H2 — the id used in keys and exports. */
  id: string;
  start: IsoDay;
  end: IsoDay;
}

export function fiscalPeriodOf(day: IsoDay): FiscalPeriod {
  const dt = parseDay(day);
  const fiscalYear = dt.month >= 4 ? dt.year : dt.year - 1;
  const half: Half = dt.month >= 4 && dt.month <= 9 ? 'H1' : 'H2';
  const start = half === 'H1' ? `${fiscalYear}-04-01` : `${fiscalYear}-10-01`;
  const end = half === 'H1' ? `${fiscalYear}-09-30` : `${fiscalYear + 1}-03-31`;
  return { fiscalYear, half, id: `FY${fiscalYear}${half}`, start, end };
}

/** 令和8年度 上期 — how HR names the period. */
export function fiscalPeriodLabelJa(period: FiscalPeriod): string {
  const reiwa = period.fiscalYear - 2018;
  return `令和${reiwa}年度 ${period.half === 'H1' ? '上期' : '下期'}`;
}
