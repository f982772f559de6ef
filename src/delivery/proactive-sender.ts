import type { Clock } from '../shared/clock';
import type { ConversationReferencesRepository, StoredReference } from './conversation-references.repository';
import { DeliveryError, type ConnectorPort, type DeliveryResult, type OutgoingMessage, type Recipient } from './delivery.types';
import type { ReachabilityRepository } from './reachability.repository';
import type { TeamsUsersRepository } from './teams-users.repository';
import { timerSleep, waitForSlot, type RateLimiter, type Sleep } from './rate-limiter';
import { DEFAULT_RETRY_POLICY, decideRetry, isTransient, type RetryPolicyOptions } from './retry-policy';

export interface ProactiveSenderDeps {
  port: ConnectorPort;
  references: ConversationReferencesRepository;
  reachability: ReachabilityRepository;
  /** Teams user ids learnt from team rosters, for people with no personal chat stored yet. */
  teamsUsers?: TeamsUsersRepository;
  /** One per process, shared with the OutboxWorker: Teams counts every call of the app. */
  limiter: RateLimiter;
  clock: Clock;
  retry?: RetryPolicyOptions;
  sleep?: Sleep;
}

/** A message already delivered, as the outbox row records it (getRow). */
export interface SentMessage {
  tenantId: string;
  recipient: Recipient;
  conversationId: string;
  activityId: string;
}

/** How long an update may take: `retry` instead of the sender's policy, and no wait longer than `maxWaitMs`. */
export interface UpdateBudget {
  retry: RetryPolicyOptions;
  maxWaitMs: number;
}

/** An update that would have needed more than its budget: Teams may take it later (the caller queues it). */
export type UpdateResult = DeliveryResult | 'Deferred';

/** No stored reference and no way to open a chat: Teams was never asked, so this is not an HTTP answer. */
export const NO_REFERENCE = 'NoConversationReference';

/** Finds where a recipient's messages go (opening a personal chat when it can) and talks to the port. */
export class ProactiveSender {
  private readonly retry: RetryPolicyOptions;
  private readonly sleep: Sleep;

  constructor(private readonly deps: ProactiveSenderDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = deps.sleep ?? timerSleep;
  }

  /** The stored reference, if any, from the references' memo; no Bot Connector call. */
  async storedReference(tenantId: string, recipient: Recipient): Promise<StoredReference | undefined> {
    return this.deps.references.find(tenantId, recipient);
  }

  /**
   * The stored reference read again, when Teams refused the chat the memo had (403, 404): another
   * instance may have stored a newer one since (a reinstall opens a new chat). Undefined when the
   * row says nothing new, so the refusal stands.
   */
  async newerReference(tenantId: string, recipient: Recipient, refused: StoredReference): Promise<StoredReference | undefined> {
    const stored = await this.deps.references.refresh(tenantId, recipient);
    return stored && stored.conversationId !== refused.conversationId ? stored : undefined;
  }

  /**
   * Opens the personal chat of a person who has none stored, with their Teams user id and the tenant's
   * bot and service URL, and stores the new reference. Teams answers the same conversation for the same
   * user, so doing this twice after a crash is harmless. Throws DeliveryError 404 when it cannot.
   */
  async openPersonalChat(tenantId: string, recipient: Recipient): Promise<StoredReference> {
    if (recipient.kind !== 'person') throw new DeliveryError(404, { code: NO_REFERENCE });
    const userId = recipient.teamsUserId ?? (await this.deps.teamsUsers?.get(tenantId, recipient.personId));
    const template = userId ? await this.deps.references.anyOfTenant(tenantId) : undefined;
    if (!userId || !template) throw new DeliveryError(404, { code: NO_REFERENCE });
    const reference = await this.deps.port.createPersonalConversation({
      tenantId,
      serviceUrl: template.serviceUrl,
      channelId: template.channelId,
      botId: template.botId,
      userId,
    });
    await this.deps.references.save(tenantId, recipient, reference);
    return reference;
  }

  /** Takes a rate-limit slot for one call to the conversation (undefined = a call that opens one). */
  slot(conversationId: string | undefined, signal?: AbortSignal): Promise<boolean> {
    return waitForSlot(this.deps.limiter, conversationId, this.sleep, signal);
  }

  send(reference: StoredReference, message: OutgoingMessage): Promise<{ activityId?: string }> {
    return this.deps.port.send(reference, message);
  }

  async markUnreachable(tenantId: string, recipient: Recipient, code: string): Promise<void> {
    await this.deps.reachability.markUnreachable(tenantId, recipient, code, this.deps.clock.now());
  }

  async markReachable(tenantId: string, recipient: Recipient): Promise<void> {
    await this.deps.reachability.clear(tenantId, recipient);
  }

  /** One update of a delivered message, no retry: the outbox worker's, which retries by the row. */
  updateSent(reference: StoredReference, activityId: string, message: OutgoingMessage): Promise<void> {
    return this.deps.port.update(reference, activityId, message);
  }

  /**
   * Replaces a delivered message in place (a card whose state changed), under the same limits and
   * retry policy as sends, waiting through the backoff itself. Within a budget (a person's turn), a
   * transient failure that would need more attempts or a longer wait is answered 'Deferred' instead.
   */
  async update(sent: SentMessage, message: OutgoingMessage, budget?: UpdateBudget): Promise<UpdateResult> {
    const stored = await this.storedReference(sent.tenantId, sent.recipient);
    if (!stored) return 'RecipientNotFound';
    const reference = { ...stored, conversationId: sent.conversationId };
    const policy = budget?.retry ?? this.retry;
    for (let attempt = 1; ; attempt++) {
      if (!(await this.slot(reference.conversationId))) return 'Failed';
      try {
        await this.deps.port.update(reference, sent.activityId, message);
        return 'Succeeded';
      } catch (error) {
        const failure = asDeliveryError(error);
        const decision = decideRetry(attempt, failure, policy);
        if (budget && isTransient(failure) && (decision.action === 'give-up' || decision.delayMs > budget.maxWaitMs)) return 'Deferred';
        if (decision.action === 'give-up') {
          if (decision.result === 'Unreachable') await this.markUnreachable(sent.tenantId, sent.recipient, failure.code ?? String(failure.status));
          return decision.result;
        }
        await this.sleep(decision.delayMs);
      }
    }
  }
}

/** Anything that is not already a DeliveryError (storage hiccup, bug) counts as "no answer": retried, then Failed. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(0, { code: 'Unexpected' }, { cause: error });
}
