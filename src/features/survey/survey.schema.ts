import { z } from 'zod';
import { optionalText } from '../../shared/card-fields';
import { typedValues } from '../../shared/card-form';
import type { SurveyRoleGroup } from '../kpi/kpi.public';
import type { RoleKey } from '../../directory/org.schema';
import { itemsOf, type SurveyQuestions } from './survey.questions';

/**
 * The R7 survey's four groups. 町長・副町長 (executive) are not surveyed: they are two people, so
 * any group of theirs would be suppressed, and the check-ins and 1on1s leave them out too.
 */
const ROLE_GROUP: Partial<Record<RoleKey, SurveyRoleGroup>> = {
  lead: 'lead-staff',
  staff: 'lead-staff',
  chief: 'chief-senior',
  senior: 'chief-senior',
  appointee: 'appointee',
  manager: 'manager',
};

export function surveyRoleGroupOf(role: RoleKey): SurveyRoleGroup | undefined {
  return ROLE_GROUP[role];
}

export interface Survey {
  tenantId: string;
  /** S20261202-3fa1: the day it opened and a random tail, so two surveys never share a partition. */
  surveyId: string;
  questions: SurveyQuestions;
  openedOn: string;
  /** The last day answers are taken (Tokyo); the survey closes at its end. */
  closeOn: string;
  state: 'open' | 'closed';
}

export const surveyIdSchema = z.string().regex(/^S\d{8}-[0-9a-f]{4}$/);

/** The free-text answer: room for a real opinion, small enough that every answer fits the shards. */
export const FREE_TEXT_MAX = 500;

/** Card input ids: one per question, so a refused card comes back with each choice where it was. */
export const fieldIds = {
  item: (key: string) => `s_${key}`,
  agreement: (key: string) => `a_${key}`,
  text: 'text',
};

export interface Answer {
  scores: Record<string, number>;
  agreements: Record<string, boolean>;
  text?: string;
}

export type AnswerReading = { ok: true; answer: Answer } | { ok: false; values: Record<string, string>; missing: string[]; tooLong: boolean };

const scoreSchema = z.enum(['1', '2', '3', '4']).transform(Number);
const yesNoSchema = z.enum(['yes', 'no']).transform((v) => v === 'yes');

/** Reads a submitted answer card against the survey's own questions: every scale and yes/no item is required, the free text is not. */
export function readAnswer(value: unknown, questions: SurveyQuestions): AnswerReading {
  const items = itemsOf(questions);
  const shape = z.object({
    ...Object.fromEntries(items.map((i) => [fieldIds.item(i.key), scoreSchema])),
    ...Object.fromEntries(questions.agreements.map((a) => [fieldIds.agreement(a.key), yesNoSchema])),
    [fieldIds.text]: optionalText(FREE_TEXT_MAX),
  });
  const parsed = shape.safeParse(value);
  const ids = [...items.map((i) => fieldIds.item(i.key)), ...questions.agreements.map((a) => fieldIds.agreement(a.key)), fieldIds.text];
  if (!parsed.success) {
    const failed = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    return {
      ok: false,
      values: typedValues(value, ids),
      missing: ids.filter((id) => id !== fieldIds.text && failed.has(id)),
      tooLong: failed.has(fieldIds.text),
    };
  }
  const data = parsed.data as Record<string, number | boolean | string | undefined>;
  return {
    ok: true,
    answer: {
      scores: Object.fromEntries(items.map((i) => [i.key, data[fieldIds.item(i.key)] as number])),
      agreements: Object.fromEntries(questions.agreements.map((a) => [a.key, data[fieldIds.agreement(a.key)] as boolean])),
      text: questions.freeText ? (data[fieldIds.text] as string | undefined) : undefined,
    },
  };
}

/** `アンケート 開始 2026-12-20`, `アンケート 結果`, `アンケート 自由記述 2`, or nothing (one's own card). */
export type SurveyCommand = { kind: 'mine' } | { kind: 'open'; closeArg: string } | { kind: 'results' } | { kind: 'texts'; page: number } | { kind: 'unknown' };

const OPEN_WORDS = new Set(['開始', 'open', 'start']);
const RESULT_WORDS = new Set(['結果', 'results', 'result']);
const TEXT_WORDS = new Set(['自由記述', 'comments', 'texts']);

export function readSurveyCommand(args: string): SurveyCommand {
  const [first = '', ...rest] = args.split(' ').filter((w) => w !== '');
  const word = first.toLowerCase();
  if (word === '') return { kind: 'mine' };
  if (OPEN_WORDS.has(word)) return { kind: 'open', closeArg: rest.join(' ') };
  if (RESULT_WORDS.has(word)) return { kind: 'results' };
  if (TEXT_WORDS.has(word)) {
    const page = z.coerce
      .number()
      .int()
      .min(1)
      .max(999)
      .safeParse(rest[0] ?? '1');
    return page.success ? { kind: 'texts', page: page.data } : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}
