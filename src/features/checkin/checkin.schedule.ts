import { addMinutes, type DailyJobSource, type DailyOccurrence } from '../../scheduler/daily-job';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator, type Locale } from '../../i18n/i18n';
import type { OrgRepository } from '../org/org.repository';
import type { Person } from '../org/org.schema';
import type { PersonLocale } from '../preferences/locale-resolver';
import { renderCheckinForm, renderSummaryCard, type OverdueActionLine } from './checkin.cards';
import type { CheckinRepository } from './checkin.repository';
import type { Slot } from './checkin.schema';
import { summariseUnit } from './checkin.service';
import type { UnitScheduleRepository } from './unit-schedule.repository';

export interface CheckinScheduleDeps {
  checkins: CheckinRepository;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  orgLocale: (tenantId: string) => Promise<Locale>;
  schedules: UnitScheduleRepository;
  /** The person's 1on1 actions past due, for the morning prompt; provided by the 1on1 feature at wiring. */
  overdueActionsOf: (tenantId: string, personId: string, day: string) => Promise<OverdueActionLine[]>;
}

/** Outbox keys: one prompt, one reminder and one summary per person (or manager), slot and day. */
export const checkinKeys = {
  prompt: (slot: Slot, personId: string) => `checkin.prompt|${slot}|${personId}`,
  reminder: (slot: Slot, personId: string) => `checkin.reminder|${slot}|${personId}`,
  summary: (slot: Slot, unit: string, managerId: string) => `checkin.summary|${slot}|${unit}|${managerId}`,
  channelSummary: (slot: Slot, unit: string) => `checkin.summary|${slot}|${unit}|channel`,
};

/** Prompts, one reminder for those who have not answered, and the managers' summary at close. */
export class CheckinSchedule implements DailyJobSource {
  constructor(private readonly deps: CheckinScheduleDeps) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    const directory = await this.deps.org.listPeople(tenantId);
    const units = [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))];
    const out: DailyOccurrence[] = [];
    for (const unit of units) {
      const schedule = await this.deps.schedules.get(tenantId, unit);
      for (const slot of ['morning', 'evening'] as const) {
        const at = slot === 'morning' ? schedule.morningAt : schedule.eveningAt;
        const close = slot === 'morning' ? schedule.morningCloseAt : schedule.eveningCloseAt;
        const ctx = { tenantId, day, unit, slot, directory, channel: schedule.summaryChannel };
        out.push({ id: `checkin.prompt|${slot}|${unit}`, from: at, until: close, run: () => this.prompt(ctx) });
        if (schedule.reminderAfterMinutes > 0) {
          const from = addMinutes(at, schedule.reminderAfterMinutes);
          out.push({ id: `checkin.reminder|${slot}|${unit}`, from, until: close, run: () => this.remind(ctx, close) });
        }
        out.push({ id: `checkin.summary|${slot}|${unit}`, from: close, until: '23:59', run: () => this.summarise(ctx) });
      }
    }
    return out;
  }

  private async waiting(ctx: OccurrenceContext): Promise<Person[]> {
    const [records, leaves] = await Promise.all([
      this.deps.checkins.listUnitDay(ctx.tenantId, ctx.unit, ctx.day),
      this.deps.checkins.leavesOn(ctx.tenantId, ctx.day),
    ]);
    const answered = new Set(records.filter((r) => r.slot === ctx.slot).map((r) => r.personId));
    return ctx.directory.filter((p) => p.active && p.unit === ctx.unit && p.role !== 'executive' && !leaves.has(p.id) && !answered.has(p.id));
  }

  private async prompt(ctx: OccurrenceContext): Promise<void> {
    const items: Notification[] = [];
    for (const person of await this.waiting(ctx)) {
      const locale = await this.deps.localeOf(ctx.tenantId, person.id);
      const t = translator(locale);
      const overdue = ctx.slot === 'morning' ? await this.deps.overdueActionsOf(ctx.tenantId, person.id, ctx.day) : [];
      const card = renderCheckinForm(ctx.slot, ctx.day, t, locale, undefined, overdue);
      items.push({ key: checkinKeys.prompt(ctx.slot, person.id), to: toPerson(person.id), message: { card, summary: t(`checkin.${ctx.slot}.title`) } });
    }
    await this.deps.notifier.send(ctx.tenantId, ctx.day, items);
  }

  private async remind(ctx: OccurrenceContext, until: string): Promise<void> {
    const items: Notification[] = [];
    for (const person of await this.waiting(ctx)) {
      const t = translator(await this.deps.localeOf(ctx.tenantId, person.id));
      items.push({ key: checkinKeys.reminder(ctx.slot, person.id), to: toPerson(person.id), message: { text: t(`checkin.reminder.${ctx.slot}`, { until }) } });
    }
    await this.deps.notifier.send(ctx.tenantId, ctx.day, items);
  }

  private async summarise(ctx: OccurrenceContext): Promise<void> {
    const [records, leaves] = await Promise.all([
      this.deps.checkins.listUnitDay(ctx.tenantId, ctx.unit, ctx.day),
      this.deps.checkins.leavesOn(ctx.tenantId, ctx.day),
    ]);
    const summary = summariseUnit(ctx.unit, ctx.day, ctx.slot, ctx.directory, records, leaves);
    const managers = ctx.directory.filter((p) => p.active && p.unit === ctx.unit && p.role === 'manager');
    const cardIn = (locale: Locale): Record<string, unknown> => {
      const t = translator(locale);
      return renderSummaryCard(summary, t, locale, {
        title: t(`checkin.summary.title.${ctx.slot}`, { unit: ctx.unit }),
        answered: t('checkin.summary.answered'),
        notAnswered: t('checkin.summary.notAnswered'),
        onLeave: t('checkin.summary.onLeave'),
        average: t(`checkin.summary.average.${ctx.slot}`),
        troubles: t('checkin.summary.troubles'),
        helpOpen: t('checkin.summary.helpOpen'),
      });
    };
    const items: Notification[] = [];
    for (const manager of managers) {
      const card = cardIn(await this.deps.localeOf(ctx.tenantId, manager.id));
      items.push({ key: checkinKeys.summary(ctx.slot, ctx.unit, manager.id), to: toPerson(manager.id), message: { card } });
    }
    if (ctx.channel) {
      // A channel is read by the whole unit: it gets the organisation's language, not one person's.
      const card = cardIn(await this.deps.orgLocale(ctx.tenantId));
      items.push({ key: checkinKeys.channelSummary(ctx.slot, ctx.unit), to: { kind: 'channel', ...ctx.channel }, message: { card } });
    }
    await this.deps.notifier.send(ctx.tenantId, ctx.day, items);
  }
}

interface OccurrenceContext {
  tenantId: string;
  day: string;
  unit: string;
  slot: Slot;
  directory: Person[];
  channel?: { teamId: string; channelId: string };
}
