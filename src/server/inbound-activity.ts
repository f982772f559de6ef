import { z } from 'zod';

/**
 * The shape of an activity hibi accepts on /api/messages: the fields botbuilder and hibi read, with
 * the types they assume. botbuilder itself only checks that `type` is a string, so a message whose
 * `text` is a number or whose mention entity has no `mentioned` would fail deep inside a turn; here
 * it is a 400 before any handler runs. Unknown fields pass through untouched.
 */
const text = (max: number) => z.string().max(max).optional();

/** A reply copies the sender, recipient and conversation back: botbuilder's serializer refuses them with a wrong type. */
const account = z.looseObject({ id: z.string().min(1).max(1024), name: text(1024), aadObjectId: text(128), role: text(64) });

const entity = z.looseObject({ type: z.string().min(1).max(256) }).superRefine((value, ctx) => {
  // botbuilder's mention helpers read mentioned.id of every mention entity without a check.
  if (value.type.toLowerCase() !== 'mention') return;
  const mention = z.looseObject({ mentioned: account, text: z.string().optional() }).safeParse(value);
  if (!mention.success) ctx.addIssue({ code: 'custom', message: 'mention entity without a mentioned account' });
});

const idAndName = z.looseObject({ id: z.string().max(1024).optional(), name: z.string().max(1024).optional() });

export const inboundActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(1024).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    conversationType: text(64),
    tenantId: text(128),
    isGroup: z.boolean().optional(),
    name: text(1024),
    aadObjectId: text(128),
    role: text(64),
  }),
  text: z.string().optional(),
  locale: z.string().max(64).optional(),
  replyToId: z.string().max(1024).optional(),
  name: z.string().max(256).optional(),
  action: z.string().max(64).optional(),
  entities: z.array(entity).max(100).optional(),
  attachments: z.array(z.looseObject({})).max(50).optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
  channelData: z
    .looseObject({
      tenant: idAndName.optional(),
      team: idAndName.optional(),
      channel: idAndName.optional(),
      eventType: z.string().max(256).optional(),
    })
    .optional(),
});

/** True when botbuilder and hibi can read the body as an activity. */
export function isReadableActivity(body: unknown): boolean {
  return inboundActivitySchema.safeParse(body).success;
}
