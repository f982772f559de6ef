import { z } from 'zod';
import { toggle } from '../../shared/card-fields';

/**
 * The five Values and the four 志向 of the staff-development policy. Stored as these keys; the
 * words people read come from the catalogue (`kudos.value.<key>`), so a renamed label keeps history.
 */
export const VALUE_KEYS = ['purpose', 'share', 'learn', 'sincere', 'data', 'residents', 'autonomy', 'team', 'reform'] as const;
export type ValueKey = (typeof VALUE_KEYS)[number];

export const KUDOS_LIMITS = { message: 500, recipients: 10 } as const;

/** A multi-select ChoiceSet submits its choices as one comma-separated string. */
const recipientIds = z
  .string({ error: 'recipients' })
  .transform((s) => [
    ...new Set(
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().max(64, { error: 'recipients' }))
      .min(1, { error: 'recipients' })
      .max(KUDOS_LIMITS.recipients, { error: `tooMany:${KUDOS_LIMITS.recipients}` }),
  );

export const kudosSubmitSchema = z.object({
  verb: z.literal('kudos.send'),
  /** Minted when the card is rendered: the same card submitted twice is one kudos. */
  submitId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  recipients: recipientIds,
  value: z.enum(VALUE_KEYS, { error: 'value' }),
  message: z
    .string({ error: 'message' })
    .trim()
    .min(1, { error: 'message' })
    .max(KUDOS_LIMITS.message, { error: `max:${KUDOS_LIMITS.message}` }),
  public: toggle,
});
export type KudosSubmit = z.infer<typeof kudosSubmitSchema>;
export const FORM_FIELDS = ['recipients', 'value', 'message', 'public'] as const;

export const plusShowSchema = z.object({
  verb: z.literal('kudos.plus.show'),
  memberId: z.string().min(1).max(64),
});

/** One kudos as its recipient received it. */
export interface KudosRecord {
  recipientId: string;
  senderId: string;
  day: string;
  submitId: string;
  value: ValueKey;
  message: string;
  public: boolean;
  /** The recipient's unit when sent, so a later transfer does not move old counts. */
  unit: string;
  createdAt: string;
}

/** A manager's recognition of their own member, kept for the evaluation half it happened in. */
export interface PlusEntry {
  memberId: string;
  managerId: string;
  period: string;
  day: string;
  submitId: string;
  value: ValueKey;
  message: string;
  createdAt: string;
}
