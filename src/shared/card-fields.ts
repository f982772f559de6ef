import { z } from 'zod';

/**
 * The field shapes every card form shares. Issue messages are the keys the features' field-error
 * code reads (`required`, `max:<n>`), so a card shows the same wording for the same mistake.
 */

/** Trimmed, at most `max` characters; empty becomes undefined. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `max:${max}` })
    .optional()
    .transform((s) => (s ? s : undefined));

/** Trimmed, 1 to `max` characters. */
export const requiredText = (max: number) =>
  z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .max(max, { error: `max:${max}` });

/** Adaptive Card toggles submit "true"/"false" strings. */
export const toggle = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .optional()
  .transform((v) => v === true || v === 'true');

/**
 * What an Input.Number shows: the schema wants a number, and the renderer silently drops a string
 * ("30"), leaving the field empty. Typed text that is not a number cannot be shown in one anyway.
 */
export function numberInputValue(text: string | undefined): number | null {
  const trimmed = text?.trim() ?? '';
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : null;
}
