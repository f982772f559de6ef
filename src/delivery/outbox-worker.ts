import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { hibiMetrics, type OutboxBacklog } from '../telemetry/metrics';
import type { OpenRow, OutboxRecord, OutboxRepository } from './outbox.repository';
import type { DeliveryMembership } from './delivery-membership';
import { daysOf, laneOf, leaving, planPass, rowId, type PassPlan } from './outbox-plan';
import { RowDelivery, type DeliveryOutcome } from './outbox-row-delivery';
import type { ProactiveSender } from './proactive-sender';
import { timerSleep, type Sleep } from './rate-limiter';
import { DEFAULT_RETRY_POLICY, type RetryPolicyOptions } from './retry-policy';

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
  /** The other instances serving the same tenants: this one serves its lanes at its share of the cap. Unset = alone. */
  membership?: DeliveryMembership;
}

/** Rows by what became of them; `lost` = rows another worker claimed first. */
export type DrainSummary = Record<Exclude<DeliveryOutcome, 'stopped'>, number>;

interface PassResult {
  summary: DrainSummary;
  attempted: number;
  /** Earliest time a row not yet due becomes due (a backoff ending, a lease expiring). */
  nextDueAt?: number;
  errors: unknown[];
}

export function defaultWorkerOwner(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * The outbox's poll loop: each pass plans from the open rows (outbox-plan) and serves the due ones a
 * lane at a time, `concurrency` lanes at once, each row through RowDelivery (claim, send, record).
 */
export class OutboxWorker {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly rows: RowDelivery;
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
    this.sleep = options.sleep ?? timerSleep;
    this.pollMs = options.pollMs ?? 2_000;
    this.concurrency = options.concurrency ?? 8;
    this.pageSize = options.pageSize ?? 100;
    // Every lane waiting for a rate-limit slot listens on the stop signal; that is expected, not a leak.
    setMaxListeners(this.concurrency + 4, this.abort.signal);
    this.dayReleaseGraceMs = options.dayReleaseGraceMs ?? 10 * 60_000;
    const { owner, repository, sender, logger } = options;
    this.rows = new RowDelivery({
      owner,
      repository,
      sender,
      logger,
      clock: this.clock,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      sleep: this.sleep,
      leaseMs: options.leaseMs ?? 120_000,
      signal: this.abort.signal,
    });
  }

  /**
   * Sends until nothing is due. With waitUpToMs, also waits for rows that become due within that time
   * (a backoff, an expired lease). Throws the first storage error of a pass.
   */
  async drain(options: { waitUpToMs?: number } = {}): Promise<DrainSummary> {
    await this.options.membership?.join();
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
    this.options.membership?.start();
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
    // Only now, with nothing in flight: the others take this one's share at their next beat.
    await this.options.membership?.stop();
    hibiMetrics.forgetOutboxBacklog(this.readBacklog);
  }

  private async run(): Promise<void> {
    await this.joined();
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

  /** Joins the pool before the first send, trying again every poll while storage fails: without the others' list no share is known. */
  private async joined(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.options.membership?.join();
        return;
      } catch (error) {
        this.options.logger.error({ err: errorText(error) }, 'delivery instance could not join; trying again');
        await this.sleep(this.pollMs, this.abort.signal);
      }
    }
  }

  private readonly serves = (lane: string): boolean => this.options.membership?.owns(lane) ?? true;

  /**
   * This instance's part of the open rows, each lane's owner worked out once; the membership is told
   * how many rows are its own and which other instances have rows waiting (an idle one with rows is
   * about to work, so its part is not lent).
   */
  private async plan(open: readonly OpenRow[], now: number): Promise<PassPlan> {
    const { membership } = this.options;
    if (!membership) return planPass(open, now, this.serves);
    const owners = new Map<string, string | undefined>();
    const ownerOfLane = (lane: string): string | undefined => {
      if (!owners.has(lane)) owners.set(lane, membership.ownerOf(lane));
      return owners.get(lane);
    };
    const plan = planPass(open, now, (lane) => ownerOfLane(lane) === membership.id);
    await membership.working(ownRowsOf(plan), new Set(owners.values()));
    return plan;
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
   * read of its own: among several instances each reads every page and sends its own rows of it.
   */
  private async pass(): Promise<PassResult> {
    const { repository } = this.options;
    const result: PassResult = { summary: emptySummary(), attempted: 0, errors: [] };
    const now = this.now();
    const open: OpenRow[] = [];
    const tenants = this.options.tenantIds;
    for (const day of await repository.pendingDays()) {
      if (tenants && !tenants.includes(day.tenantId)) continue;
      const rows = await repository.openRows(day.tenantId, day.day);
      if (rows.length === 0 && now - day.touchedAt.getTime() >= this.dayReleaseGraceMs) await repository.releaseDay(day);
      open.push(...rows);
    }
    const plan = await this.plan(open, now);
    result.nextDueAt = plan.nextDueAt;
    this.backlog = plan.backlog;
    hibiMetrics.reportOutboxBacklog(this.readBacklog);
    const readAndDeliver = async (row: OpenRow): Promise<DeliveryOutcome> => {
      // An instance came or went since the plan: the row is another's now, as if claimed by it.
      if (!this.serves(laneOf(row))) return 'lost';
      const record = await repository.get(row.entity.tenantId, row.entity.day, row.entity.key);
      return record?.etag === row.etag ? this.rows.deliver(record) : 'lost';
    };
    await this.serve(lanesFrom(plan.queued), readAndDeliver, result);
    if (this.stopping) return result;
    await this.serve(this.pagedLanes(plan.alone, result), (record) => this.rows.deliver(record), result);
    return result;
  }

  /**
   * The planned rows (`alone`, by rowId) as they are now, each a lane of its own, read with their
   * messages a page at a time. A row written since the plan was made, or no longer open, is another
   * worker's (its claim, send or retry): a claim with the planned etag would have failed the same way.
   * A page also holds the other instances' rows, so it is as many times larger as there are instances:
   * about `pageSize` of this one's a request, where reading each row before its claim would add a round
   * trip to every send (a third more requests, and under load every instance fell short of its share).
   */
  private async *pagedLanes(alone: Map<string, OpenRow>, result: PassResult): AsyncGenerator<OutboxRecord[]> {
    const pageSize = Math.min(MAX_PAGE_SIZE, this.pageSize * Math.max(1, this.options.membership?.members.length ?? 1));
    for (const { tenantId, day } of daysOf([...alone.values()])) {
      for await (const page of this.options.repository.openRowPages(tenantId, day, pageSize)) {
        for (const record of page) {
          const listed = alone.get(rowId(record.entity));
          if (!listed) continue;
          alone.delete(rowId(record.entity));
          // An instance came or went since the plan: the row is another's now, and no attempt of this one.
          if (!this.serves(laneOf(listed))) continue;
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
  private async serve<T>(lanes: AsyncIterator<readonly T[]>, deliver: (item: T) => Promise<DeliveryOutcome>, result: PassResult): Promise<void> {
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

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** Table storage answers at most this many rows a page. */
const MAX_PAGE_SIZE = 1000;

/** This instance's open rows in a plan; one not yet due counts too, as it will be sent without a new plan. */
function ownRowsOf(plan: PassPlan): number {
  return plan.queued.reduce((total, lane) => total + lane.length, plan.alone.size) + (plan.nextDueAt === undefined ? 0 : 1);
}

async function* lanesFrom<T>(lanes: readonly T[][]): AsyncGenerator<T[]> {
  yield* lanes;
}

const emptySummary = (): DrainSummary => ({ sent: 0, retried: 0, failed: 0, unreachable: 0, lost: 0 });

function addTo(total: DrainSummary, pass: DrainSummary): void {
  for (const name of Object.keys(total) as (keyof DrainSummary)[]) total[name] += pass[name];
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
