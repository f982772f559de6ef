import type { Clock } from '../shared/clock';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Teams' documented per-bot-per-conversation limits for sending; every window must hold at once. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

export interface RateLimiterOptions {
  clock: Clock;
  conversationWindows?: readonly RateWindow[];
  /**
   * Cap on all Bot Connector calls of this process per second (Teams limits an app per tenant). With
   * several instances each sets its share as they come and go (setGlobalPerSecond, delivery-membership.ts).
   */
  globalPerSecond?: number;
  /**
   * Calls the global bucket lets through at once. 1 paces calls evenly, so no one-second window ever
   * exceeds globalPerSecond; a larger burst would allow up to burst + rate in a second.
   */
  globalBurst?: number;
}

/** Sweep idle conversations this often (in calls), so a year of one-off chats does not accumulate. */
const SWEEP_EVERY = 1000;

/**
 * Sliding-window log per conversation plus a token bucket for the whole app. Pure bookkeeping on an
 * injected clock: it never sleeps, it says how long to wait.
 */
export class RateLimiter {
  private readonly clock: Clock;
  private readonly windows: readonly RateWindow[];
  private readonly longestWindowMs: number;
  private perSecond: number;
  private readonly burst: number;
  private readonly sent = new Map<string, number[]>();
  private tokens: number;
  private refilledAt: number;
  private calls = 0;

  constructor(options: RateLimiterOptions) {
    this.clock = options.clock;
    this.windows = options.conversationWindows ?? TEAMS_CONVERSATION_WINDOWS;
    this.longestWindowMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
    this.perSecond = options.globalPerSecond ?? 30;
    this.burst = options.globalBurst ?? 1;
    if (!(this.perSecond > 0) || !(this.burst >= 1)) throw new Error('globalPerSecond must be positive and globalBurst at least 1');
    this.tokens = this.burst;
    this.refilledAt = this.clock.now().getTime();
  }

  /** A new cap from now on; the calls allowed so far are counted at the old one. */
  setGlobalPerSecond(perSecond: number): void {
    if (!(perSecond > 0)) throw new Error('globalPerSecond must be positive');
    this.refill(this.clock.now().getTime());
    this.perSecond = perSecond;
  }

  get globalPerSecond(): number {
    return this.perSecond;
  }

  /**
   * Takes a slot for one call now and returns 0, or takes nothing and returns the milliseconds to wait.
   * Without a conversation (creating one) only the global cap applies.
   */
  tryTake(conversationKey?: string): number {
    const now = this.clock.now().getTime();
    this.refill(now);
    const globalWait = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
    const log = conversationKey === undefined ? undefined : this.logOf(conversationKey, now);
    const wait = Math.max(globalWait, log ? this.conversationWait(log, now) : 0);
    if (wait > 0) return wait;
    this.tokens -= 1;
    if (log && conversationKey !== undefined) {
      log.push(now);
      this.sent.set(conversationKey, log);
    }
    this.sweep(now);
    return 0;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
    this.refilledAt = now;
  }

  /** The conversation's sends still inside the longest window, oldest first. */
  private logOf(key: string, now: number): number[] {
    const log = this.sent.get(key) ?? [];
    const firstLive = log.findIndex((at) => at > now - this.longestWindowMs);
    return firstLive === -1 ? [] : log.slice(firstLive);
  }

  private conversationWait(log: readonly number[], now: number): number {
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      const inWindow = log.filter((at) => at > now - windowMs).length;
      if (inWindow < limit) continue;
      // The send that must leave the window before one more fits: the limit-th most recent.
      const blocking = log[log.length - limit] ?? now;
      wait = Math.max(wait, blocking + windowMs - now);
    }
    return wait;
  }

  private sweep(now: number): void {
    this.calls += 1;
    if (this.calls % SWEEP_EVERY !== 0) return;
    for (const [key, log] of this.sent) {
      const last = log[log.length - 1];
      if (last === undefined || last <= now - this.longestWindowMs) this.sent.delete(key);
    }
  }
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A timer sleep that ends early, without error, when the signal aborts (graceful stop). */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Waits until the limiter grants a slot; false if the signal aborted first (nothing was taken). */
export async function waitForSlot(limiter: RateLimiter, conversationKey: string | undefined, sleep: Sleep, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false;
    const wait = limiter.tryTake(conversationKey);
    if (wait === 0) return true;
    await sleep(wait, signal);
  }
}
