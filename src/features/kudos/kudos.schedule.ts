import { DateTime } from 'luxon';
import { previousOfficeDay } from '../../calendar/office-calendar';
import { toPerson, type Notification } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import { monthLabel, renderDigestCard } from './kudos.cards';
import { kudosKeys, type KudosDeps } from './kudos.deps';
import type { KudosRecord } from './kudos.schema';

export const KUDOS_DIGEST_AT = '09:00';

/** The month before `day` as YYYY-MM. */
export function previousMonth(day: string): string {
  return DateTime.fromISO(day).minus({ months: 1 }).toFormat('yyyy-LL');
}

/**
 * On the first office day of each month: each person gets what they received last month by value
 * (to them alone), each unit's channel the unit's counts by value — no names, so never a ranking.
 */
export class KudosSchedule implements DailyJobSource {
  constructor(private readonly deps: Pick<KudosDeps, 'kudos' | 'org' | 'notifier' | 'localeOf' | 'orgLocale' | 'unitChannelOf'>) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    if (previousOfficeDay(day).slice(0, 7) === day.slice(0, 7)) return [];
    const month = previousMonth(day);
    return [{ id: `kudos.digest|${month}`, from: KUDOS_DIGEST_AT, until: '23:59', run: () => this.digest(tenantId, day, month) }];
  }

  private async digest(tenantId: string, day: string, month: string): Promise<void> {
    const people = (await this.deps.org.listPeople(tenantId)).filter((p) => p.active);
    const items: Notification[] = [];
    const byUnit = new Map<string, KudosRecord[]>();
    for (const person of people) {
      const received = await this.deps.kudos.received(tenantId, person.id, `${month}-01`, `${month}-31`);
      if (received.length === 0) continue;
      for (const record of received) if (record.unit) byUnit.set(record.unit, [...(byUnit.get(record.unit) ?? []), record]);
      const locale = await this.deps.localeOf(tenantId, person.id);
      const t = translator(locale);
      const label = monthLabel(month, locale);
      const card = renderDigestCard(
        t('kudos.digest.title', { month: label }),
        t('kudos.digest.intro', { month: label, count: received.length }),
        received,
        t('kudos.digest.private'),
        t,
      );
      items.push({ key: kudosKeys.digest(month, person.id), to: toPerson(person.id), message: { card } });
    }
    const locale = await this.deps.orgLocale(tenantId);
    const t = translator(locale);
    const label = monthLabel(month, locale);
    for (const [unit, records] of byUnit) {
      const channel = await this.deps.unitChannelOf(tenantId, unit);
      if (!channel) continue;
      const card = renderDigestCard(
        t('kudos.digest.unitTitle', { unit, month: label }),
        t('kudos.digest.unitIntro', { unit, month: label, count: records.length }),
        records,
        t('kudos.digest.unitFooter'),
        t,
      );
      items.push({ key: kudosKeys.unitDigest(month, unit), to: { kind: 'channel', ...channel }, message: { card } });
    }
    await this.deps.notifier.send(tenantId, day, items);
  }
}
