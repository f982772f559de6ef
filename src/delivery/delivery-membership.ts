import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { keyPart } from '../storage/table-keys';
import type { DeliveryInstancesRepository } from './delivery-instances.repository';
import { liveMembers, ownerOf, shareOf, type InstanceState, type PoolMember } from './instance-shares';
import { timerSleep, type Sleep } from './rate-limiter';

export interface DeliveryMembershipOptions {
  repository: DeliveryInstancesRepository;
  /** The instances that share a cap: those serving the same tenants. */
  pool: string;
  instanceId: string;
  /** DELIVERY_GLOBAL_PER_SECOND: what all the pool's instances together may send. */
  capPerSecond: number;
  heartbeatMs: number;
  expiryMs: number;
  /** The delivery clock: heartbeats expire on it, so a test can step past an expiry. */
  clock: Clock;
  logger: Logger;
  /** Told this instance's calls per second whenever its share changes. */
  onShare: (perSecond: number) => void;
  sleep?: Sleep;
}

/** Names the instances of a pool serving these tenants (every tenant when none are named). */
export function poolOf(tenantIds: readonly string[] | undefined): string {
  return tenantIds && tenantIds.length > 0 ? [...new Set(tenantIds)].sort().join(',') : '*';
}

/**
 * This instance among the others that deliver for the same tenants, known through heartbeat rows:
 * each beat rewrites its own row and reads the others', so every instance works out the same list,
 * takes its part of the cap and serves the recipients rendezvous hashing gives it. An instance with
 * nothing of its own to send says so, and one with a backlog takes the part it leaves unused
 * (instance-shares.ts), so a fan-out ends at the whole cap rather than waiting for the instance that
 * hashed the most recipients. An instance that dies stops counting when its row expires; one that
 * stops leaves at once.
 */
