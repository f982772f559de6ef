import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { addDays, isOfficeDay, tokyoDay } from '../../calendar/office-calendar';
import { atTokyo } from '../../scheduler/daily-job';
import type { Person } from '../../directory/org.schema';
import {
  EARLIEST_START,
  LATEST_START,
  type ActionItem,
  type Meeting,
  type Pair,
  type RecordBody,
  type RecordSubmit,
  type ScheduleSubmit,
} from './oneonone.schema';

/**
 * Each active person whose manager is active and not an executive is a pair: 町長・副町長 receive
 * escalations but do not hold the policy's 1on1s with their 課長.
 */
export function pairsFromDirectory(directory: readonly Person[]): { managerId: string; memberId: string; unit: string }[] {
  const byId = new Map(directory.map((p) => [p.id, p]));
  return directory.flatMap((person) => {
    const manager = person.managerId ? byId.get(person.managerId) : undefined;
    if (!person.active || !manager?.active || manager.role === 'executive' || manager.id === person.id) return [];
    // The member's unit: HR's cadence for a unit covers the 1on1s its members have.
    return [{ managerId: manager.id, memberId: person.id, unit: person.unit ?? '' }];
  });
}

export type PairStatus = 'overdue' | 'onTrack' | 'scheduled';
const URGENCY: Record<PairStatus, number> = { overdue: 0, onTrack: 1, scheduled: 2 };

export interface PairView {
  pair: Pair;
  member: Person;
  lastHeld?: string;
  next?: Meeting;
  status: PairStatus;
  /** The day the next 1on1 is due by: the last one (or the pair's start) plus the cadence. */
  dueDay: string;
  /** Days past dueDay, 0 when not overdue. */
  overdueDays: number;
  /** The latest 1on1 that has begun (held or still to record): what 記録する opens. */
  started?: Meeting;
}

/** The next booked 1on1 of a pair: still scheduled and not on a past day. */
export function nextMeeting(meetings: readonly Meeting[], memberId: string, today: string): Meeting | undefined {
  return meetings
    .filter((m) => m.memberId === memberId && m.status === 'scheduled' && m.day >= today)
    .sort((a, b) => `${a.day}${a.time}`.localeCompare(`${b.day}${b.time}`))[0];
}

/** The latest 1on1 of a pair that has begun and was not cancelled; its record can be written or edited. */
export function lastStarted(meetings: readonly Meeting[], memberId: string, now: Date): Meeting | undefined {
  return meetings
    .filter((m) => m.memberId === memberId && m.status !== 'cancelled' && startOf(m) <= now)
    .sort((a, b) => `${a.day}${a.time}`.localeCompare(`${b.day}${b.time}`))
    .at(-1);
}

export function lastHeld(meetings: readonly Meeting[], memberId: string): string | undefined {
  return meetings
    .filter((m) => m.memberId === memberId && m.status === 'held' && m.heldDay)
    .map((m) => m.heldDay as string)
    .sort()
    .at(-1);
}

function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);
}

export function viewPair(pair: Pair, member: Person, meetings: readonly Meeting[], today: string): PairView {
  const held = lastHeld(meetings, member.id);
  const next = nextMeeting(meetings, member.id, today);
  const dueDay = addDays(held ?? pair.since, pair.cadenceDays);
  const overdueDays = Math.max(0, daysBetween(dueDay, today));
  const status: PairStatus = next ? 'scheduled' : overdueDays > 0 ? 'overdue' : 'onTrack';
  return { pair, member, lastHeld: held, next, status, dueDay, overdueDays: next ? 0 : overdueDays };
}

/** Most urgent first: the longest overdue, then the soonest due, then the soonest booked. */
export function byUrgency(a: PairView, b: PairView): number {
  if (a.status !== b.status) return URGENCY[a.status] - URGENCY[b.status];
  if (a.status === 'scheduled') return `${a.next?.day}${a.next?.time}`.localeCompare(`${b.next?.day}${b.next?.time}`);
  return a.dueDay.localeCompare(b.dueDay) || a.member.id.localeCompare(b.member.id);
}

