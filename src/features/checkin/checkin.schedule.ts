import { addMinutes, type DailyJobSource, type DailyOccurrence } from '../../scheduler/daily-job';
import type { OutgoingMessage } from '../../delivery/delivery.types';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator, type Locale } from '../../i18n/i18n';
import { forEachLimited } from '../../shared/concurrency';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import type { PeopleLocales } from '../../preferences/locale-resolver';
import { renderCheckinForm, renderSummaryCard, type OverdueActionLine } from './checkin.cards';
import type { CheckinRepository } from './checkin.repository';
import { checkinPromptJobId, type Slot } from './checkin.schema';
import { checksIn, summariseUnit } from './checkin.service';
import type { UnitScheduleRepository } from './unit-schedule.repository';
import { promptWindowOf } from './unit-schedule.schema';

export interface CheckinScheduleDeps {
  checkins: CheckinRepository;
  org: OrgRepository;
  notifier: Notifier;
  localesOf: PeopleLocales;
  orgLocale: (tenantId: string) => Promise<Locale>;
  schedules: UnitScheduleRepository;
  /** The person's 1on1 actions past due, for the morning prompt; provided by the 1on1 feature at wiring. */
  overdueActionsOf: (tenantId: string, personId: string, day: string) => Promise<OverdueActionLine[]>;
}

/** People whose overdue 1on1 actions are read at once: each is a few reads of its own. */
const LOOKUP_WIDTH = 8;

/** Outbox keys: one prompt, one reminder and one summary per person (or manager), slot and day. */
export const checkinKeys = {
  prompt: (slot: Slot, personId: string) => `checkin.prompt|${slot}|${personId}`,
  reminder: (slot: Slot, personId: string) => `checkin.reminder|${slot}|${personId}`,
  summary: (slot: Slot, unit: string, managerId: string) => `checkin.summary|${slot}|${unit}|${managerId}`,
  channelSummary: (slot: Slot, unit: string) => `checkin.summary|${slot}|${unit}|channel`,
};

/** The prompt of a slot and day in one language: what the scheduled prompt sends, and what taking back that day's 休み sends late. */
export function checkinPrompt(slot: Slot, day: string, locale: Locale, overdue: readonly OverdueActionLine[] = []): OutgoingMessage {
  const t = translator(locale);
  return { card: renderCheckinForm(slot, day, t, locale, undefined, overdue), summary: t(`checkin.${slot}.title`) };
}

/** Prompts, one reminder for those who have not answered, and the managers' summary at close. */
export class CheckinSchedule implements DailyJobSource {
  constructor(private readonly deps: CheckinScheduleDeps) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    // The in-memory directory: this runs every minute, and every job of the tick shares the one copy.
    const directory = await this.deps.org.cachedPeople(tenantId);
    const units = [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))];
    const out: DailyOccurrence[] = [];
    for (const unit of units) {
      const schedule = await this.deps.schedules.get(tenantId, unit);
      for (const slot of ['morning', 'evening'] as const) {
        const { from: at, until: close } = promptWindowOf(schedule, slot);
        const ctx = { tenantId, day, unit, slot, directory, channel: schedule.summaryChannel };
        out.push({ id: checkinPromptJobId(slot, unit), from: at, until: close, run: () => this.prompt(ctx) });
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
      this.deps.checkins.leavesOn(ctx.tenantId, ctx.day, ctx.slot),
    ]);
    const answered = new Set(records.filter((r) => r.slot === ctx.slot).map((r) => r.personId));
    return ctx.directory.filter((p) => checksIn(p) && p.unit === ctx.unit && !leaves.has(p.id) && !answered.has(p.id));
  }

  /**
   * The form is the same for everyone in a language, so it is rendered once per language and the rows
   * share it; only a morning prompt listing someone's own overdue 1on1 actions is rendered for them.
   */
  private async prompt(ctx: OccurrenceContext): Promise<void> {
    const people = await this.waiting(ctx);
    const [localeOf, overdue] = await Promise.all([
      this.deps.localesOf(
        ctx.tenantId,
        people.map((p) => p.id),
      ),
      this.overdueOf(ctx, people),
    ]);
    const formIn = (locale: Locale, actions: readonly OverdueActionLine[] = []): OutgoingMessage => checkinPrompt(ctx.slot, ctx.day, locale, actions);
    const shared = new Map<Locale, OutgoingMessage>();
    const sharedFormIn = (locale: Locale): OutgoingMessage => {
      const form = shared.get(locale) ?? formIn(locale);
      shared.set(locale, form);
      return form;
    };
    const items = people.map((person): Notification => {
      const locale = localeOf(person.id);
      const own = overdue.get(person.id);
      return { key: checkinKeys.prompt(ctx.slot, person.id), to: toPerson(person.id), message: own ? formIn(locale, own) : sharedFormIn(locale) };
    });
    await this.deps.notifier.send(ctx.tenantId, ctx.day, items);
  }

  /** The morning prompt's overdue 1on1 actions, for those who have any. */
  private async overdueOf(ctx: OccurrenceContext, people: readonly Person[]): Promise<Map<string, OverdueActionLine[]>> {
    const found = new Map<string, OverdueActionLine[]>();
    if (ctx.slot !== 'morning') return found;
    await forEachLimited(people, LOOKUP_WIDTH, async (person) => {
      const actions = await this.deps.overdueActionsOf(ctx.tenantId, person.id, ctx.day);
      if (actions.length > 0) found.set(person.id, actions);
    });
    return found;
  }

  private async remind(ctx: OccurrenceContext, until: string): Promise<void> {
    const people = await this.waiting(ctx);
    const localeOf = await this.deps.localesOf(
      ctx.tenantId,
      people.map((p) => p.id),
    );
    const items = people.map((person): Notification => {
      const t = translator(localeOf(person.id));
      return { key: checkinKeys.reminder(ctx.slot, person.id), to: toPerson(person.id), message: { text: t(`checkin.reminder.${ctx.slot}`, { until }) } };
    });
    await this.deps.notifier.send(ctx.tenantId, ctx.day, items);
  }

  private async summarise(ctx: OccurrenceContext): Promise<void> {
    const [records, leaves] = await Promise.all([
      this.deps.checkins.listUnitDay(ctx.tenantId, ctx.unit, ctx.day),
      this.deps.checkins.leavesOn(ctx.tenantId, ctx.day, ctx.slot),
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
    const localeOf = await this.deps.localesOf(
      ctx.tenantId,
      managers.map((m) => m.id),
    );
    const items: Notification[] = managers.map((manager) => ({
      key: checkinKeys.summary(ctx.slot, ctx.unit, manager.id),
      to: toPerson(manager.id),
      message: { card: cardIn(localeOf(manager.id)) },
    }));
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
  directory: readonly Person[];
  channel?: { teamId: string; channelId: string };
}
