import { readFileSync } from 'node:fs';
import { z } from 'zod';
import defaultQuestions from './questions.r7.json';

/** Keys become table column names (s_<item>_<score>), so they stay short plain identifiers. */
const keySchema = z.string().regex(/^[a-z][A-Za-z0-9]{0,23}$/, 'a key is a letter then letters or digits (at most 24), e.g. "vision1"');
const label = (max: number) => z.object({ ja: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
/** Label lengths that keep the answer card under Teams' message size with every question at its longest. */
const LABEL_MAX = { title: 60, scale: 24, category: 40, question: 80, freeText: 150 } as const;
export const MAX_QUESTIONS = 24;

export const SCALE_VALUES = [1, 2, 3, 4] as const;

/**
 * The survey's questions as HR keeps them in a file: 1–4 scale items grouped in categories, yes/no
 * agreement items (the share answering yes is what the R7 survey reported), and at most one
 * optional free-text question. Frozen into a survey when it opens, so editing the file later never
 * changes an open survey.
 */
export const questionsSchema = z
  .object({
    title: label(LABEL_MAX.title),
    scale: z
      .array(z.object({ value: z.number().int().min(1).max(4), label: label(LABEL_MAX.scale) }))
      .length(4, 'the scale has exactly four points, 1 to 4')
      .refine((points) => SCALE_VALUES.every((v) => points.some((p) => p.value === v)), 'the scale gives each of 1, 2, 3 and 4 a label'),
    categories: z
      .array(
        z.object({
          key: keySchema,
          label: label(LABEL_MAX.category),
          items: z
            .array(z.object({ key: keySchema, label: label(LABEL_MAX.question) }))
            .min(1)
            .max(5),
        }),
      )
      .min(1)
      .max(10),
    agreements: z
      .array(z.object({ key: keySchema, label: label(LABEL_MAX.question) }))
      .max(10)
      .default([]),
    freeText: label(LABEL_MAX.freeText).optional(),
  })
  .superRefine((q, ctx) => {
    const keys = [...q.categories.map((c) => c.key), ...q.categories.flatMap((c) => c.items.map((i) => i.key)), ...q.agreements.map((a) => a.key)];
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (twice.length > 0)
      ctx.addIssue({ code: 'custom', message: `keys must be unique across categories, items and agreements: ${[...new Set(twice)].join(', ')}` });
    const items = q.categories.reduce((n, c) => n + c.items.length, 0);
    if (items + q.agreements.length > MAX_QUESTIONS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_QUESTIONS} questions in all (scale and yes/no): a survey is answered on a phone` });
  });
export type SurveyQuestions = z.infer<typeof questionsSchema>;

export const DEFAULT_QUESTIONS: SurveyQuestions = questionsSchema.parse(defaultQuestions);

export type QuestionsReading = { ok: true; questions: SurveyQuestions } | { ok: false; problem: string };

/** Each problem with the path where it is, so HR can find it in the file. */
function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`).join('; ');
}

export function parseQuestions(json: string): QuestionsReading {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = questionsSchema.safeParse(raw);
  return parsed.success ? { ok: true, questions: parsed.data } : { ok: false, problem: describe(parsed.error) };
}

/** HR's own file when SURVEY_QUESTIONS_FILE names one, read when a survey opens; otherwise the R7 questions. */
export function loadQuestions(path: string | undefined): QuestionsReading {
  if (!path) return { ok: true, questions: DEFAULT_QUESTIONS };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, problem: `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const reading = parseQuestions(text);
  return reading.ok ? reading : { ok: false, problem: `${path}: ${reading.problem}` };
}

export const itemsOf = (q: SurveyQuestions): { key: string; label: SurveyQuestions['title']; category: string }[] =>
  q.categories.flatMap((c) => c.items.map((i) => ({ ...i, category: c.key })));
