import { DateTime } from 'luxon';
import { previousOfficeDay } from '../../calendar/office-calendar';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator, type Locale } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import { renderDigest } from './nearmiss.cards';
import type { NearMissRepository } from './nearmiss.repository';
import type { NearMiss } from './nearmiss.schema';
import { nearmissKeys, refreshRecipientCards } from './nearmiss.views';

export const NEARMISS_DIGEST_AT = '09:00';

export interface NearMissScheduleDeps {
  reports: NearMissRepository;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  orgLocale: (tenantId: string) => Promise<Locale>;
  /** The unit's team channel as HR set it; a function so this feature never reads the check-in tables. */
  unitChannelOf: (tenantId: string, unit: string) => Promise<{ teamId: string; channelId: string } | undefined>;
  clock: Clock;
}

export const digestKeys = {
  person: (month: string, personId: string) => `nearmiss.digest|${month}|${personId}`,
  unit: (month: string, unit: string) => `nearmiss.digest|${month}|unit|${unit}`,
};

/**
 * On the first office day of each month, last month's reports as learning for everyone: to the
 * unit's channel where HR set one (read together there, not once per person), otherwise to each
 * person. Then the reports it carried with a countermeasure are 共有済, and a named reporter is told.
 */
export class NearMissSchedule implements DailyJobSource {
  constructor(private readonly deps: NearMissScheduleDeps) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    if (previousOfficeDay(day).slice(0, 7) === day.slice(0, 7)) return [];
    const month = DateTime.fromISO(day).minus({ months: 1 }).toFormat('yyyy-LL');
    return [{ id: `nearmiss.digest|${month}`, from: NEARMISS_DIGEST_AT, until: '23:59', run: () => this.digest(tenantId, day, month) }];
  }

  private async digest(tenantId: string, day: string, month: string): Promise<void> {
    const reports = (await this.deps.reports.listAll(tenantId)).filter((r) => r.day.startsWith(`${month}-`)).reverse();
    if (reports.length === 0) return;
    const directory = await this.deps.org.listPeople(tenantId);
    const people = directory.filter((p) => p.active);
    const items: Notification[] = [];
    const channelOf = new Map<string, { teamId: string; channelId: string } | undefined>();
    for (const unit of new Set(people.map((p) => p.unit ?? ''))) channelOf.set(unit, unit ? await this.deps.unitChannelOf(tenantId, unit) : undefined);
    // A channel is read by the whole unit: it gets the organisation's language, not one person's.
    const orgT = translator(await this.deps.orgLocale(tenantId));
    for (const [unit, channel] of channelOf) {
      if (channel)
        items.push({ key: digestKeys.unit(month, unit), to: { kind: 'channel', ...channel }, message: { card: renderDigest(month, reports, orgT) } });
    }
    for (const person of people) {
      if (channelOf.get(person.unit ?? '')) continue;
      const t = translator(await this.deps.localeOf(tenantId, person.id));
      items.push({ key: digestKeys.person(month, person.id), to: toPerson(person.id), message: { card: renderDigest(month, reports, t) } });
    }
    await this.deps.notifier.send(tenantId, day, items);
    const byId = new Map(directory.map((p) => [p.id, p]));
    for (const report of reports.filter((r) => r.status === 'decided')) await this.share(report, day, byId);
  }

  /**
   * 対策決定 → 共有済 with an etag, so a second instance running the same digest shares (and tells)
   * once; every recipient's card then shows 共有済 in place, as at the earlier steps.
   */
  private async share(report: NearMiss, day: string, byId: ReadonlyMap<string, Person>): Promise<void> {
    const found = await this.deps.reports.get(report.tenantId, report.id);
    if (!found || found.report.status !== 'decided') return;
    const shared: NearMiss = { ...found.report, status: 'shared', updatedAt: this.deps.clock.now().toISOString() };
    if (!(await this.deps.reports.replace(shared, found.etag))) return;
    await refreshRecipientCards(this.deps, shared, byId);
    const reporterId = found.report.reporterId;
    if (!reporterId) return;
    const t = translator(await this.deps.localeOf(report.tenantId, reporterId));
    await this.deps.notifier.send(report.tenantId, day, [
      { key: nearmissKeys.step(report.id, 'shared'), to: toPerson(reporterId), message: { text: t('nearmiss.notice.shared', { id: report.id }) } },
    ]);
  }
}
