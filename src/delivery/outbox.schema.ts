import { z } from 'zod';
import type { OutgoingMessage, Recipient } from './delivery.types';

export const recipientSchema: z.ZodType<Recipient> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: z.string().min(1), teamsUserId: z.string().min(1).optional() }),
  z.object({ kind: z.literal('channel'), teamId: z.string().min(1), channelId: z.string().min(1) }),
]);

export const messageSchema: z.ZodType<OutgoingMessage> = z.union([
  z.object({ text: z.string().min(1) }),
  z.object({ card: z.record(z.string(), z.unknown()), summary: z.string().optional() }),
]);

/** A Table string property holds 32K UTF-16 units; Teams itself refuses messages above ~28 KB. */
const MAX_PAYLOAD_CHARS = 30_000;

export const outboxItemSchema = z.object({
  tenantId: z.string().min(1).max(100),
  /** The day the send belongs to (Asia/Tokyo), YYYY-MM-DD; with the tenant, the row's partition. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD'),
  /** Unique within tenant + day, e.g. "checkin-morning|住民課|A0100"; enqueueing it again is a no-op. */
  key: z.string().min(1).max(400),
  recipient: recipientSchema,
  message: messageSchema.refine((m) => JSON.stringify(m).length <= MAX_PAYLOAD_CHARS, `message larger than ${MAX_PAYLOAD_CHARS} characters`),
  /** Not sent before this time (a scheduled reminder); default now. */
  notBefore: z.date().optional(),
  /** Every time the row stores is kept to the hour (see outbox-times.ts). */
  coarseTimes: z.boolean().optional(),
  /** The recipient's language, for the 再送 marker of a resend (resend-marker.ts); default Japanese. */
  locale: z.enum(['ja', 'en']).optional(),
  /** Set for an update: the delivered message this row rewrites in place, instead of a new message. */
  replaces: z.object({ conversationId: z.string().min(1), activityId: z.string().min(1) }).optional(),
});

export type OutboxItem = z.infer<typeof outboxItemSchema>;

export function readRecipient(recipientJson: string): Recipient | undefined {
  try {
    const recipient = recipientSchema.safeParse(JSON.parse(recipientJson));
    return recipient.success ? recipient.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a stored row holds to send; undefined when the stored JSON no longer reads (never sent, marked Failed). */
export function readContent(recipientJson: string, payloadJson: string): { recipient: Recipient; message: OutgoingMessage } | undefined {
  try {
    const recipient = recipientSchema.safeParse(JSON.parse(recipientJson));
    const message = messageSchema.safeParse(JSON.parse(payloadJson));
    return recipient.success && message.success ? { recipient: recipient.data, message: message.data } : undefined;
  } catch {
    return undefined;
  }
}
