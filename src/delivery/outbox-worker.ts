import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../shared/clock';
import type { Locale } from '../i18n/i18n';
import type { Logger } from '../shared/logger';
import { hibiMetrics, type OutboxBacklog, type SendResult } from '../telemetry/metrics';
import { rowKeyOf, type StoredReference } from './conversation-references.repository';
import { DeliveryError, type DeliveryResult, type OutgoingMessage, type Recipient } from './delivery.types';
import type { OpenRow, OutboxRecord, OutboxRepository } from './outbox.repository';
import { readContent } from './outbox.schema';
import { asDeliveryError, NO_REFERENCE, type ProactiveSender } from './proactive-sender';
import { markedAsResent } from './resend-marker';
import { timerSleep, type Sleep } from './rate-limiter';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryDecision, type RetryPolicyOptions } from './retry-policy';
import { deadlineStamp, pastStamp } from './outbox-times';

export interface OutboxWorkerOptions {
  /** Unique per running instance; written into the rows it leases. */
  owner: string;
  repository: OutboxRepository;
  sender: ProactiveSender;
  logger: Logger;
  clock?: Clock;
  retry?: RetryPolicyOptions;
  sleep?: Sleep;
  /** How long a claimed row is this worker's; must comfortably exceed one Bot Connector call. */
  leaseMs?: number;
  /** Idle wait between polls. */
  pollMs?: number;
  /** Recipients served in parallel; one recipient's rows go one after another. */
  concurrency?: number;
  /** Open rows read with their messages at once: what a pass holds of a fan-out, rather than the whole day's messages. */
  pageSize?: number;
  /** A finished day is forgotten only when untouched this long, so an enqueue in progress is never cut off. */
  dayReleaseGraceMs?: number;
  /** Serve only these tenants (e.g. one worker per municipality); default every tenant. */
  tenantIds?: readonly string[];
}

export interface DrainSummary {
  sent: number;
  retried: number;
  failed: number;
  unreachable: number;
  /** Rows another worker claimed first. */
  lost: number;
}

type Outcome = keyof DrainSummary | 'stopped';
type GiveUp = Exclude<DeliveryResult, 'Succeeded'>;

interface PassResult {
  summary: DrainSummary;
  attempted: number;
  /** Earliest time a row not yet due becomes due (a backoff ending, a lease expiring). */
  nextDueAt?: number;
  errors: unknown[];
}

/**
 * A finished row keeps who, when and the activity id, not the message: messages carry troubles and
 * 1on1 agendas that only their recipients may read, and nothing needs them once Teams has them.
 */
const FORGET_MESSAGE = { payload: '' } as const;

