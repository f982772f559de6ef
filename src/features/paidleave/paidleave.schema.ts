import type { Translate } from '../../i18n/i18n';

/** Annual paid leave (年次有給休暇) is 20 days at most, plus at most 20 carried over from the year before. */
export const MAX_PAID_LEAVE_DAYS = 40;

/** The policy's target for 有給休暇取得率 (DOMAIN.md): days taken / days granted, per fiscal year. */
export const PAID_LEAVE_TARGET_RATE = 0.7;

/** One person's paid leave for one fiscal year, as HR imported it. */
export interface PaidLeaveGrant {
  /** FY2026 = 2026-04-01..2027-03-31 (令和8年度). */
  fiscalYear: number;
  personId: string;
  grantedDays: number;
  /** Days taken from the fiscal year's start up to `takenAsOf`, from the attendance system; absent = hibi counts its 休み days. */
  takenDays?: number;
  takenAsOf?: string;
  importedAt: string;
}

/** The fiscal year (April–March) a YYYY-MM-DD day belongs to. */
export function fiscalYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 4 ? year : year - 1;
}

export function fiscalYearDays(fiscalYear: number): { from: string; to: string } {
  return { from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

/** 令和8年度（FY2026） in Japanese, FY2026 in English. */
export function fiscalYearLabel(fiscalYear: number, t: Translate): string {
  return t('paidleave.year', { reiwa: fiscalYear - 2018, year: fiscalYear });
}
