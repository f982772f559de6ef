import { addDays, isOfficeDay } from '../calendar/office-calendar';
import type { Agenda, Meeting, Pair, RecordBody } from '../features/oneonone/oneonone.schema';
import { between, chance, hexOf, intBetween, pickOne, randomFor } from './demo-random';
import type { Member } from './demo-history.plan';
import { tokyoAt } from './demo-history.plan';
import { ONEONONE_TEXTS as T } from './demo-history.texts';

/** One 1on1 of the demo history and what the pair wrote about it (held ones only). */
export interface MeetingPlan {
  meeting: Omit<Meeting, 'tenantId'>;
  /** The member's agenda, written before. */
  agenda?: Agenda;
  /** The manager's record. */
  record?: RecordBody;
  /** The member's comment when confirming. */
  comment?: string;
}

/** How far ahead a pair has its next 1on1 booked. */
const BOOKED_AHEAD_DAYS = 14;
const TIMES = ['09:30', '10:00', '13:30', '15:00', '16:00'] as const;

function onOrAfterOfficeDay(day: string): string {
  let d = day;
  while (!isOfficeDay(d)) d = addDays(d, 1);
  return d;
}

/**
 * Most pairs meet a little inside their cadence; some stretch past it now and then, and one in ten
 * keeps slipping from the start, so the 1on1 views, the Monday digest and the 実施率 all have
 * something to show. Days after the pair's start: the first 1on1, then each gap.
 */
function rhythmOf(pair: Pair): { first: number; gap: () => number } {
  const r = randomFor('oneonone-rhythm', pair.managerId, pair.memberId);
  const c = pair.cadenceDays;
  const style = r();
  const [first, low, high] =
    style < 0.7 ? [intBetween(r, 5, Math.max(6, c - 3)), -12, -2] : style < 0.9 ? [intBetween(r, c - 8, c + 6), -4, 10] : [intBetween(r, c + 3, c + 20), 5, 35];
  return { first: Math.max(3, first), gap: () => Math.max(7, c + intBetween(r, low, high)) };
}

function held(pair: Pair, member: Member, day: string, today: string): MeetingPlan {
  const booked = booking(pair, member, day, today);
  const r = randomFor('meeting', pair.managerId, pair.memberId, day);
  const [hour = 10, minute = 0] = booked.time.split(':').map(Number);
  const heldAt = tokyoAt(day, hour * 60 + minute + booked.lengthMinutes + between(r, 5, 90)).toISOString();
  const confirmed = chance(r, 0.75);
  const confirmedAt = confirmed ? tokyoAt(day, 17 * 60 + between(r, 0, 60)).toISOString() : undefined;
  const worries = pickOne(r, T.worries);
  const due = addDays(day, 14);
  const done = due < today && chance(r, 0.7);
  return {
    meeting: {
      ...booked,
      status: 'held',
      heldDay: day,
      heldAt,
      confirmedAt,
      updatedAt: confirmedAt ?? heldAt,
    },
    agenda: chance(r, 0.6) ? { topics: pickOne(r, T.topics), progress: pickOne(r, T.progress), worries } : undefined,
    record: {
      good: pickOne(r, T.good),
      expectations: chance(r, 0.6) ? pickOne(r, T.expectations) : undefined,
      achievement: chance(r, 0.7) ? intBetween(r, 3, 5) : undefined,
      worriesResponse: worries === '特になし' ? undefined : pickOne(r, T.responses),
      next: pickOne(r, T.next),
      actions: [
        { text: pickOne(r, T.actions), owner: 'member', due, ...(done ? { doneAt: tokyoAt(addDays(due, -2), 12 * 60).toISOString(), doneBy: member.id } : {}) },
      ],
    },
    comment: confirmed && chance(r, 0.3) ? pickOne(r, T.comments) : undefined,
  };
}

/** The booking of the pair's 1on1 on `day`: the same id, time and length whether it is still to come or held. */
function booking(pair: Pair, member: Member, day: string, today: string): Omit<Meeting, 'tenantId' | 'status'> {
  const r = randomFor('booking', pair.managerId, pair.memberId, day);
  const time = pickOne(r, TIMES);
  const lengthMinutes = chance(r, 0.8) ? 30 : 45;
  // Booked about a week before, never later than yesterday: the history has no today yet.
  const bookedDay = [addDays(day, -7), addDays(today, -1)].sort()[0] as string;
  const createdAt = tokyoAt(bookedDay, 10 * 60).toISOString();
  return {
    managerId: pair.managerId,
    memberId: pair.memberId,
    meetingId: `m${day.replaceAll('-', '')}${time.replace(':', '')}00-${hexOf(r, 6)}`,
    unit: member.unit,
    memberRole: member.role,
    day,
    time,
    lengthMinutes,
    createdAt,
    updatedAt: createdAt,
  };
}

/** The pair's 1on1s from its start: held up to yesterday, and the next one booked if it is due within two weeks. */
export function meetingsOf(pair: Pair, member: Member, today: string): MeetingPlan[] {
  const rhythm = rhythmOf(pair);
  const out: MeetingPlan[] = [];
  let day = onOrAfterOfficeDay(addDays(pair.since, rhythm.first));
  while (day < today) {
    out.push(held(pair, member, day, today));
    day = onOrAfterOfficeDay(addDays(day, rhythm.gap()));
  }
  if (day <= addDays(today, BOOKED_AHEAD_DAYS)) out.push({ meeting: { ...booking(pair, member, day, today), status: 'scheduled' } });
  return out;
}
