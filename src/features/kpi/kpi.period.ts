import { z } from 'zod';
import type { Period, PeriodId } from './kpi.types';

/**
 * Periods HR measures: a month, a half (上期 Apr–Sep = H1, 下期 Oct–Mar = H2) or a fiscal year
 * (FY2026 = 2026-04-01..2027-03-31). Days are `YYYY-MM-DD` calendar days in Asia/Tokyo, handled as
 * plain strings and day numbers so a half-year of rollups needs no time-zone arithmetic.
 */
const HALF_OR_YEAR = /^FY(\d{4})(H[12])?$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const PERIOD_ID_HELP = 'FY2026H1 (上期 Apr–Sep), FY2026H2 (下期 Oct–Mar), FY2026 (fiscal year Apr–Mar) or 2026-05 (a month)';

const pad = (n: number): string => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthPeriod(year: number, month: number): Period {
  return { id: `${year}-${pad(month)}`, kind: 'month', from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}` };
}

function fiscalPeriod(fiscalYear: number, half: 'H1' | 'H2' | undefined): Period {
  if (half === 'H1') return { id: `FY${fiscalYear}H1`, kind: 'half', from: `${fiscalYear}-04-01`, to: `${fiscalYear}-09-30` };
  if (half === 'H2') return { id: `FY${fiscalYear}H2`, kind: 'half', from: `${fiscalYear}-10-01`, to: `${fiscalYear + 1}-03-31` };
  return { id: `FY${fiscalYear}`, kind: 'year', from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

/** Reads a period id; lower case and surrounding spaces are forgiven, anything else is refused with the forms it may take. */
export const periodIdSchema = z.string({ error: `required: ${PERIOD_ID_HELP}` }).transform((raw, ctx): Period => {
  const text = raw.trim().toUpperCase();
  const fiscal = HALF_OR_YEAR.exec(text);
  const month = MONTH.exec(text);
  const year = Number(fiscal?.[1] ?? month?.[1]);
  if ((!fiscal && !month) || year < 2000 || year > 2098) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a period: use ${PERIOD_ID_HELP}` });
    return z.NEVER;
  }
  return fiscal ? fiscalPeriod(year, fiscal[2] as 'H1' | 'H2' | undefined) : monthPeriod(year, Number(month?.[2]));
});

export class PeriodIdError extends Error {}

/** The period an id names; throws PeriodIdError with a message that says what is accepted. */
export function parsePeriod(id: PeriodId): Period {
  const parsed = periodIdSchema.safeParse(id);
  if (!parsed.success) throw new PeriodIdError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** The same period one year earlier: what the −10% overtime target compares with. */
export function previousYearOf(period: Period): Period {
  const year = Number(period.from.slice(0, 4)) - 1;
  if (period.kind === 'month') return monthPeriod(year, Number(period.from.slice(5, 7)));
  return fiscalPeriod(year, period.kind === 'half' ? (period.id.endsWith('H1') ? 'H1' : 'H2') : undefined);
}

/** The months of a period in order, as month ids (`2026-04`). */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const id = `${year}-${pad(month)}`;
    out.push(id);
    if (id >= last) return out;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

export interface PeriodsOfDay {
  month: string;
  half: string;
  year: string;
}

/** The month, half and fiscal year a day belongs to: plain string work, called for every pair and day. */
export function periodsOfDay(day: string): PeriodsOfDay {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const fiscalYear = month >= 4 ? year : year - 1;
  const half = month >= 4 && month <= 9 ? 'H1' : 'H2';
  return { month: day.slice(0, 7), half: `FY${fiscalYear}${half}`, year: `FY${fiscalYear}` };
}

/** Days since 1970-01-01 of a calendar day: cheap day arithmetic for long loops. */
export function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

export function dayOfNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Every calendar day from..to inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) out.push(dayOfNumber(n));
  return out;
}

/** The first day of the month, half and fiscal year of `day`, as day numbers. */
export function periodStarts(day: string): { month: number; half: number; year: number } {
  const { half, year } = periodsOfDay(day);
  return {
    month: dayNumber(`${day.slice(0, 7)}-01`),
    half: dayNumber(fiscalPeriod(Number(half.slice(2, 6)), half.slice(6) as 'H1' | 'H2').from),
    year: dayNumber(`${year.slice(2)}-04-01`),
  };
}
