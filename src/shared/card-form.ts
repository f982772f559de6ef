import { DateTime } from 'luxon';
import { z } from 'zod';
import type { MessageKey, Translate } from '../i18n/i18n';

/**
 * How every card form reads a submit. Schemas put a kind in each zod issue message (`required`,
 * `date`, `time`, `choice`, `max:<n>`, or a kind of the feature's own, which may name its `{max}`
 * after a colon too); this turns the kinds into one
 * message per field in the person's language and keeps what they typed, so a refused card comes back
 * as it was sent.
 */

/** What a card shows again: the typed values, one message per field, and optionally one above the form. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** Above the form instead of the usual "check the fields" (e.g. nothing was saved). */
  formError?: string;
}

export type FormReading<T> = { ok: true; data: T } | ({ ok: false } & FormState);

/**
 * A feature's own kinds, and any shared kind it words differently, to their message keys; `other`
 * words a kind nobody else does (by default it reads as `required`).
 */
export type FieldMessages = Readonly<Partial<Record<string, MessageKey>>>;

const SHARED_MESSAGES: Readonly<Record<string, MessageKey>> = {
  required: 'form.error.required',
  max: 'form.error.max',
  date: 'form.error.date',
  time: 'form.error.time',
  choice: 'form.error.choice',
};

function messageKey(kind: string, messages: FieldMessages): MessageKey {
  const own = messages[kind] ?? SHARED_MESSAGES[kind];
  if (own) return own;
  if (kind === 'noSuchDay') return messageKey('date', messages);
  return messages.other ?? messageKey('required', messages);
}

/** The card's fields as typed, as strings; anything a card input cannot show becomes ''. */
export function typedValues(value: unknown, fields: readonly string[]): Record<string, string> {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(
    fields.map((f) => {
      const v = raw[f];
      return [f, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''];
    }),
  );
}

/** One message per field, the first issue's. */
export function fieldErrors(
  issues: readonly Pick<z.core.$ZodIssue, 'message' | 'path'>[],
  typed: Record<string, string>,
  t: Translate,
  messages: FieldMessages = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (errors[field] !== undefined) continue;
    const [kind = '', max = ''] = issue.message.split(':');
    errors[field] = t(messageKey(kind, messages), { max, length: [...(typed[field] ?? '').trim()].length });
  }
  return errors;
}

/** True when a problem is outside the card's fields: a forged or stale card, not a typing mistake. */
export function outsideFields(issues: readonly Pick<z.core.$ZodIssue, 'path'>[], fields: readonly string[]): boolean {
  return issues.some((issue) => !fields.includes(String(issue.path[0] ?? '')));
}

/** Reads a card submit with its schema: the data, or what was typed with a message per field. */
export function readForm<S extends z.ZodType>(
  schema: S,
  value: unknown,
  fields: readonly string[],
  t: Translate,
  messages: FieldMessages = {},
): FormReading<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const values = typedValues(value, fields);
  return { ok: false, values, errors: fieldErrors(parsed.error.issues, values, t, messages) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A YYYY-MM-DD day that is on the calendar: 2026-02-30 has the shape but is refused (`noSuchDay`,
 * which reads as `date` unless the feature words it), not rolled over to March.
 */
export const dayField = z
  .string({ error: 'date' })
  .regex(DAY, { error: 'date' })
  .refine((d) => DateTime.fromISO(d).isValid, { error: 'noSuchDay' });

/** An HH:mm time of day. */
export const timeField = z.string({ error: 'time' }).trim().regex(TIME, { error: 'time' });
