import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { keyPart } from '../storage/table-keys';
import type { DeliveryInstancesRepository } from './delivery-instances.repository';
import { liveInstances, ownerOf, sharesOf } from './instance-shares';
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
 * takes its equal share of the cap and serves the recipients rendezvous hashing gives it. An instance
 * that dies stops counting when its row expires; one that stops leaves at once.
 */
export class DeliveryMembership {
  private readonly self: string;
  private readonly sleep: Sleep;
  private readonly abort = new AbortController();
  private instances: string[] = [];
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
      await this.beat();
      if (this.instances.length <= 1) return;
      await this.sleep(this.options.heartbeatMs * 1.5, this.abort.signal);
      await this.beat();
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

  /** Ends the heartbeats and removes this instance's row, so the others take over its share at their next beat. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    const joined = this.joined;
    if (!joined) return;
    try {
      await joined;
      await this.options.repository.remove(this.options.pool, this.self);
    } catch (error) {
      this.options.logger.warn({ err: errorText(error) }, 'delivery instance not removed; the others drop it when its heartbeat expires');
    }
  }

  /** Whether this instance serves the lane (one recipient's rows); every lane is someone's while this instance is live. */
  owns(lane: string): boolean {
    return ownerOf(lane, this.instances) === this.self;
  }

  /** This instance's id as its heartbeat row holds it. */
  get id(): string {
    return this.self;
  }

  /** The live instances as this one last saw them. */
  get members(): readonly string[] {
    return this.instances;
  }

  get share(): number {
    return sharesOf(this.options.capPerSecond, this.instances).get(this.self) ?? this.options.capPerSecond;
  }

  private async run(): Promise<void> {
    let joined = false;
    while (!this.abort.signal.aborted) {
      try {
        if (joined) await this.beat();
        else await this.join();
        joined = true;
      } catch (error) {
        this.options.logger.error({ err: errorText(error) }, 'delivery heartbeat failed');
      }
      await this.sleep(this.options.heartbeatMs, this.abort.signal);
    }
  }

  private async beat(): Promise<void> {
    const { repository, pool, expiryMs, clock } = this.options;
    const now = clock.now().getTime();
    await repository.beat(pool, this.self, new Date(now + expiryMs));
    const beats = await repository.list(pool);
    const live = liveInstances(beats, now);
    // Gone for good: tidied by whoever sees it first; a row rewritten since it was read is kept.
    await Promise.all(beats.filter((beat) => beat.expiresAt <= now).map((beat) => repository.remove(pool, beat.instanceId, beat.etag)));
    this.apply(live.includes(this.self) ? live : [...live, this.self].sort());
  }

  private apply(live: string[]): void {
    if (live.join('\u0000') === this.instances.join('\u0000')) return;
    this.instances = live;
    const perSecond = this.share;
    this.options.onShare(perSecond);
    this.options.logger.info({ instances: live.length, perSecond }, 'delivery instances changed');
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
