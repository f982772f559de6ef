import type { Locale } from '../i18n/i18n';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { hibiMetrics, type SendResult } from '../telemetry/metrics';
import type { StoredReference } from './conversation-references.repository';
import { DeliveryError, type DeliveryResult, type OutgoingMessage, type Recipient } from './delivery.types';
import type { OutboxEntity, OutboxRecord, OutboxRepository } from './outbox.repository';
import { readContent } from './outbox.schema';
import { deadlineStamp, pastStamp } from './outbox-times';
import { ClaimsAhead } from './claims-ahead';
import { asDeliveryError, NO_REFERENCE, type ProactiveSender } from './proactive-sender';
import type { Sleep } from './rate-limiter';
import { markedAsResent } from './resend-marker';
import { decideRetry, type RetryDecision, type RetryPolicyOptions } from './retry-policy';

/** What became of one row: sent, to be retried, given up (failed / unreachable), claimed first by another worker (lost), or not started because the worker is stopping. */
export type DeliveryOutcome = 'sent' | 'retried' | 'failed' | 'unreachable' | 'lost' | 'stopped';
type GiveUp = Exclude<DeliveryResult, 'Succeeded'>;

export interface RowDeliveryDeps {
  /** Written into the rows this worker leases. */
  owner: string;
  repository: OutboxRepository;
  sender: ProactiveSender;
  logger: Logger;
  clock: Clock;
  retry: RetryPolicyOptions;
  sleep: Sleep;
  leaseMs: number;
  /** Aborted when the worker stops: a row waiting for its rate-limit slot is then given back unsent. */
  signal: AbortSignal;
  /** Rows claimed ahead of their rate-limit slot (ClaimsAhead); default CLAIM_AHEAD. */
  claimAhead?: number;
}

/**
 * Covers a claim as slow as eight gaps between sends (270 ms at 30/s, 800 ms at a third of it; a
 * busy Azurite takes that long), and leaves at most eight claimed rows unsent by a crash.
 */
const CLAIM_AHEAD = 8;

/**
 * A finished row keeps who, when and the activity id, not the message: messages carry troubles and
 * 1on1 agendas that only their recipients may read, and nothing needs them once Teams has them.
 */
const FORGET_MESSAGE = { payload: '' } as const;

/**
 * One row's way out: claim it with a conditional write (If-Match etag), a few rows ahead of their
 * rate-limit slots (ClaimsAhead); once its slot is granted send or rewrite it; record the outcome with the claim's
 * etag, or schedule its retry. A worker that dies leaves the row leased, due again when the lease ends.
 */
export class RowDelivery {
  private readonly ahead: ClaimsAhead;

  constructor(private readonly deps: RowDeliveryDeps) {
    this.ahead = new ClaimsAhead(deps.claimAhead ?? CLAIM_AHEAD);
  }

  /** Claims the row, waits for its rate-limit slot, sends it, and records what happened. */
  async deliver(record: OutboxRecord): Promise<DeliveryOutcome> {
    const { sender } = this.deps;
    const { entity } = record;
    const content = readContent(entity.recipient, entity.payload);
    if (!content) {
      const claimed = await this.claim(record);
      if (!claimed) return 'lost';
      hibiMetrics.send('failed');
      return this.giveUp(claimed, undefined, 'Failed', 'InvalidRow');
    }
    const stored = await sender.storedReference(entity.tenantId, content.recipient);
    const target = updateTargetOf(entity);
    if (!(await this.ahead.acquire(this.deps.signal))) return 'stopped';
    let claimed: OutboxRecord | undefined;
    try {
      claimed = await this.claim(record);
      if (!claimed) return 'lost';
      // Paced as it leaves, not before its claim: Teams counts calls as they arrive, and a claim's
      // storage round trip varies by more than the gap between two sends. Without a stored reference
      // the first call opens the chat, which only the global cap limits.
      if (!(await sender.slot(target?.conversationId ?? stored?.conversationId, this.deps.signal))) {
        await this.unclaim(claimed);
        return 'stopped';
      }
    } finally {
      this.ahead.release();
    }
    // Still leased when it came due: the worker that claimed it never recorded an outcome (it died, or
    // its lease ran out mid-send), so Teams may already show the first copy and this one says so. An
    // update made twice leaves one card: nothing to say.
    const resent = entity.status === 'leased' && !target;
    const message = resent ? markedAsResent(content.message, localeOf(entity)) : content.message;

    let sent: { activityId?: string; reference: StoredReference };
    try {
      sent = target ? await this.rewrite(stored, target, message) : await this.post(entity.tenantId, content.recipient, stored, message);
    } catch (error) {
      return this.failed(claimed, content.recipient, asDeliveryError(error));
    }
    hibiMetrics.send('sent');
    // Teams has the message: until this write lands a crash sends it again (marked 再送), so it is the
    // first thing awaited after Teams' answer. Then only bookkeeping, whose errors never make a retry.
    const finished = await this.recordSent(claimed, {
      ...released(),
      ...FORGET_MESSAGE,
      status: 'sent',
      result: 'Succeeded',
      sentActivityId: sent.activityId,
      conversationId: sent.reference.conversationId,
      finishedAt: pastStamp(new Date(this.now()), claimed.entity.coarseTimes),
    });
    if (!finished) await this.explainUnrecorded(claimed, target !== undefined);
    this.deps.logger.info({ ...this.ids(claimed), result: 'Succeeded', attempts: claimed.entity.attempts, ...(resent ? { resent } : {}) }, 'outbox row sent');
    await sender.markReachable(entity.tenantId, content.recipient);
    return 'sent';
  }

