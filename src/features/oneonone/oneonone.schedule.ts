import { DateTime } from 'luxon';
import { addDays, nextOfficeDay, previousOfficeDay } from '../../calendar/office-calendar';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import { addMinutes, type DailyJobSource, type DailyOccurrence } from '../../scheduler/daily-job';
import type { OrgRepository } from '../org/org.repository';
import type { Person } from '../org/org.schema';
import type { PersonLocale } from '../preferences/locale-resolver';
import { renderAgendaCard, renderDigest, renderRecordForm, renderReminderCard, who, whenOf, type DigestEntry } from './oneonone.cards';
import { oneononeKeys } from './oneonone.deps';
import type { OneOnOneRepository } from './oneonone.repository';
import type { Meeting, Pair } from './oneonone.schema';
import { byUrgency, isTwiceOverdue, pairsFromDirectory, viewPair, type PairView } from './oneonone.service';
import type { PrivateTexts } from './private-texts.repository';

export interface OneOnOneScheduleDeps {
  meetings: OneOnOneRepository;
  texts: PrivateTexts;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
}

/** Default times (Tokyo): the member's agenda prompt and the manager's day-before reminder, and the Monday digest. */
export const ONEONONE_TIMES = { agendaPrompt: '09:00', dayBefore: '16:00', soonMinutes: 30, digest: '09:00', lateRecord: '09:00' } as const;

/** The first office day of its week: "Monday" even when the Monday is a holiday. */
function startsTheWeek(day: string): boolean {
  const monday = DateTime.fromISO(day).startOf('week').toISODate() as string;
  return previousOfficeDay(day) < monday;
}

/**
 * The office day before a 1on1 (a Monday meeting on the Friday): the member's agenda prompt and the
 * manager's reminder; on the day, a reminder 30 minutes before and the record card once it ends;
 * each Monday, the overdue digest.
 */
