import { z } from 'zod';
import { timeField } from '../../shared/card-form';
import { EARLIEST_START, LATEST_START } from './oneonone.schema';

/** When a tenant's 1on1 reminders go out (Tokyo, HH:mm); one setting for the whole organisation. */
export interface ReminderTimes {
  /** The member's agenda prompt, the office day before. */
  agendaPromptAt: string;
  /** The manager's reminder with the agenda, the office day before. */
  managerReminderAt: string;
  /** The manager's reminder on the day, this many minutes before the start. */
  soonMinutes: number;
}

export const DEFAULT_REMINDER_TIMES: ReminderTimes = { agendaPromptAt: '09:00', managerReminderAt: '16:00', soonMinutes: 30 };
export const SOON_MINUTES_MIN = 5;
export const SOON_MINUTES_MAX = 120;

/** Office hours as the schedule form knows them: nobody is prompted at night. */
const time = timeField.refine((v) => v >= EARLIEST_START && v <= LATEST_START, { error: 'hours' });

/** HR's times card (`1on1 設定 時刻`). */
export const reminderTimesSubmitSchema = z.object({
  verb: z.literal('oneonone.times.save'),
  agendaPromptAt: time,
  managerReminderAt: time,
  // Teams sends Input.Number as text, the Playground as a number.
  soonMinutes: z.coerce
    .string({ error: 'minutes' })
    .trim()
    .regex(/^\d{1,3}$/, { error: 'minutes' })
    .transform(Number)
    .refine((n) => n >= SOON_MINUTES_MIN && n <= SOON_MINUTES_MAX, { error: 'minutes' }),
});
export const REMINDER_TIME_FIELDS = ['agendaPromptAt', 'managerReminderAt', 'soonMinutes'] as const;
