import { previousOfficeDay } from '../../calendar/office-calendar';
import { toPerson, type Notification } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import { renderProgressForm } from './ojt.cards';
import { ojtKeys, type OjtDeps } from './ojt.deps';
import { inForceOn } from './ojt.rules';

/** When the monthly progress cards go out (Tokyo). */
export const OJT_PROGRESS_AT = '09:00';

/**
 * On the first office day of each month, each mentor gets a progress card per junior with a plan.
 * One occurrence per month (the scheduler's job-run claim), and an outbox key per junior and month,
 * so two instances or two ticks send each card once.
 */
export class OjtSchedule implements DailyJobSource {
  constructor(private readonly deps: Omit<OjtDeps, 'clock'>) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    if (previousOfficeDay(day).slice(0, 7) === day.slice(0, 7)) return [];
    const month = day.slice(0, 7);
    return [{ id: `ojt.progress|${month}`, from: OJT_PROGRESS_AT, until: '23:59', run: () => this.prompt(tenantId, day, month) }];
  }

  private async prompt(tenantId: string, day: string, month: string): Promise<void> {
    const [snapshot, directory] = await Promise.all([this.deps.ojt.snapshot(tenantId), this.deps.org.listPeople(tenantId)]);
    const byId = new Map(directory.map((p) => [p.id, p]));
    const items: Notification[] = [];
    for (const assignment of snapshot.assignments.filter((a) => inForceOn(a, day))) {
      const plan = snapshot.plans.get(assignment.juniorId);
      const junior = byId.get(assignment.juniorId);
      const mentor = byId.get(assignment.mentorId);
      if (!plan || !junior?.active || !mentor?.active) continue;
      const locale = await this.deps.localeOf(tenantId, mentor.id);
      const t = translator(locale);
      const record = (snapshot.progress.get(junior.id) ?? []).find((p) => p.month === month);
      const card = renderProgressForm({ plan, junior, month, record }, undefined, t, locale);
      items.push({
        key: ojtKeys.progress(month, junior.id),
        to: toPerson(mentor.id),
        message: { card, summary: t('ojt.progress.prompt', { name: junior.name }) },
        locale,
      });
    }
    await this.deps.notifier.send(tenantId, day, items);
  }
}