export class OneOnOneSchedule implements DailyJobSource {
  constructor(private readonly deps: OneOnOneScheduleDeps) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    const directory = await this.deps.org.listPeople(tenantId);
    const byId = new Map(directory.map((p) => [p.id, p]));
    const pairs = await this.deps.meetings.syncPairs(tenantId, pairsFromDirectory(directory), day);
    // From the day after the last office day: a 1on1 booked on a holiday gets its record card today.
    const scheduled = await this.deps.meetings.listScheduledBetween(tenantId, addDays(previousOfficeDay(day), 1), nextOfficeDay(day));
    const out: DailyOccurrence[] = [];
    for (const meeting of scheduled) {
      const manager = byId.get(meeting.managerId);
      const member = byId.get(meeting.memberId);
      if (!manager || !member) continue;
      const at = `${meeting.day}T${meeting.time}`;
      const ctx = { tenantId, day, meeting, manager, member };
      if (meeting.day > day && previousOfficeDay(meeting.day) === day) {
        out.push({ id: `oneonone.agenda|${meeting.meetingId}|${at}`, from: ONEONONE_TIMES.agendaPrompt, until: '23:59', run: () => this.promptAgenda(ctx) });
        out.push({ id: `oneonone.daybefore|${meeting.meetingId}|${at}`, from: ONEONONE_TIMES.dayBefore, until: '23:59', run: () => this.remind(ctx, 'dayBefore') });
      }
      if (meeting.day === day) {
        const soon = addMinutes(meeting.time, -ONEONONE_TIMES.soonMinutes);
        out.push({ id: `oneonone.soon|${meeting.meetingId}|${at}`, from: soon, until: meeting.time, run: () => this.remind(ctx, 'soon') });
      }
      if (meeting.day <= day) {
        const from = meeting.day === day ? addMinutes(meeting.time, meeting.lengthMinutes) : ONEONONE_TIMES.lateRecord;
        out.push({ id: `oneonone.record|${meeting.meetingId}`, from, until: '23:59', run: () => this.promptRecord(ctx) });
      }
    }
    if (startsTheWeek(day)) out.push({ id: 'oneonone.digest', from: ONEONONE_TIMES.digest, until: '23:59', run: () => this.digest(tenantId, day, directory, pairs) });
    return out;
  }

  private async promptAgenda(ctx: MeetingContext): Promise<void> {
    const { meeting, manager, member } = ctx;
    const locale = await this.deps.localeOf(ctx.tenantId, member.id);
    const t = translator(locale);
    const heading = t('oneonone.agenda.prompt', { name: who(manager, t), when: whenOf(meeting, t, locale) });
    const { agenda } = await this.deps.texts.read(ctx.tenantId, member.id, meeting);
    const card = renderAgendaCard({ meeting, manager, heading, agenda }, undefined, t, locale);
    await this.send(ctx, oneononeKeys.agendaPrompt(meeting.meetingId, meeting.day), member.id, { card, summary: heading });
  }

  private async remind(ctx: MeetingContext, which: 'dayBefore' | 'soon'): Promise<void> {
    const { meeting, manager, member } = ctx;
    const locale = await this.deps.localeOf(ctx.tenantId, manager.id);
    const t = translator(locale);
    const title = t(`oneonone.reminder.${which}`, { name: member.name, when: whenOf(meeting, t, locale) });
    const { agenda } = await this.deps.texts.read(ctx.tenantId, manager.id, meeting);
    const key = (which === 'dayBefore' ? oneononeKeys.dayBefore : oneononeKeys.soon)(meeting.meetingId, meeting.day, meeting.time);
    await this.send(ctx, key, manager.id, { card: renderReminderCard(title, member, agenda, t), summary: title });
  }

  private async promptRecord(ctx: MeetingContext): Promise<void> {
    const { meeting, manager, member } = ctx;
    const locale = await this.deps.localeOf(ctx.tenantId, manager.id);
    const texts = await this.deps.texts.read(ctx.tenantId, manager.id, meeting);
    const card = renderRecordForm(meeting, member, texts, undefined, translator(locale), locale);
    await this.send(ctx, oneononeKeys.recordPrompt(meeting.meetingId), manager.id, { card });
  }

  private async send(ctx: MeetingContext, key: string, personId: string, message: Notification['message']): Promise<void> {
    await this.deps.notifier.send(ctx.tenantId, ctx.day, [{ key, to: toPerson(personId), message }]);
  }

  /** Counts and dates only: the digest names who is overdue, never what any 1on1 was about. */
  private async digest(tenantId: string, day: string, directory: Person[], pairs: Pair[]): Promise<void> {
    const byId = new Map(directory.map((p) => [p.id, p]));
    const meetings = await this.deps.meetings.listAll(tenantId);
    const byManager = new Map<string, Meeting[]>();
    for (const m of meetings) byManager.set(m.managerId, [...(byManager.get(m.managerId) ?? []), m]);
    const overdue: { view: PairView; manager: Person }[] = [];
    for (const pair of pairs) {
      const member = byId.get(pair.memberId);
      const manager = byId.get(pair.managerId);
      if (!member || !manager) continue;
      const view = viewPair(pair, member, byManager.get(pair.managerId) ?? [], day);
      if (view.status === 'overdue') overdue.push({ view, manager });
    }
    const own = new Map<string, PairView[]>();
    const escalated = new Map<string, DigestEntry[]>();
    for (const entry of overdue) {
      own.set(entry.manager.id, [...(own.get(entry.manager.id) ?? []), entry.view]);
      const above = entry.manager.managerId ? byId.get(entry.manager.managerId) : undefined;
      if (isTwiceOverdue(entry.view) && above?.active) escalated.set(above.id, [...(escalated.get(above.id) ?? []), entry]);
    }
    const items: Notification[] = [];
    for (const recipientId of new Set([...own.keys(), ...escalated.keys()])) {
      const locale = await this.deps.localeOf(tenantId, recipientId);
      const card = renderDigest(day, (own.get(recipientId) ?? []).sort(byUrgency), escalated.get(recipientId) ?? [], translator(locale), locale);
      items.push({ key: oneononeKeys.digest(recipientId), to: toPerson(recipientId), message: { card } });
    }
    await this.deps.notifier.send(tenantId, day, items);
  }
}

interface MeetingContext {
  tenantId: string;
  day: string;
  meeting: Meeting;
  manager: Person;
  member: Person;
}