/** Past twice the cadence: the manager's own manager is told too. */
export function isTwiceOverdue(view: PairView): boolean {
  return view.status === 'overdue' && view.overdueDays > view.pair.cadenceDays;
}

export type ScheduleProblem = 'past' | 'hours' | 'notYours';

export interface ScheduleCheck {
  errors: Partial<Record<'date' | 'time' | 'form', ScheduleProblem>>;
  /** Booked on a weekend, holiday or the year-end break: allowed once the manager confirms. */
  nonOfficeDay: boolean;
}

/** The rules a submit's shape cannot carry: the clock, the calendar and whose member it is. */
export function checkSchedule(submit: ScheduleSubmit, now: Date, isOwnMember: boolean): ScheduleCheck {
  const errors: ScheduleCheck['errors'] = {};
  if (!isOwnMember) errors.form = 'notYours';
  if (submit.time < EARLIEST_START || submit.time > LATEST_START) errors.time = 'hours';
  if (submit.date < tokyoDay(now)) errors.date = 'past';
  else if (atTokyo(submit.date, submit.time) <= now && !errors.time) errors.time = 'past';
  return { errors, nonOfficeDay: !isOfficeDay(submit.date) };
}

/** When the meeting starts, as an instant: the agenda is editable until then. */
export function startOf(meeting: Pick<Meeting, 'day' | 'time'>): Date {
  return atTokyo(meeting.day, meeting.time);
}

export function recordBodyOf(submit: RecordSubmit): RecordBody {
  const rows: [string | undefined, string | undefined, string | undefined][] = [
    [submit.action1Text, submit.action1Owner, submit.action1Due],
    [submit.action2Text, submit.action2Owner, submit.action2Due],
    [submit.action3Text, submit.action3Owner, submit.action3Due],
  ];
  const actions: ActionItem[] = rows.flatMap(([text, owner, due]) => (text ? [{ text, owner: owner === 'manager' ? 'manager' : 'member', due }] : []));
  return {
    good: submit.good,
    expectations: submit.expectations,
    achievement: submit.achievement,
    worriesResponse: submit.worriesResponse,
    next: submit.next,
    actions,
  };
}

/** Names an action on a 完了 button: the same text and owner keep the same key when the record is saved again. */
export function actionKeyOf(item: Pick<ActionItem, 'text' | 'owner'>): string {
  return createHash('sha256').update(`${item.owner}|${item.text}`).digest('hex').slice(0, 12);
}

/** A record saved again keeps what was already marked done, for the actions it still holds. */
export function carryDone(previous: RecordBody | undefined, next: RecordBody): RecordBody {
  const done = new Map((previous?.actions ?? []).filter((a) => a.doneAt).map((a) => [actionKeyOf(a), a]));
  return {
    ...next,
    actions: next.actions.map((a) => {
      const before = done.get(actionKeyOf(a));
      return before ? { ...a, doneAt: before.doneAt, doneBy: before.doneBy } : a;
    }),
  };
}

/** What pressing 完了 on the action with key `key` does to the record as it stands. */
export type DoneOutcome = { kind: 'notFound' } | { kind: 'notYours' | 'already'; text: string } | { kind: 'saved'; text: string; record: RecordBody };

export function markActionDone(
  record: RecordBody | undefined,
  key: string,
  ref: { managerId: string; memberId: string },
  personId: string,
  at: Date,
): DoneOutcome {
  const item = record?.actions.find((a) => actionKeyOf(a) === key);
  if (!record || !item) return { kind: 'notFound' };
  if (!canMarkDone(item, ref, personId)) return { kind: 'notYours', text: item.text };
  if (item.doneAt) return { kind: 'already', text: item.text };
  const actions = record.actions.map((a) => (a === item ? { ...a, doneAt: at.toISOString(), doneBy: personId } : a));
  return { kind: 'saved', text: item.text, record: { ...record, actions } };
}

/** The owner marks their own action done; the manager, who leads the pair, any of the pair's actions. */
export function canMarkDone(item: ActionItem, ref: { managerId: string; memberId: string }, personId: string): boolean {
  return personId === ref.managerId || (item.owner === 'member' && personId === ref.memberId);
}