export function defaultWorkerOwner(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Delivers outbox rows: claims a due row with a conditional write (If-Match etag), sends it under the
 * rate limits, and records the outcome with the claim's etag. A row is claimed only after its rate-limit
 * slot is granted, so a lease is never spent waiting. A worker that dies leaves leased rows that become
 * due again when the lease expires.
 */
export class OutboxWorker {
  private readonly clock: Clock;
  private readonly retry: RetryPolicyOptions;
  private readonly sleep: Sleep;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly pageSize: number;
  private readonly dayReleaseGraceMs: number;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private backlog: OutboxBacklog = { rows: 0 };
  private readonly readBacklog = (): OutboxBacklog => this.backlog;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.clock = options.clock ?? systemClock;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? timerSleep;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.concurrency = options.concurrency ?? 8;
    this.pageSize = options.pageSize ?? 100;
    // Every lane waiting for a rate-limit slot listens on the stop signal; that is expected, not a leak.
    setMaxListeners(this.concurrency + 4, this.abort.signal);
    this.dayReleaseGraceMs = options.dayReleaseGraceMs ?? 10 * 60_000;
  }

  /**
   * Sends until nothing is due. With waitUpToMs, also waits for rows that become due within that time
   * (a backoff, an expired lease). Throws the first storage error of a pass.
   */
  async drain(options: { waitUpToMs?: number } = {}): Promise<DrainSummary> {
    const total = emptySummary();
    const deadline = this.now() + (options.waitUpToMs ?? 0);
    while (!this.stopping) {
      const pass = await this.track(this.pass());
      addTo(total, pass.summary);
      if (pass.errors.length > 0) throw pass.errors[0];
      if (pass.attempted > 0) continue;
      if (pass.nextDueAt === undefined || pass.nextDueAt > deadline) break;
      await this.sleep(Math.min(this.pollMs, Math.max(1, pass.nextDueAt - this.now())), this.abort.signal);
    }
    return total;
  }

  /** Polls until stop(); errors are logged and the next poll tries again. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the idle wait of start()'s loop, so rows just enqueued go out now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Claims nothing more, lets the sends in flight finish and record their outcome, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.loop;
    await Promise.allSettled([...this.running]);
    hibiMetrics.forgetOutboxBacklog(this.readBacklog);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let wait = this.pollMs;
      try {
        const pass = await this.track(this.pass());
        for (const error of pass.errors) this.options.logger.error({ err: errorText(error) }, 'outbox row not processed');
        if (pass.errors.length === 0 && pass.attempted > 0) wait = 0;
        else if (pass.nextDueAt !== undefined) wait = Math.min(this.pollMs, Math.max(1, pass.nextDueAt - this.now()));
      } catch (error) {
        this.options.logger.error({ err: errorText(error) }, 'outbox poll failed');
      }
      if (wait > 0) {
        const idle = new AbortController();
        this.wakeUp = () => idle.abort();
        await this.sleep(wait, AbortSignal.any([this.abort.signal, idle.signal]));
        this.wakeUp = undefined;
      }
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    return work.finally(() => this.running.delete(work));
  }

  /**
   * Plans from the open rows without their messages (a day's fan-out is thousands of cards), then sends.
   * A recipient with several rows due gets them in the order they were queued, one after another, each
   * read just before it is sent. A recipient with one row due, as in every fan-out, is then sent from
   * pages of the day's open rows read in key order, so the messages in memory are a page's, with no
   * read of its own.
   */
  private async pass(): Promise<PassResult> {
    const { repository } = this.options;
    const result: PassResult = { summary: emptySummary(), attempted: 0, errors: [] };
    const now = this.now();
    const due: OpenRow[] = [];
    const waiting: OpenRow[] = [];
    const tenants = this.options.tenantIds;
    for (const day of await repository.pendingDays()) {
      if (tenants && !tenants.includes(day.tenantId)) continue;
      const open = await repository.openRows(day.tenantId, day.day);
      if (open.length === 0 && now - day.touchedAt.getTime() >= this.dayReleaseGraceMs) await repository.releaseDay(day);
      for (const row of open) {
        waiting.push(row);
        const dueAt = dueTime(row);
        if (dueAt <= now) due.push(row);
        else result.nextDueAt = Math.min(result.nextDueAt ?? dueAt, dueAt);
      }
    }
    this.backlog = backlogOf(waiting);
    hibiMetrics.reportOutboxBacklog(this.readBacklog);
    const lanes = lanesOf(due);
    const queued = lanes.filter((lane) => lane.length > 1);
    await this.serve(
      (async function* () {
        yield* queued;
      })(),
      async (row) => {
        const record = await repository.get(row.entity.tenantId, row.entity.day, row.entity.key);
        return record?.etag === row.etag ? this.deliver(record) : 'lost';
      },
      result,
    );
    const alone = new Map<string, OpenRow>();
    for (const lane of lanes) if (lane.length === 1) alone.set(rowId(lane[0]!.entity), lane[0]!);
    if (!this.stopping) await this.serve(this.pagedLanes(alone, result), (record) => this.deliver(record), result);
    return result;
  }

  /**
   * The planned rows (`alone`, by rowId) as they are now, each a lane of its own, read with their
   * messages a page at a time. A row written since the plan was made, or no longer open, is another
   * worker's (its claim, send or retry): a claim with the planned etag would have failed the same way.
   */
  private async *pagedLanes(alone: Map<string, OpenRow>, result: PassResult): AsyncGenerator<OutboxRecord[]> {
    for (const { tenantId, day } of daysOf([...alone.values()])) {
      for await (const page of this.options.repository.openRowPages(tenantId, day, this.pageSize)) {
        for (const record of page) {
          const listed = alone.get(rowId(record.entity));
          if (!listed) continue;
          alone.delete(rowId(record.entity));
          if (record.etag === listed.etag) yield [record];
          else this.count(result, 'lost');
        }
      }
    }
    for (let left = alone.size; left > 0; left--) this.count(result, 'lost');
  }

  /**
   * Serves lanes, `concurrency` at a time, taking the next lane as one frees up; a lane stops at a
   * retry or an error, so its later rows wait behind it.
   */
  private async serve<T>(lanes: AsyncIterator<readonly T[]>, deliver: (item: T) => Promise<Outcome>, result: PassResult): Promise<void> {
    const serveLanes = async (): Promise<void> => {
      while (!this.stopping) {
        let next: IteratorResult<readonly T[]>;
        try {
          next = await lanes.next();
        } catch (error) {
          result.errors.push(error);
          return;
        }
        if (next.done) return;
        for (const item of next.value) {
          if (this.stopping) return;
          try {
            const outcome = await deliver(item);
            if (outcome === 'stopped') return;
            this.count(result, outcome);
            if (outcome === 'retried') break;
          } catch (error) {
            result.attempted += 1;
            result.errors.push(error);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, serveLanes));
  }

  private count(result: PassResult, outcome: keyof DrainSummary): void {
    result.attempted += 1;
    result.summary[outcome] += 1;
    // A finished row leaves the backlog now, not at the next pass: a fan-out's pass can take minutes.
    if (outcome === 'sent' || outcome === 'failed' || outcome === 'unreachable') this.backlog = leaving(this.backlog);
  }

  private async deliver(record: OutboxRecord): Promise<Outcome> {
    const { sender } = this.options;
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
    // Without a stored reference the first call opens the chat, which only the global cap limits.
    if (!(await sender.slot(target?.conversationId ?? stored?.conversationId, this.abort.signal))) return 'stopped';
    const claimed = await this.claim(record);
    if (!claimed) return 'lost';
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
    if (!finished) this.options.logger.warn(this.ids(claimed), 'outbox lease expired during a send; another worker may send this row again');
    this.options.logger.info({ ...this.ids(claimed), result: 'Succeeded', attempts: claimed.entity.attempts, ...(resent ? { resent } : {}) }, 'outbox row sent');
    await sender.markReachable(entity.tenantId, content.recipient);
    return 'sent';
  }

  /** A new message; a person with no chat stored yet gets one opened first. */
  private async post(tenantId: string, recipient: Recipient, stored: StoredReference | undefined, message: OutgoingMessage): Promise<{ activityId?: string; reference: StoredReference }> {
    let reference = stored;
    if (!reference) {
      reference = await this.options.sender.openPersonalChat(tenantId, recipient);
      await this.options.sender.slot(reference.conversationId);
    }
    return { ...(await this.options.sender.send(reference, message)), reference };
  }

  /** An update row's message in place of the one delivered; that chat is known, so nothing is opened. */
  private async rewrite(stored: StoredReference | undefined, target: UpdateTarget, message: OutgoingMessage): Promise<{ activityId: string; reference: StoredReference }> {
    if (!stored) throw new DeliveryError(404, { code: NO_REFERENCE });
    const reference = { ...stored, conversationId: target.conversationId };
    await this.options.sender.updateSent(reference, target.activityId, message);
    return { activityId: target.activityId, reference };
  }

  /**
   * The message is out: unless this write lands, the row stays leased and is sent again when the
   * lease runs out. So it is retried through a storage outage for as long as the lease protects the
   * row (half of it, leaving room for the write itself); only a longer outage can still double it.
   */
  private async recordSent(claimed: OutboxRecord, changes: Parameters<OutboxRepository['replace']>[1]): Promise<OutboxRecord | undefined> {
    const giveUpAt = Date.now() + this.leaseMs / 2;
    for (let attempt = 0, wait = RECORD_RETRY_FIRST_MS; ; attempt++, wait = Math.min(wait * 2, RECORD_RETRY_MAX_MS)) {
      try {
        return await this.options.repository.replace(claimed, changes);
      } catch (error) {
        if (attempt >= RECORD_RETRY_ATTEMPTS || Date.now() + wait > giveUpAt) throw error;
        this.options.logger.warn({ ...this.ids(claimed), attempt }, 'outbox row sent but not yet recorded (storage error); retrying');
        await this.sleep(wait);
      }
    }
  }

  private claim(record: OutboxRecord): Promise<OutboxRecord | undefined> {
    return this.options.repository.replace(record, {
      status: 'leased',
      leaseOwner: this.options.owner,
      leaseUntil: deadlineStamp(new Date(this.now() + this.leaseMs), record.entity.coarseTimes),
      attempts: record.entity.attempts + 1,
    });
  }

  private async failed(claimed: OutboxRecord, recipient: Recipient, failure: DeliveryError): Promise<Outcome> {
    const lastError = failure.code ? `${failure.status}:${failure.code}` : String(failure.status);
    const decision = decideRetry(claimed.entity.attempts, failure, this.retry);
    hibiMetrics.send(sendResultOf(failure, decision));
    if (decision.action === 'give-up') return this.giveUp(claimed, recipient, decision.result, lastError, failure.code);
    await this.options.repository.replace(claimed, {
      ...released(),
      status: 'pending',
      nextAttemptAt: deadlineStamp(new Date(this.now() + decision.delayMs), claimed.entity.coarseTimes),
      lastError,
    });
    this.options.logger.info({ ...this.ids(claimed), lastError, attempts: claimed.entity.attempts, delayMs: decision.delayMs }, 'outbox row will be retried');
    return 'retried';
  }

  private async giveUp(claimed: OutboxRecord, recipient: Recipient | undefined, result: GiveUp, lastError: string, code?: string): Promise<Outcome> {
    const unreachable = result === 'Unreachable';
    await this.options.repository.replace(claimed, {
      ...released(),
      ...FORGET_MESSAGE,
      status: unreachable ? 'unreachable' : 'failed',
      result,
      lastError,
      finishedAt: pastStamp(new Date(this.now()), claimed.entity.coarseTimes),
    });
    this.options.logger.warn({ ...this.ids(claimed), result, lastError, attempts: claimed.entity.attempts }, 'outbox row not delivered');
    if (unreachable && recipient) await this.options.sender.markUnreachable(claimed.entity.tenantId, recipient, code ?? lastError);
    return unreachable ? 'unreachable' : 'failed';
  }

  private ids(record: OutboxRecord): { tenantId: string; day: string; key: string; owner: string } {
    return { tenantId: record.entity.tenantId, day: record.entity.day, key: record.entity.key, owner: this.options.owner };
  }

  private now(): number {
    return this.clock.now().getTime();
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

/** The delivered message an update row rewrites; undefined for a send. */
function updateTargetOf(entity: OutboxRecord['entity']): UpdateTarget | undefined {
  return entity.updatesActivityId && entity.conversationId ? { conversationId: entity.conversationId, activityId: entity.updatesActivityId } : undefined;
}

/** A pending row is due at its next attempt; a leased one when its lease runs out (its worker may be gone). */
function dueTime(row: OpenRow): number {
  const { status, nextAttemptAt, leaseUntil } = row.entity;
  return Date.parse(status === 'leased' ? (leaseUntil ?? nextAttemptAt) : nextAttemptAt);
}

/** Due rows grouped by recipient, oldest first, so one person's messages arrive in the order they were queued. */
function lanesOf(due: OpenRow[]): OpenRow[][] {
  const byRecipient = new Map<string, OpenRow[]>();
  const ordered = [...due].sort((a, b) => a.entity.createdAt.localeCompare(b.entity.createdAt) || a.entity.key.localeCompare(b.entity.key));
  for (const row of ordered) {
    const lane = `${row.entity.tenantId}|${row.recipient ? rowKeyOf(row.recipient) : `row|${row.entity.key}`}`;
    const rows = byRecipient.get(lane);
    if (rows) rows.push(row);
    else byRecipient.set(lane, [row]);
  }
  return [...byRecipient.values()];
}

const rowId = (entity: OpenRow['entity']): string => `${entity.partitionKey}\u0000${entity.rowKey}`;

function daysOf(rows: readonly OpenRow[]): { tenantId: string; day: string }[] {
  const days = new Map<string, { tenantId: string; day: string }>();
  for (const { entity } of rows) days.set(entity.partitionKey, { tenantId: entity.tenantId, day: entity.day });
  return [...days.values()];
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

/** Open rows are pending or leased, so retries and sends in flight count as waiting too. */
function backlogOf(rows: readonly OpenRow[]): OutboxBacklog {
  let oldestQueuedAt: number | undefined;
  for (const row of rows) {
    const queuedAt = Date.parse(row.entity.createdAt);
    if (Number.isFinite(queuedAt) && (oldestQueuedAt === undefined || queuedAt < oldestQueuedAt)) oldestQueuedAt = queuedAt;
  }
  return { rows: rows.length, oldestQueuedAt };
}

const leaving = (backlog: OutboxBacklog): OutboxBacklog => (backlog.rows > 1 ? { ...backlog, rows: backlog.rows - 1 } : { rows: 0 });

const emptySummary = (): DrainSummary => ({ sent: 0, retried: 0, failed: 0, unreachable: 0, lost: 0 });

function addTo(total: DrainSummary, pass: DrainSummary): void {
  for (const name of Object.keys(total) as (keyof DrainSummary)[]) total[name] += pass[name];
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
