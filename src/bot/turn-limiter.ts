import type { Clock } from '../shared/clock';

const WINDOW_MS = 60_000;

/** serve: handle the turn. tell: the first turn over the limit, answered once, politely. drop: ignored. */
export type TurnVerdict = 'serve' | 'tell' | 'drop';

interface Window {
  /** When each served turn of the last minute arrived, oldest first. */
  served: number[];
  told: boolean;
}

/**
 * How many messages one person may send a minute, over a sliding minute. Kept in memory per
 * instance: it is a guard against a stuck client or a script, not a quota, so N instances behind a
 * load balancer allow up to N times the limit.
 */
export class TurnLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  check(who: string): TurnVerdict {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const window = this.windows.get(who) ?? { served: [], told: false };
    this.windows.set(who, window);
    while (window.served.length > 0 && (window.served[0] as number) <= now - WINDOW_MS) window.served.shift();
    if (window.served.length < this.perMinute) {
      window.served.push(now);
      window.told = false;
      return 'serve';
    }
    if (window.told) return 'drop';
    window.told = true;
    return 'tell';
  }

  /** Forgets people idle for a minute, at most once a minute, so the map holds only the last minute's senders. */
  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [who, window] of this.windows) {
      const last = window.served[window.served.length - 1];
      if (last === undefined || last <= now - WINDOW_MS) this.windows.delete(who);
    }
  }
}
