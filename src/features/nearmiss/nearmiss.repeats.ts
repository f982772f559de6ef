import { addDays } from '../../calendar/office-calendar';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import type { NearMissRepository } from './nearmiss.repository';
import type { NearMiss } from './nearmiss.schema';

/** The policy's measure of a mistake that keeps coming back: 3 of the same kind in one unit within 90 days. */
export const REPEAT_COUNT = 3;
export const REPEAT_WINDOW_DAYS = 90;

export interface RepeatDeps {
  reports: NearMissRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
}

export const repeatKey = (unit: string, category: string, cause: string, day: string, recipientId: string): string =>
  `nearmiss.repeat|${unit}|${category}|${cause}|${day}|${recipientId}`;

/**
 * After `report` is stored: if it makes the REPEAT_COUNT-th of its unit, 業務区分 and 原因 within the
 * window, the unit's 課長 and HR are told, once per window, so the fourth does not flag again. A
 * report without a 原因 says nothing about repeating.
 */
export async function flagRepeat(deps: RepeatDeps, report: NearMiss, directory: readonly Person[], today: string): Promise<void> {
  const { cause, category, unit } = report;
  if (!cause || !unit) return;
  const since = addDays(today, -(REPEAT_WINDOW_DAYS - 1));
  const same = (await deps.reports.listAll(report.tenantId)).filter((r) => r.unit === unit && r.category === category && r.cause === cause && r.day >= since);
  if (same.length < REPEAT_COUNT) return;
  if (!(await deps.reports.claimRepeatFlag(report.tenantId, [unit, category, cause], today, since))) return;
  const recipients = directory.filter((p) => p.active && (p.hr || (p.role === 'manager' && p.unit === unit)));
  const ids = same
    .map((r) => r.id)
    .reverse()
    .join('、');
  const items: Notification[] = [];
  for (const person of recipients) {
    const t = translator(await deps.localeOf(report.tenantId, person.id));
    const text = t('nearmiss.repeat', { unit, category: t(`nearmiss.category.${category}`), cause: t(`nearmiss.cause.${cause}`), count: same.length, ids });
    // Sent the moment a report is filed: an anonymous one's flag keeps its time to the hour like its cards.
    items.push({ key: repeatKey(unit, category, cause, today, person.id), to: toPerson(person.id), message: { text }, coarseTimes: report.anonymous });
  }
  await deps.notifier.send(report.tenantId, today, items);
}
