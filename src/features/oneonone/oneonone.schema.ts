import { z } from 'zod';
import { optionalText } from '../../shared/card-fields';
import { dayField, timeField } from '../../shared/card-form';

/** The policy's default: every pair meets at least once a month. */
export const DEFAULT_CADENCE_DAYS = 30;
export const LENGTHS = ['15', '30', '45', '60'] as const;
/** Earliest and latest start a 1on1 can be booked for (Tokyo, HH:mm). */
export const EARLIEST_START = '07:00';
export const LATEST_START = '22:00';
export const TEXT_LIMIT = 500;
export const ACTION_LIMIT = 200;
/** Rows of 合意したアクション on the record card: enough for a real agreement, short enough for a phone. */
export const ACTION_ROWS = 3;

export type MeetingStatus = 'scheduled' | 'held' | 'cancelled';

/** The countable facts of one 1on1: what HR's KPI layer reads. Never any text the pair wrote. */
export interface Meeting {
  tenantId: string;
  managerId: string;
  memberId: string;
  meetingId: string;
  /** The member's unit and role when booked, so rates by unit and role survive transfers. */
  unit: string;
  memberRole: string;
  day: string;
  time: string;
  lengthMinutes: number;
  status: MeetingStatus;
  heldDay?: string;
  heldAt?: string;
  confirmedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** A manager → member pair as the directory makes it; `since` starts the cadence clock before any 1on1. */
export interface Pair {
  managerId: string;
  memberId: string;
  since: string;
  /** In force: the manager's own setting for the pair, else HR's for the member's unit, else the default. */
  cadenceDays: number;
  /** The manager's own setting; absent = the pair follows its unit. */
  ownCadenceDays?: number;
}

/** The cadences the policy allows: every 2 weeks, month, 2 months, quarter. */
export const CADENCES = ['14', '30', '60', '90'] as const;
/** On the pair form: drop the pair's own setting and follow the unit's. */
export const FOLLOW_UNIT = 'unit';

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const meetingId = z.string().regex(/^m\d{14}-[0-9a-f]{6}$/);

export const scheduleOpenSchema = z.object({ verb: z.literal('oneonone.schedule.open'), memberId: id, meetingId: meetingId.optional() });

/** The schedule card's submit; day/time rules that need the clock and calendar are in the service. */
export const scheduleSaveSchema = z.object({
  verb: z.literal('oneonone.schedule.save'),
  memberId: id,
  meetingId: meetingId.optional(),
  date: dayField,
  time: timeField,
  length: z.enum(LENGTHS, { error: 'length' }),
  confirmNonOffice: z.literal('true').optional(),
});
export type ScheduleSubmit = z.infer<typeof scheduleSaveSchema>;
export const SCHEDULE_FIELDS = ['date', 'time', 'length'] as const;

export const pairCadenceSchema = z.object({
  verb: z.literal('oneonone.cadence.pair'),
  target: id,
  cadence: z.enum([...CADENCES, FOLLOW_UNIT], { error: 'cadence' }),
});
export const unitCadenceSchema = z.object({
  verb: z.literal('oneonone.cadence.unit'),
  target: z.string().trim().min(1).max(64),
  cadence: z.enum(CADENCES, { error: 'cadence' }),
});
export const CADENCE_FIELDS = ['target', 'cadence'] as const;

export const cancelSchema = z.object({ verb: z.literal('oneonone.cancel'), memberId: id, meetingId });

/** Refers to one 1on1 of one pair: every read of its texts goes through the pair. */
export const meetingRefSchema = z.object({ managerId: id, memberId: id, meetingId });
export type MeetingRef = z.infer<typeof meetingRefSchema>;

export const openSchema = meetingRefSchema.extend({ verb: z.literal('oneonone.open') });
/** 記録する: the manager asks for the record card of a 1on1 that has started. */
export const recordOpenSchema = meetingRefSchema.extend({ verb: z.literal('oneonone.record.open') });
/** 完了 on an agreed action; `action` is its key (see actionKeyOf), which survives a re-saved record. */
export const actionDoneSchema = meetingRefSchema.extend({ verb: z.literal('oneonone.action.done'), action: z.string().regex(/^[0-9a-f]{12}$/) });

export const agendaSaveSchema = z.object({
  verb: z.literal('oneonone.agenda.save'),
  managerId: id,
  meetingId,
  topics: optionalText(TEXT_LIMIT),
  progress: optionalText(TEXT_LIMIT),
  worries: optionalText(TEXT_LIMIT),
});
export const AGENDA_FIELDS = ['topics', 'progress', 'worries'] as const;
export type Agenda = Partial<Record<(typeof AGENDA_FIELDS)[number], string>>;

/** A calendar day that exists: 2026-02-30 has the right shape but is refused, not rolled over to March. */
const isoDayOrBlank = z
  .union([z.literal(''), dayField])
  .optional()
  .transform((v) => (v ? v : undefined));
const owner = z
  .union([z.literal(''), z.enum(['manager', 'member'])])
  .optional()
  .transform((v) => (v ? v : undefined));

export const recordSaveSchema = meetingRefSchema.extend({
  verb: z.literal('oneonone.record.save'),
  good: optionalText(TEXT_LIMIT),
  expectations: optionalText(TEXT_LIMIT),
  achievement: z
    .union([z.literal(''), z.coerce.number({ error: 'scale' }).int({ error: 'scale' }).min(1, { error: 'scale' }).max(5, { error: 'scale' })])
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v)),
  worriesResponse: optionalText(TEXT_LIMIT),
  next: optionalText(TEXT_LIMIT),
  action1Text: optionalText(ACTION_LIMIT),
  action1Owner: owner,
  action1Due: isoDayOrBlank,
  action2Text: optionalText(ACTION_LIMIT),
  action2Owner: owner,
  action2Due: isoDayOrBlank,
  action3Text: optionalText(ACTION_LIMIT),
  action3Owner: owner,
  action3Due: isoDayOrBlank,
});
export type RecordSubmit = z.infer<typeof recordSaveSchema>;
export const RECORD_FIELDS = ['good', 'expectations', 'achievement', 'worriesResponse', 'next'] as const;

export interface ActionItem {
  text: string;
  owner: 'manager' | 'member';
  due?: string;
  /** Set once, when the owner or the manager presses 完了; a done action is never overdue. */
  doneAt?: string;
  doneBy?: string;
}

export interface RecordBody {
  good?: string;
  expectations?: string;
  achievement?: number;
  worriesResponse?: string;
  next?: string;
  actions: ActionItem[];
}

export const confirmSchema = meetingRefSchema.extend({ verb: z.literal('oneonone.record.confirm'), comment: optionalText(TEXT_LIMIT) });
