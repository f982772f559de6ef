import { CloudAdapter, type Activity, type BotFrameworkAdapter, type ConversationParameters, type ConversationReference } from 'botbuilder';
import type { AppConfig } from '../config';
import type { StoredReference } from '../delivery/conversation-references.repository';
import { DeliveryError, type ConnectorPort, type CreatePersonalConversationArgs, type OutgoingMessage } from '../delivery/delivery.types';
import { parseRetryAfter } from '../delivery/retry-policy';
import { createBotFrameworkAuthentication } from './adapter';
import { toActivity } from './hibi-bot';

type BotFrameworkAuthentication = ReturnType<typeof createBotFrameworkAuthentication>;
/** botbuilder does not export the ConnectorClient type itself; this is the same class. */
type ConnectorClient = ReturnType<BotFrameworkAdapter['createConnectorClient']>;

/** The private core-client ServiceClient inside botbuilder's ConnectorClient, reduced to what is touched here. */
interface ConnectorInternals {
  client?: { pipeline?: { removePolicy(options: { phase: 'Retry' }): unknown[] } };
}

/**
 * botbuilder's connector client runs on @azure/core-rest-pipeline, whose default pipeline retries by
 * itself: 429/503 with Retry-After (honouring it) and 5xx/408/connection errors with exponential
 * backoff, three times, invisibly. The outbox owns retries (counted, persisted, rate-limited), so the
 * client's Retry-phase policy is removed from every client this port uses.
 */
function withoutSdkRetries(connector: ConnectorClient): ConnectorClient {
  const removed = (connector as unknown as ConnectorInternals).client?.pipeline?.removePolicy({ phase: 'Retry' }) ?? [];
  if (removed.length === 0)
    throw new Error('botbuilder connector client has no retry policy to remove: re-check src/bot/connector-port.ts after an SDK upgrade');
  return connector;
}

function withoutSdkRetriesAuthentication(auth: BotFrameworkAuthentication): BotFrameworkAuthentication {
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => {
    const factory = createFactory(claimsIdentity);
    return { create: async (serviceUrl, audience) => withoutSdkRetries(await factory.create(serviceUrl, audience)) };
  };
  return auth;
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined }; bodyAsText?: string | null };
}

/** Teams sometimes puts the precise reason (MessageWritesBlocked) in error.subCode beside a generic code. */
function subCodeOf(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const subCode = (JSON.parse(body) as { error?: { subCode?: unknown } }).error?.subCode;
    return typeof subCode === 'string' ? subCode : undefined;
  } catch {
    return undefined;
  }
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const rest = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const status = typeof rest.statusCode === 'number' ? rest.statusCode : 0;
  const retryAfterMs = parseRetryAfter(rest.response?.headers?.get('retry-after'), Date.now());
  const code = subCodeOf(rest.response?.bodyAsText) ?? (typeof rest.code === 'string' ? rest.code : undefined);
  return new DeliveryError(status, { retryAfterMs, code }, { cause: error });
}

function conversationReferenceOf(ref: StoredReference): ConversationReference {
  const conversationType = ref.conversationType ?? (ref.teamId ? 'channel' : 'personal');
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: { id: ref.conversationId, conversationType, isGroup: conversationType !== 'personal', name: '' },
    bot: { id: ref.botId, name: '' },
    user: ref.userId ? { id: ref.userId, name: '' } : undefined,
  };
}

/**
 * The Bot Connector through botbuilder's CloudAdapter, on a dedicated adapter whose connector clients
 * never retry (see withoutSdkRetries). Every failure is thrown as a DeliveryError.
 */
export class BotConnectorPort implements ConnectorPort {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    /** The token audience for the Bot Connector. */
    private readonly audience: string,
  ) {}

  async send(ref: StoredReference, message: OutgoingMessage): Promise<{ activityId?: string }> {
    let activityId: string | undefined;
    await this.withConnector(ref, async (connector) => {
      activityId = (await connector.conversations.sendToConversation(ref.conversationId, this.activityFor(ref, message))).id;
    });
    return { activityId };
  }

  async update(ref: StoredReference, activityId: string, message: OutgoingMessage): Promise<void> {
    await this.withConnector(ref, async (connector) => {
      await connector.conversations.updateActivity(ref.conversationId, activityId, { ...this.activityFor(ref, message), id: activityId });
    });
  }

  async createPersonalConversation(args: CreatePersonalConversationArgs): Promise<StoredReference> {
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: { id: args.botId, name: '' },
      members: [{ id: args.userId, name: '' }],
      tenantId: args.tenantId,
      channelData: { tenant: { id: args.tenantId } },
    };
    let conversationId: string | undefined;
    try {
      await this.adapter.createConversationAsync(this.botAppId, args.channelId, args.serviceUrl, this.audience, parameters, async (context) => {
        conversationId = context.activity.conversation.id;
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
    if (!conversationId) throw new DeliveryError(502, { code: 'NoConversationId' });
    return {
      channelId: args.channelId,
      serviceUrl: args.serviceUrl,
      conversationId,
      conversationType: 'personal',
      botId: args.botId,
      userId: args.userId,
    };
  }

  /**
   * Calls the turn's connector client directly: context.sendActivity would post a reply to the
   * continuation event's random id (POST .../activities/{id}) instead of a new message.
   */
  private async withConnector(ref: StoredReference, use: (connector: ConnectorClient) => Promise<void>): Promise<void> {
    try {
      await this.adapter.continueConversationAsync(this.botAppId, conversationReferenceOf(ref), async (context) => {
        await use(context.turnState.get(this.adapter.ConnectorClientKey) as ConnectorClient);
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  private activityFor(ref: StoredReference, message: OutgoingMessage): Partial<Activity> {
    const reference = conversationReferenceOf(ref);
    return {
      ...toActivity(message),
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      conversation: reference.conversation,
      from: reference.bot,
      recipient: reference.user,
    };
  }
}

/**
 * The Bot Connector token audience of the public cloud, the only one hibi's authentication is set up
 * for (no channel service configured); createConversationAsync wants it spelled out.
 */
const PUBLIC_CLOUD_AUDIENCE = 'https://api.botframework.com';

/**
 * The production port: its own CloudAdapter (no onTurnError, so failures reach the caller) whose
 * connector clients have botbuilder's retries removed.
 */
export function createConnectorPort(config: AppConfig): BotConnectorPort {
  const auth = withoutSdkRetriesAuthentication(createBotFrameworkAuthentication(config));
  return new BotConnectorPort(new CloudAdapter(auth), config.env.MicrosoftAppId ?? '', PUBLIC_CLOUD_AUDIENCE);
}