  /** A new message; a person with no chat stored yet gets one opened first. */
  private async post(
    tenantId: string,
    recipient: Recipient,
    stored: StoredReference | undefined,
    message: OutgoingMessage,
  ): Promise<{ activityId?: string; reference: StoredReference }> {
    let reference = stored;
    if (!reference) {
      reference = await this.deps.sender.openPersonalChat(tenantId, recipient);
      await this.deps.sender.slot(reference.conversationId);
    }
    try {
      return { ...(await this.deps.sender.send(reference, message)), reference };
    } catch (error) {
      const newer = isChatRefused(error) ? await this.deps.sender.newerReference(tenantId, recipient, reference) : undefined;
      if (!newer) throw error;
      await this.deps.sender.slot(newer.conversationId);
      return { ...(await this.deps.sender.send(newer, message)), reference: newer };
    }
  }

  /** An update row's message in place of the one delivered; that chat is known, so nothing is opened. */
  private async rewrite(
    stored: StoredReference | undefined,
    target: UpdateTarget,
    message: OutgoingMessage,
  ): Promise<{ activityId: string; reference: StoredReference }> {
    if (!stored) throw new DeliveryError(404, { code: NO_REFERENCE });
    const reference = { ...stored, conversationId: target.conversationId };
    await this.deps.sender.updateSent(reference, target.activityId, message);
    return { activityId: target.activityId, reference };
  }

  /**
   * The message is out: unless this write lands, the row stays leased and is sent again when the
   * lease runs out. So it is retried through a storage outage for as long as the lease protects the
   * row (half of it, leaving room for the write itself); only a longer outage can still double it.
   */
  private async recordSent(claimed: OutboxRecord, changes: Parameters<OutboxRepository['replace']>[1]): Promise<OutboxRecord | undefined> {
    const giveUpAt = Date.now() + this.deps.leaseMs / 2;
    for (let attempt = 0, wait = RECORD_RETRY_FIRST_MS; ; attempt++, wait = Math.min(wait * 2, RECORD_RETRY_MAX_MS)) {
      try {
        return await this.deps.repository.replace(claimed, changes);
      } catch (error) {
        if (attempt >= RECORD_RETRY_ATTEMPTS || Date.now() + wait > giveUpAt) throw error;
        this.deps.logger.warn({ ...this.ids(claimed), attempt }, 'outbox row sent but not yet recorded (storage error); retrying');
        await this.deps.sleep(wait);
      }
    }
  }

  /**
   * The "sent" write found the row changed. An update row may have been replaced by a newer update
   * of the same card (Outbox.enqueueUpdate), which is sent next: nothing went wrong. Otherwise the
   * lease ran out and another worker took the row, and may send it again.
   */
  private async explainUnrecorded(claimed: OutboxRecord, isUpdate: boolean): Promise<void> {
    const { entity } = claimed;
    const current = isUpdate ? await this.deps.repository.get(entity.tenantId, entity.day, entity.key).catch(() => undefined) : undefined;
    if (current && isNewerVersion(current.entity, entity)) {
      this.deps.logger.info(this.ids(claimed), 'outbox update row superseded by a newer update during its send; the newer one is sent next');
    } else {
      this.deps.logger.warn(this.ids(claimed), 'outbox lease expired during a send; another worker may send this row again');
    }
  }

  /** A claimed row the stopping worker will not send goes back as it was, so the next instance sends it without a 再送 mark. */
  private async unclaim(claimed: OutboxRecord): Promise<void> {
    try {
      await this.deps.repository.replace(claimed, { ...released(), status: 'pending', attempts: claimed.entity.attempts - 1 });
    } catch (error) {
      this.deps.logger.warn(
        { ...this.ids(claimed), err: error instanceof Error ? error.message : String(error) },
        'outbox row not given back; sent again when its lease runs out',
      );
    }
  }