export class DeliveryMembership {
  private readonly self: string;
  private readonly sleep: Sleep;
  private readonly abort = new AbortController();
  private pool: PoolMember[] = [];
  /** What this instance's row says, as last written: others count on it. */
  private written: InstanceState = 'idle';
  /** Its own open rows, as the worker last planned them. */
  private backlog = 0;
  /** The instances with open rows of their own as the worker last saw them, and which plan that was (counted). */
  private withRows: ReadonlySet<string | undefined> = new Set();
  private plans = 0;
  /** For each instance seen idle, the plan count when it was first seen so (since then without a break). */
  private idleSince = new Map<string, number>();
  /** Until then it keeps the idle part: a borrower seen at its return may not have seen it yet. */
  private waitingUntil = 0;
  private waitTimer: NodeJS.Timeout | undefined;
  private applied: number | undefined;
  private beating: Promise<void> = Promise.resolve();
  private joined: Promise<void> | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: DeliveryMembershipOptions) {
    // A key part, as the row keys it is compared with.
    this.self = keyPart(options.instanceId);
    this.sleep = options.sleep ?? timerSleep;
  }

  /**
   * Writes this instance's first heartbeat. When others are live it then waits one heartbeat period
   * (and a half, for their beats' own round trips) before anything is sent, so that they have cut
   * their shares by then and the pool never sends more than the cap.
   */
  join(): Promise<void> {
    this.joined ??= (async () => {
      await this.beatInTurn();
      if (this.pool.length <= 1) return;
      await this.sleep(this.options.heartbeatMs * 1.5, this.abort.signal);
      await this.beatInTurn();
    })().catch((error: unknown) => {
      // A failed join is tried again by the next caller.
      this.joined = undefined;
      throw error;
    });
    return this.joined;
  }

  /** Beats every period until stop(); a failed beat is logged and the last known list stays. */
  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Told by the worker, after each plan, how many rows of its own it has open and which instances
   * have rows open (`ownerOf`). Between idle and working it beats at once: going idle frees its part
   * for the others sooner; going to work, it keeps the idle part until its row says so and no
   * borrower can still be using its part. Never throws: a failed beat leaves it at the idle part
   * until the next one.
   */
  async working(ownRows: number, withRows: ReadonlySet<string | undefined>): Promise<void> {
    this.backlog = ownRows;
    this.withRows = withRows;
    this.plans += 1;
    if (ownRows > 0 === (this.written !== 'idle') || !this.joined) return;
    try {
      await this.beatInTurn();
    } catch (error) {
      this.options.logger.warn({ err: errorText(error) }, 'delivery heartbeat failed; keeping the idle part until the next');
    }
  }

  /** Ends the heartbeats and removes this instance's row, so the others take over its share at their next beat. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.waitTimer);
    await this.loop;
    const joined = this.joined;
    if (!joined) return;
    try {
      await joined;
      await this.beating;
      await this.options.repository.remove(this.options.pool, this.self);
    } catch (error) {
      this.options.logger.warn({ err: errorText(error) }, 'delivery instance not removed; the others drop it when its heartbeat expires');
    }
  }

  /** Whether this instance serves the lane (one recipient's rows); every lane is someone's while this instance is live. */
  owns(lane: string): boolean {
    return this.ownerOf(lane) === this.self;
  }

  /** Which live instance serves the lane, as this one last saw them. */
  ownerOf(lane: string): string | undefined {
    return ownerOf(lane, this.members);
  }

  /** This instance's id as its heartbeat row holds it. */
  get id(): string {
    return this.self;
  }

  /** The live instances as this one last saw them. */
  get members(): readonly string[] {
    return this.pool.map((member) => member.instanceId);
  }

  /** The calls per second this instance sends at now. */
  get share(): number {
    return shareOf(this.options.capPerSecond, this.lenders(this.pool), { instanceId: this.self, state: this.written }, this.clockNow() < this.waitingUntil);
  }

  /** The cap split evenly between the live instances: what each sends at while all are busy. */
  get equalShare(): number {
    return this.equalShareOf(this.pool);
  }

  /** What its row says of it. */
  get state(): InstanceState {
    return this.written;
  }

  private async run(): Promise<void> {
    let joined = false;
    while (!this.abort.signal.aborted) {
      try {
        if (joined) await this.beatInTurn();
        else await this.join();
        joined = true;
      } catch (error) {
        this.options.logger.error({ err: errorText(error) }, 'delivery heartbeat failed');
      }
      await this.sleep(this.options.heartbeatMs, this.abort.signal);
    }
  }

  /** One beat at a time: the worker's and the period's would otherwise interleave their writes and reads. */
  private beatInTurn(): Promise<void> {
    const next = this.beating.then(() => this.beat());
    this.beating = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes the state the last read calls for, then reads the pool. A borrower counts an instance as
   * idle only from a read made after its own row said it borrows: an instance coming back to work
   * writes first and reads next, so either it sees the borrower (and waits) or the borrower sees it
   * busy. When the read calls for another state (idle ones seen, or none left), it writes and reads
   * once more rather than wait a period.
   */
  private async beat(): Promise<void> {
    const { repository, pool, expiryMs, heartbeatMs } = this.options;
    for (let round = 0; round < 2; round++) {
      const state = this.wanted(this.pool);
      const now = this.clockNow();
      await repository.beat(pool, this.self, new Date(now + expiryMs), state);
      // Back to work: the idle part until a read shows whether anyone borrows (a failed read keeps it so).
      const returning = (this.written === 'idle' && state !== 'idle') || this.waitingUntil === Number.POSITIVE_INFINITY;
      if (returning) this.waitingUntil = Number.POSITIVE_INFINITY;
      this.written = state;
      const beats = await repository.list(pool);
      const live = liveMembers(beats, now).filter((member) => member.instanceId !== this.self);
      this.idleSince = new Map(live.filter((m) => m.state === 'idle').map((m) => [m.instanceId, this.idleSince.get(m.instanceId) ?? this.plans]));
      if (state === 'idle') this.waitingUntil = 0;
      else if (returning) this.waitingUntil = live.some((member) => member.state === 'borrowing') ? now + heartbeatMs * 1.5 : 0;
      // Gone for good: tidied by whoever sees it first; a row rewritten since it was read is kept.
      await Promise.all(beats.filter((beat) => beat.expiresAt <= now).map((beat) => repository.remove(pool, beat.instanceId, beat.etag)));
      const members = [...live, { instanceId: this.self, state }].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
      this.apply(members);
      if (this.wanted(members) === state) return;
    }
  }

  /**
   * Borrowing only with more than a heartbeat's work at the equal part: the lent parts are used from
   * the next read on, so a shorter backlog would be done first, and its mark would only make an
   * instance coming back to work wait.
   */
  private wanted(members: readonly PoolMember[]): InstanceState {
    if (this.backlog === 0) return 'idle';
    const someIdle = this.lenders(members).some((member) => member.instanceId !== this.self && member.state === 'idle');
    const long = this.backlog > (this.equalShareOf(members) * this.options.heartbeatMs) / 1000;
    return someIdle && long ? 'borrowing' : 'busy';
  }

  /**
   * The pool as a borrower counts it: an idle instance that a plan made since it went idle found rows
   * for is about to work, so it counts as busy and its part stays free for it. At the start of a
   * fan-out every instance has rows, so nobody borrows and nobody has to wait. At its end the finished
   * ones lend, though a long pass planned while they still had rows: their own later plan found none.
   */
  private lenders(members: readonly PoolMember[]): PoolMember[] {
    const aboutToWork = (id: string): boolean => this.withRows.has(id) && this.plans > (this.idleSince.get(id) ?? this.plans);
    return members.map((member) =>
      member.state === 'idle' && member.instanceId !== this.self && aboutToWork(member.instanceId) ? { ...member, state: 'busy' } : member,
    );
  }

  private equalShareOf(members: readonly PoolMember[]): number {
    return this.options.capPerSecond / Math.max(1, members.length);
  }

  private apply(members: PoolMember[]): void {
    const listChanged = members.map((m) => m.instanceId).join('\u0000') !== this.members.join('\u0000');
    this.pool = members;
    this.applyShare();
    if (listChanged) this.options.logger.info({ instances: members.length, perSecond: this.share }, 'delivery instances changed');
    clearTimeout(this.waitTimer);
    const wait = this.waitingUntil - this.clockNow();
    // The idle part ends with the wait, not at the next beat a period later.
    if (wait > 0 && Number.isFinite(wait)) this.waitTimer = setTimeout(() => this.applyShare(), wait).unref();
  }

  private applyShare(): void {
    const perSecond = this.share;
    if (perSecond === this.applied) return;
    this.applied = perSecond;
    this.options.onShare(perSecond);
  }

  private clockNow(): number {
    return this.options.clock.now().getTime();
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
