import { RateLimiter, TEAMS_CONVERSATION_WINDOWS, waitForSlot, type Sleep } from '../../src/delivery/rate-limiter';
import { fixedClock } from '../../src/shared/clock';

const T0 = new Date('2026-11-25T00:00:00.000Z');

/** A clock that only moves when told, and a sleep that moves it. */
function virtualTime() {
  const clock = fixedClock(T0);
  let now = T0.getTime();
  const advance = (ms: number): void => {
    now += ms;
    clock.set(new Date(now));
  };
  const sleep: Sleep = async (ms) => advance(ms);
  return { clock, advance, sleep, elapsed: () => now - T0.getTime() };
}

/** Sends to one conversation as fast as the limiter allows; returns the times (ms since T0) it let through. */
function greedy(limiter: RateLimiter, time: ReturnType<typeof virtualTime>, key: string, untilMs: number): number[] {
  const sent: number[] = [];
  while (time.elapsed() < untilMs) {
    const wait = limiter.tryTake(key);
    if (wait === 0) sent.push(time.elapsed());
    else time.advance(wait);
  }
  return sent;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i]!;
    max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return max;
}

describe('RateLimiter: Teams per-conversation windows', () => {
  it('lets 7 through in the same instant, then asks for the rest of the second', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) expect(limiter.tryTake('a:1')).toBe(0);
    expect(limiter.tryTake('a:1')).toBe(1000);
    time.advance(400);
    expect(limiter.tryTake('a:1')).toBe(600);
    time.advance(600);
    expect(limiter.tryTake('a:1')).toBe(0);
  });

  it('applies 8 per 2 s on top of 7 per 1 s', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) limiter.tryTake('a:1');
    time.advance(1000);
    expect(limiter.tryTake('a:1')).toBe(0);
    // 8 sent within the last 2 s: the next must wait until the first ones are 2 s old.
    expect(limiter.tryTake('a:1')).toBe(1000);
  });

  it('never exceeds any of the four windows over two hours of greedy sending, and reaches them', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    const sent = greedy(limiter, time, '19:channel@thread.tacv2', 2 * 3_600_000);
    for (const { limit, windowMs } of TEAMS_CONVERSATION_WINDOWS) expect(maxInAnyWindow(sent.slice(0, 200), windowMs)).toBeLessThanOrEqual(limit);
    expect(sent.filter((t) => t < 30_000)).toHaveLength(60);
    expect(sent.filter((t) => t < 3_600_000)).toHaveLength(1800);
    expect(maxInAnyWindow(sent, 3_600_000)).toBe(1800);
  });

  it('keeps conversations apart', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) expect(limiter.tryTake('a:1')).toBe(0);
    for (let i = 0; i < 7; i++) expect(limiter.tryTake('a:2')).toBe(0);
    expect(limiter.tryTake('a:1')).toBeGreaterThan(0);
  });

  it('takes nothing when it refuses', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) limiter.tryTake('a:1');
    for (let i = 0; i < 50; i++) expect(limiter.tryTake('a:1')).toBe(1000);
    time.advance(1000);
    expect(limiter.tryTake('a:1')).toBe(0);
  });
});

describe('RateLimiter: global cap', () => {
  it('paces calls evenly at the configured rate by default, across conversations', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 30 });
    const sent: number[] = [];
    for (let i = 0; sent.length < 90; i++) {
      const wait = limiter.tryTake(`a:${i}`);
      if (wait === 0) sent.push(time.elapsed());
      else time.advance(wait);
    }
    expect(maxInAnyWindow(sent, 1000)).toBeLessThanOrEqual(30);
    expect(sent.at(-1)!).toBeLessThan(3100);
  });

  it('allows a burst when configured, then the rate', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 10, globalBurst: 5 });
    for (let i = 0; i < 5; i++) expect(limiter.tryTake()).toBe(0);
    expect(limiter.tryTake()).toBe(100);
    time.advance(100);
    expect(limiter.tryTake()).toBe(0);
  });

  it('applies only the global cap to a call without a conversation (opening a chat)', () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 20; i++) expect(limiter.tryTake()).toBe(0);
  });

  it('refuses a configuration that could never send', () => {
    const time = virtualTime();
    expect(() => new RateLimiter({ clock: time.clock, globalPerSecond: 0 })).toThrow('globalPerSecond');
  });
});

describe('waitForSlot', () => {
  it('sleeps exactly as long as the limiter asks', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) await waitForSlot(limiter, 'a:1', time.sleep);
    expect(time.elapsed()).toBe(0);
    expect(await waitForSlot(limiter, 'a:1', time.sleep)).toBe(true);
    expect(time.elapsed()).toBe(1000);
  });

  it('gives up without taking a slot when aborted', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter({ clock: time.clock, globalPerSecond: 1000, globalBurst: 1000 });
    for (let i = 0; i < 7; i++) limiter.tryTake('a:1');
    const abort = new AbortController();
    const sleep: Sleep = async () => abort.abort();
    expect(await waitForSlot(limiter, 'a:1', sleep, abort.signal)).toBe(false);
    time.advance(1000);
    // 8 per 2 s: exactly one more fits, as if the aborted wait had never happened.
    expect(limiter.tryTake('a:1')).toBe(0);
    expect(limiter.tryTake('a:1')).toBe(1000);
  });
});
