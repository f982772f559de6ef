import { z } from 'zod';
import { timeField } from '../../shared/card-form';

/** A unit's check-in times (Tokyo, HH:mm) and where its summary is also posted. */
export interface UnitSchedule {
  morningAt: string;
  eveningAt: string;
  /** Minutes after the prompt; 0 = no reminder. */
  reminderAfterMinutes: number;
  morningCloseAt: string;
  eveningCloseAt: string;
  /** The unit's team channel, when HR wants the stand-up summary there too. */
  summaryChannel?: { teamId: string; channelId: string };
}

export const DEFAULT_SCHEDULE: UnitSchedule = {
  morningAt: '08:45',
  eveningAt: '17:00',
  reminderAfterMinutes: 30,
  morningCloseAt: '11:00',
  eveningCloseAt: '19:00',
};

/** A unit's prompt times and closes: what the scheduler and a 休み taken back read of its schedule. */
export type PromptWindows = Pick<UnitSchedule, 'morningAt' | 'morningCloseAt' | 'eveningAt' | 'eveningCloseAt'>;

/** A slot's prompt time and close (HH:mm): when the scheduler prompts, and until when a prompt may still go out. */
export function promptWindowOf(schedule: PromptWindows, slot: 'morning' | 'evening'): { from: string; until: string } {
  return slot === 'morning' ? { from: schedule.morningAt, until: schedule.morningCloseAt } : { from: schedule.eveningAt, until: schedule.eveningCloseAt };
}

const minutesOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The HR settings card's submit. `channel` is "teamId|channelId", or "none". */
export const unitScheduleSubmitSchema = z
  .object({
    verb: z.literal('checkin.settings.save'),
    unit: z.string().min(1).max(50),
    morningAt: timeField,
    morningCloseAt: timeField,
    eveningAt: timeField,
    eveningCloseAt: timeField,
    reminderAfterMinutes: z.coerce.number({ error: 'reminder' }).int({ error: 'reminder' }).min(0, { error: 'reminder' }).max(120, { error: 'reminder' }),
    channel: z.string().min(1).max(400).optional().default('none'),
  })
  .superRefine((v, ctx) => {
    if (minutesOf(v.morningCloseAt) <= minutesOf(v.morningAt) + v.reminderAfterMinutes) {
      ctx.addIssue({ code: 'custom', path: ['morningCloseAt'], message: 'closeAfter' });
    }
    if (minutesOf(v.eveningCloseAt) <= minutesOf(v.eveningAt) + v.reminderAfterMinutes) {
      ctx.addIssue({ code: 'custom', path: ['eveningCloseAt'], message: 'closeAfter' });
    }
    if (minutesOf(v.eveningAt) <= minutesOf(v.morningAt)) ctx.addIssue({ code: 'custom', path: ['eveningAt'], message: 'eveningAfter' });
  });

export const SETTINGS_FIELDS = ['morningAt', 'morningCloseAt', 'eveningAt', 'eveningCloseAt', 'reminderAfterMinutes', 'channel'] as const;
