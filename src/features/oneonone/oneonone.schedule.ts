import { DateTime } from 'luxon';
import { addDays, nextOfficeDay, previousOfficeDay } from '../../calendar/office-calendar';
import { toPerson, type Notification, type Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import { addMinutes, type DailyJobSource, type DailyOccurrence } from '../../scheduler/daily-job';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import type { Clock } from '../../shared/clock';
import { renderDigest, who, whenOf, type DigestEntry } from './oneonone.cards';
import { renderAgendaCard, renderRecordForm, renderReminderCard } from './record.cards';
import { oneononeKeys, type OjtSummaryOf } from './oneonone.deps';
import type { OneOnOneRepository } from './oneonone.repository';
import type { Meeting } from './oneonone.schema';
import { byUrgency, isTwiceOverdue, pairsFromDirectory, viewPair, type PairView } from './oneonone.service';
import { PairRecorder, type PairRecorderDeps } from './pair-recorder';
import type { PrivateTexts } from './private-texts.repository';
import type { ReminderTimesRepository } from './reminder-times.repository';
import { DEFAULT_REMINDER_TIMES } from './reminder-times.schema';

export interface OneOnOneScheduleDeps {
  meetings: OneOnOneRepository;
  texts: PrivateTexts;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  /** HR's times for the reminders (`1on1 設定 時刻`); the Monday digest keeps its hour. */
  reminderTimes: ReminderTimesRepository;
  ojtSummaryOf?: OjtSummaryOf;
  /** The scheduler's job-run claims, which also say a day's pairs are recorded. */
  jobRuns: PairRecorderDeps['jobRuns'];
  clock: Clock;
}

/** When Monday's overdue digest goes out (Tokyo). */
export const DIGEST_AT = '09:00';

/** The first office day of its week: "Monday" even when the Monday is a holiday. */
function startsTheWeek(day: string): boolean {
  const monday = DateTime.fromISO(day).startOf('week').toISODate() as string;
  return previousOfficeDay(day) < monday;
}

/**
 * Two job sources. On office days: the member's agenda prompt and the manager's reminder the office
 * day before a 1on1 (a Monday meeting on the Friday), and each Monday the overdue digest. On every
 * calendar day, since a 1on1 may be booked on a Saturday: the manager's reminder shortly before and
 * the record card once it ends. The times are the tenant's own (`1on1 設定 時刻`).
 */
export class OneOnOneSchedule {
  readonly sources: readonly DailyJobSource[] = [
    { occurrences: (tenantId, day) => this.officeDayOccurrences(tenantId, day) },
    { days: 'everyDay', occurrences: (tenantId, day) => this.meetingDayOccurrences(tenantId, day) },
  ];

  private readonly pairs: PairRecorder;

  constructor(private readonly deps: OneOnOneScheduleDeps) {
    this.pairs = new PairRecorder(deps);
  }

  private async officeDayOccurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    // The in-memory directory turns keep: this runs every minute, and the pairs are read only when they changed.
    const directory = await this.deps.org.cachedPeople(tenantId);
    await this.pairs.record(tenantId, directory, day);
    // Every day up to the next office day (a weekend, a holiday) has today as its office day before.
    const scheduled = await this.deps.meetings.listScheduledBetween(tenantId, addDays(day, 1), nextOfficeDay(day));
    const times = scheduled.length > 0 ? await this.deps.reminderTimes.get(tenantId) : DEFAULT_REMINDER_TIMES;
    const out: DailyOccurrence[] = meetingContexts(tenantId, day, scheduled, directory).flatMap(({ ctx, at }) => [
      { id: `oneonone.agenda|${ctx.meeting.meetingId}|${at}`, from: times.agendaPromptAt, until: '23:59', run: () => this.promptAgenda(ctx) },
      { id: `oneonone.daybefore|${ctx.meeting.meetingId}|${at}`, from: times.managerReminderAt, until: '23:59', run: () => this.remind(ctx, 'dayBefore') },
    ]);
    if (startsTheWeek(day)) out.push({ id: 'oneonone.digest', from: DIGEST_AT, until: '23:59', run: () => this.digest(tenantId, day) });
    return out;
  }

  private async meetingDayOccurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    const scheduled = await this.deps.meetings.listScheduledBetween(tenantId, day, day);
    if (scheduled.length === 0) return [];
    const directory = await this.deps.org.cachedPeople(tenantId);
    const times = await this.deps.reminderTimes.get(tenantId);
    return meetingContexts(tenantId, day, scheduled, directory).flatMap(({ ctx, at }) => [
      {
        id: `oneonone.soon|${ctx.meeting.meetingId}|${at}`,
        from: addMinutes(ctx.meeting.time, -times.soonMinutes),
        until: ctx.meeting.time,
        run: () => this.remind(ctx, 'soon'),
      },
      {
        id: `oneonone.record|${ctx.meeting.meetingId}`,
        from: addMinutes(ctx.meeting.time, ctx.meeting.lengthMinutes),
        until: '23:59',
        run: () => this.promptRecord(ctx),
      },
    ]);
  }

  private async promptAgenda(ctx: MeetingContext): Promise<void> {
    const { meeting, manager, member } = ctx;
    const locale = await this.deps.localeOf(ctx.tenantId, member.id);
    const t = translator(locale);
    const heading = t('oneonone.agenda.prompt', { name: who(manager, t), when: whenOf(meeting, t, locale) });
    const { agenda } = await this.deps.texts.read(ctx.tenantId, member.id, meeting);
    const ojt = await this.deps.ojtSummaryOf?.(ctx.tenantId, member.id, locale);
    const card = renderAgendaCard({ meeting, manager, heading, agenda, ojt }, undefined, t);
    await this.send(ctx, oneononeKeys.agendaPrompt(meeting.meetingId, meeting.day), member.id, { card, summary: heading });
  }

  private async remind(ctx: MeetingContext, which: 'dayBefore' | 'soon'): Promise<void> {
    const { meeting, manager, member } = ctx;
    const locale = await this.deps.localeOf(ctx.tenantId, manager.id);
    const t = translator(locale);
    const title = t(`oneonone.reminder.${which}`, { name: member.name, when: whenOf(meeting, t, locale) });
    const { agenda } = await this.deps.texts.read(ctx.tenantId, manager.id, meeting);
    const key = (which === 'dayBefore' ? oneononeKeys.dayBefore : oneononeKeys.soon)(meeting.meetingId, meeting.day, meeting.time);
    const ojt = await this.deps.ojtSummaryOf?.(ctx.tenantId, member.id, locale);
    await this.send(ctx, key, manager.id, { card: renderReminderCard(title, meeting, member, agenda, t, ojt), summary: title });
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
  private async digest(tenantId: string, day: string): Promise<void> {
    const directory = await this.deps.org.cachedPeople(tenantId);
    const pairs = await this.deps.meetings.syncPairs(tenantId, pairsFromDirectory(directory), day);
    const byId = byIdOf(directory);
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

function byIdOf(directory: readonly Person[]): Map<string, Person> {
  return new Map(directory.map((p) => [p.id, p]));
}

interface MeetingContext {
  tenantId: string;
  day: string;
  meeting: Meeting;
  manager: Person;
  member: Person;
}

/** Each meeting with both of its people still in the directory, and its start (`day`T`time`) that the job ids carry. */
function meetingContexts(tenantId: string, day: string, meetings: readonly Meeting[], directory: readonly Person[]): { ctx: MeetingContext; at: string }[] {
  if (meetings.length === 0) return [];
  const byId = byIdOf(directory);
  return meetings.flatMap((meeting) => {
    const manager = byId.get(meeting.managerId);
    const member = byId.get(meeting.memberId);
    return manager && member ? [{ ctx: { tenantId, day, meeting, manager, member }, at: `${meeting.day}T${meeting.time}` }] : [];
  });
}
