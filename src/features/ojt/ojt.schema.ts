import { z } from 'zod';
import { optionalText } from '../../shared/card-fields';
import { dayField } from '../../shared/card-form';

/** Room for a plan a junior reads on a phone: a few goals and up to eight dated steps. */
export const OJT_LIMITS = { goals: 500, step: 200, comment: 500, steps: 8 } as const;

export const STEP_ROWS = Array.from({ length: OJT_LIMITS.steps }, (_, i) => i + 1);
export const stepTextField = (n: number): string => `step${n}Text`;
export const stepDueField = (n: number): string => `step${n}Due`;
export const stepDoneField = (n: number): string => `step${n}Done`;

export const PLAN_FIELDS = ['goals', ...STEP_ROWS.flatMap((n) => [stepTextField(n), stepDueField(n)])] as const;
export const PROGRESS_FIELDS = ['comment', ...STEP_ROWS.map(stepDoneField)] as const;

/** A junior's OJT mentor, set by the 課長 of their 課; `endedOn` once the 課長 ends it. */
export interface Assignment {
  tenantId: string;
  juniorId: string;
  mentorId: string;
  unit: string;
  assignedBy: string;
  /** The Tokyo day it took effect. */
  since: string;
  /** The Tokyo day it ended (not in force from then on). */
  endedOn?: string;
  updatedAt: string;
}

export interface PlanStep {
  text: string;
  due: string;
  /** The Tokyo day the mentor marked it done. */
  doneOn?: string;
}

/** The junior's one current plan: saving the form again replaces it. */
export interface Plan {
  tenantId: string;
  juniorId: string;
  mentorId: string;
  goals: string;
  steps: PlanStep[];
  /** The form the plan was last saved from: the same card sent twice notifies the junior once. */
  formId: string;
  createdOn: string;
  savedOn: string;
  createdAt: string;
  updatedAt: string;
}

/** One month's progress on a plan: one record per plan and month, a re-submit replaces it. */
export interface Progress {
  tenantId: string;
  juniorId: string;
  /** YYYY-MM */
  month: string;
  mentorId: string;
  /** 1-based step numbers marked done in this record. */
  doneSteps: number[];
  comment?: string;
  recordedOn: string;
  updatedAt: string;
}

export const juniorIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const formIdSchema = z.uuid();
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

const rowText = z
  .string()
  .trim()
  .max(OJT_LIMITS.step, { error: `max:${OJT_LIMITS.step}` })
  .optional()
  .default('');

/** The plan form's own fields; the step rows are read together by `readSteps`. */
export const planSubmitSchema = z.object({
  verb: z.literal('ojt.plan.save'),
  juniorId: juniorIdSchema,
  formId: formIdSchema,
  goals: z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .max(OJT_LIMITS.goals, { error: `max:${OJT_LIMITS.goals}` }),
});

/**
 * The step rows: a row with neither text nor date is left out; a row with one needs the other and a
 * real date; at least one row. Problems name the row's field, so each shows beside it.
 */
export function readSteps(fields: Readonly<Record<string, unknown>>): { steps: PlanStep[]; problems: Record<string, string> } {
  const steps: PlanStep[] = [];
  const problems: Record<string, string> = {};
  for (const n of STEP_ROWS) {
    const text = rowText.safeParse(fields[stepTextField(n)]);
    const due = typeof fields[stepDueField(n)] === 'string' ? (fields[stepDueField(n)] as string).trim() : '';
    if (!text.success) {
      problems[stepTextField(n)] = `max:${OJT_LIMITS.step}`;
      continue;
    }
    if (!text.data && !due) continue;
    if (!text.data) problems[stepTextField(n)] = 'stepText';
    else if (!dayField.safeParse(due).success) problems[stepDueField(n)] = 'date';
    else steps.push({ text: text.data, due });
  }
  if (steps.length === 0 && Object.keys(problems).length === 0) problems[stepTextField(1)] = 'noStep';
  return { steps, problems };
}

const checked = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .optional()
  .transform((v) => v === true || v === 'true');

export const progressSubmitSchema = z
  .object({
    verb: z.literal('ojt.progress.save'),
    juniorId: juniorIdSchema,
    month: monthSchema,
    comment: optionalText(OJT_LIMITS.comment),
    ...Object.fromEntries(STEP_ROWS.map((n) => [stepDoneField(n), checked])),
  })
  .transform((value) => {
    const raw = value as unknown as Record<string, boolean>;
    return { juniorId: value.juniorId, month: value.month, comment: value.comment, doneSteps: STEP_ROWS.filter((n) => raw[stepDoneField(n)] === true) };
  });
export type ProgressSubmit = z.infer<typeof progressSubmitSchema>;

export const juniorRefSchema = z.object({ verb: z.enum(['ojt.plan.open', 'ojt.progress.open']), juniorId: juniorIdSchema });