  private claim(record: OutboxRecord): Promise<OutboxRecord | undefined> {
    return this.deps.repository.replace(record, {
      status: 'leased',
      leaseOwner: this.deps.owner,
      leaseUntil: deadlineStamp(new Date(this.now() + this.deps.leaseMs), record.entity.coarseTimes),
      attempts: record.entity.attempts + 1,
    });
  }

  private async failed(claimed: OutboxRecord, recipient: Recipient, failure: DeliveryError): Promise<DeliveryOutcome> {
    const lastError = failure.code ? `${failure.status}:${failure.code}` : String(failure.status);
    const decision = decideRetry(claimed.entity.attempts, failure, this.deps.retry);
    hibiMetrics.send(sendResultOf(failure, decision));
    if (decision.action === 'give-up') return this.giveUp(claimed, recipient, decision.result, lastError, failure.code);
    await this.deps.repository.replace(claimed, {
      ...released(),
      status: 'pending',
      nextAttemptAt: deadlineStamp(new Date(this.now() + decision.delayMs), claimed.entity.coarseTimes),
      lastError,
    });
    this.deps.logger.info({ ...this.ids(claimed), lastError, attempts: claimed.entity.attempts, delayMs: decision.delayMs }, 'outbox row will be retried');
    return 'retried';
  }

  private async giveUp(claimed: OutboxRecord, recipient: Recipient | undefined, result: GiveUp, lastError: string, code?: string): Promise<DeliveryOutcome> {
    const unreachable = result === 'Unreachable';
    await this.deps.repository.replace(claimed, {
      ...released(),
      ...FORGET_MESSAGE,
      status: unreachable ? 'unreachable' : 'failed',
      result,
      lastError,
      finishedAt: pastStamp(new Date(this.now()), claimed.entity.coarseTimes),
    });
    this.deps.logger.warn({ ...this.ids(claimed), result, lastError, attempts: claimed.entity.attempts }, 'outbox row not delivered');
    if (unreachable && recipient) await this.deps.sender.markUnreachable(claimed.entity.tenantId, recipient, code ?? lastError);
    return unreachable ? 'unreachable' : 'failed';
  }

  private ids(record: OutboxRecord): { tenantId: string; day: string; key: string; owner: string } {
    return { tenantId: record.entity.tenantId, day: record.entity.day, key: record.entity.key, owner: this.deps.owner };
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}

/** Backoff of recordSent: 0.25 s doubling to 4 s; the attempt cap guards against a sleep that does not wait. */
const RECORD_RETRY_FIRST_MS = 250;
const RECORD_RETRY_MAX_MS = 4000;
const RECORD_RETRY_ATTEMPTS = 60;

const released = (): { leaseOwner: undefined; leaseUntil: undefined } => ({ leaseOwner: undefined, leaseUntil: undefined });

/** The language the row was queued with; Japanese, the town's, when the sender gave none. */
const localeOf = (entity: OutboxRecord['entity']): Locale => (entity.locale === 'en' ? 'en' : 'ja');

interface UpdateTarget {
  conversationId: string;
  activityId: string;
}

/**
 * Whether the row now stored is a newer version written over the claimed one (enqueueUpdate starts a
 * version afresh: new createdAt, no attempts) rather than the same row claimed again after its lease
 * ran out, which keeps its createdAt and counts one attempt more. createdAt alone cannot tell when
 * both fall in one hour of a coarse row, so the attempts decide then.
 */
export function isNewerVersion(current: Pick<OutboxEntity, 'createdAt' | 'attempts'>, claimed: Pick<OutboxEntity, 'createdAt' | 'attempts'>): boolean {
  return current.createdAt !== claimed.createdAt || current.attempts <= claimed.attempts;
}

/** The delivered message an update row rewrites; undefined for a send. */
function updateTargetOf(entity: OutboxRecord['entity']): UpdateTarget | undefined {
  return entity.updatesActivityId && entity.conversationId ? { conversationId: entity.conversationId, activityId: entity.updatesActivityId } : undefined;
}

/**
 * Every attempt counts, retried or not: a 429 is Teams throttling hibi whatever happens next, and a
 * recipient Teams refuses or hibi has no chat with is what HR's 未インストール lists.
 */
function sendResultOf(failure: DeliveryError, decision: RetryDecision): SendResult {
  if (failure.status === 429) return 'throttled';
  if (decision.action === 'give-up' && (decision.result === 'Unreachable' || decision.result === 'RecipientNotFound')) return 'not_installed';
  return 'failed';
}

/** Teams no longer takes messages in that chat (removed, blocked, or the app reinstalled into a new one). */
const isChatRefused = (error: unknown): boolean => error instanceof DeliveryError && (error.status === 403 || error.status === 404);
