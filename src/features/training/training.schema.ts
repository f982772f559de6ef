import { z } from 'zod';
import { optionalText, requiredText, toggle } from '../../shared/card-fields';
import { dayField } from '../../shared/card-form';
import { nameOfChoice } from './training.forms';
import { ROLE_KEYS, type RoleKey } from '../../directory/org.schema';

/** Off-JT (the town's own training away from the desk) or an external course; labels live in the catalogue. */
export const TRAINING_KINDS = ['offjt', 'external'] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

/** The roles a training can be for: every role but the 町長・副町長, who are not staff. */
export const STAFF_ROLES = ROLE_KEYS.filter((r): r is Exclude<RoleKey, 'executive'> => r !== 'executive');

/** The policy's target for 研修受講率: staff who attended every required training of the period. */
export const TRAINING_TARGET_RATE = 0.95;

/** TR-20261124-3fa2c1: the start day and a digest of the name, so the same row imported twice is one training. */
export const trainingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** One training as HR registered it. Empty `units` / `roles` = everyone. */
export interface Training {
  tenantId: string;
  id: string;
  name: string;
  startDay: string;
  endDay: string;
  kind: TrainingKind;
  units: string[];
  roles: RoleKey[];
  required: boolean;
  /** Raised whenever what the invited read (name, dates, kind, who) changes: each revision is announced once. */
  revision: number;
  /** The revision the invitations went out for; 0 = none yet. */
  invitedRevision: number;
  createdAt: string;
  updatedAt: string;
}

/** What a training is, without its bookkeeping: what an import row describes. */
export type TrainingPlan = Pick<Training, 'id' | 'name' | 'startDay' | 'endDay' | 'kind' | 'units' | 'roles' | 'required'>;

export const ANSWERS = ['attended', 'missed'] as const;
export type Answer = (typeof ANSWERS)[number];

/**
 * One person's attendance of one training: their own answer on the card and HR's import, kept apart.
 * HR's record wins where both exist (it comes from the sign-in sheet); see effectiveAnswer.
 */
export interface Attendance {
  trainingId: string;
  personId: string;
  self?: Answer;
  selfNote?: string;
  selfAt?: string;
  hr?: Answer;
  hrAt?: string;
}

export function effectiveAnswer(attendance: Pick<Attendance, 'self' | 'hr'> | undefined): Answer | undefined {
  return attendance?.hr ?? attendance?.self;
}

/** Room for "体調不良で欠席" or "窓口当番のため", not an essay. */
export const NOTE_LIMIT = 200;

export const ATTENDANCE_FIELDS = ['answer', 'note'] as const;

export const attendanceSubmitSchema = z.object({
  verb: z.literal('training.attendance'),
  trainingId: trainingIdSchema,
  answer: z.enum(ANSWERS, { error: 'choice' }),
  note: optionalText(NOTE_LIMIT),
});

/** What the 研修 登録 card asks, in card order; what a refused card comes back with. */
export const REGISTER_FIELDS = ['name', 'start', 'end', 'kind', 'units', 'roles', 'required'] as const;

/** A multi-select ChoiceSet submits its values joined by commas (each value escaped by choiceValueOf); nothing chosen is "" (everyone). */
const multiChoice = z
  .string()
  .optional()
  .transform((v) => [
    ...new Set(
      (v ?? '')
        .split(',')
        .map((s) => nameOfChoice(s.trim()))
        .filter(Boolean),
    ),
  ]);

/** The card's submit; units are checked against the directory by the handler, which knows it. */
export const registerSubmitSchema = z
  .object({
    verb: z.literal('training.register'),
    name: requiredText(100),
    start: dayField,
    end: z.union([z.literal(''), dayField]).optional(),
    kind: z.enum(TRAINING_KINDS, { error: 'choice' }),
    units: multiChoice,
    roles: multiChoice.pipe(z.array(z.enum(STAFF_ROLES, { error: 'choice' }))),
    required: toggle,
  })
  .refine((r) => !r.end || r.end >= r.start, { error: 'endBefore', path: ['end'] });
