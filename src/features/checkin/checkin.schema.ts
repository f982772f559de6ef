import { z } from 'zod';
import { optionalText, requiredText, toggle } from '../../shared/card-fields';
import { dayField } from '../../shared/card-form';

export const SLOTS = ['morning', 'evening'] as const;
export type Slot = (typeof SLOTS)[number];

/** Limits a phone user meets: long enough for a real answer, short enough to read in a summary. */
export const LIMITS = { short: 200, long: 500 } as const;

const scale = z.coerce.number({ error: 'scale' }).int({ error: 'scale' }).min(1, { error: 'scale' }).max(5, { error: 'scale' });
const optionalScale = z
  .union([z.literal(''), scale])
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));

export const morningSubmitSchema = z.object({
  verb: z.literal('checkin.submit'),
  slot: z.literal('morning'),
  day: dayField,
  priority: requiredText(LIMITS.short),
  purpose: optionalText(LIMITS.short),
  trouble: optionalText(LIMITS.long),
  needHelp: toggle,
  condition: optionalScale,
});
export type MorningAnswers = z.infer<typeof morningSubmitSchema>;

/** Overtime is typed as minutes (0–600) or as the time they left ("18:30"), stored as minutes. */
const overtime = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (v === '' || v === undefined) return undefined;
    const hm = /^(\d{1,2}):(\d{2})$/.exec(v);
    const minutes = hm ? Number(hm[1]) * 60 + Number(hm[2]) - OFFICE_CLOSE_MINUTES : Number(v);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 600) {
      ctx.addIssue({ code: 'custom', message: 'overtime' });
      return z.NEVER;
    }
    return minutes;
  });

/** 17:15, the end of the town hall's working day; a leaving time is counted from here. */
export const OFFICE_CLOSE_MINUTES = 17 * 60 + 15;

export const eveningSubmitSchema = z.object({
  verb: z.literal('checkin.submit'),
  slot: z.literal('evening'),
  day: dayField,
  done: requiredText(LIMITS.long),
  carryOver: optionalText(LIMITS.long),
  overtime,
  satisfaction: optionalScale,
  learning: optionalText(LIMITS.long),
});
export type EveningAnswers = z.infer<typeof eveningSubmitSchema>;

export const checkinSubmitSchema = z.discriminatedUnion('slot', [morningSubmitSchema, eveningSubmitSchema]);

export const helpTakeSchema = z.object({
  verb: z.literal('checkin.help.take'),
  day: dayField,
  unit: z.string().min(1).max(50),
  reporterId: z.string().min(1).max(64),
});

/** One stored check-in: one per person per office day per slot. */
export interface CheckinRecord {
  tenantId: string;
  unit: string;
  day: string;
  slot: Slot;
  personId: string;
  answers: Record<string, string | number | boolean | undefined>;
  createdAt: string;
  updatedAt: string;
  helpTakenBy?: string;
}

/**
 * The unit's prompt job as the scheduler records it in jobruns. The KPI rollup reads the same id to
 * know the unit's prompts went out, so both sides take it from here.
 */
export const checkinPromptJobId = (slot: Slot, unit: string): string => `checkin.prompt|${slot}|${unit}`;
