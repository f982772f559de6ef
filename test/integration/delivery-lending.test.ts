import { randomUUID } from 'node:crypto';
import { APP_TABLES } from '../../src/app-tables';
import { DeliveryInstancesRepository } from '../../src/delivery/delivery-instances.repository';
import { DeliveryMembership } from '../../src/delivery/delivery-membership';
import { IDLE_PER_SECOND } from '../../src/delivery/instance-shares';
import type { Sleep } from '../../src/delivery/rate-limiter';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { testConnectionString } from '../helpers/test-app';

/**
 * Three instances' memberships on the run's Azurite, as the worker drives them (after each plan: its
 * own open rows, and which instances have rows open), with their heartbeat periods in the test's hands: each periodic beat happens when the test
 * ticks that instance, and the clock stands still, so what each one has read decides its part.
 */

const CAP = 28;
const HEARTBEAT_MS = 5_000;
const WAIT_MS = 30_000;

async function waitUntil(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('an idle instance lends its part of the cap to the busy ones', () => {
  const tables = new TableClientFactory(testConnectionString());
  const repository = new DeliveryInstancesRepository(tables);
  const pool = randomUUID();
  const clock = fixedClock(new Date());
  const logger = createLogger('silent');
  const started: DeliveryMembership[] = [];
  const ticks = new Map<DeliveryMembership, () => Promise<void>>();

  /** A membership whose heartbeat period ends when the test says; the join's own wait passes at once. */
  function instance(name: string) {
    const periods: (() => void)[] = [];
    const sleep: Sleep = (ms, signal) =>
      ms > HEARTBEAT_MS
        ? Promise.resolve()
        : new Promise((resolve) => {
            periods.push(() => resolve());
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
    const shares: number[] = [];
    const membership = new DeliveryMembership({
      repository,
      pool,
      instanceId: name,
      capPerSecond: CAP,
      heartbeatMs: HEARTBEAT_MS,
      expiryMs: HEARTBEAT_MS * 3,
      clock,
      logger,
      onShare: (perSecond) => shares.push(perSecond),
      sleep,
    });
    /** Ends its heartbeat period and waits for the beat that follows to finish. */
    const tick = async (): Promise<void> => {
      await waitUntil(`${name} waiting for its period`, () => periods.length > 0);
      periods.splice(0).forEach((end) => end());
      await waitUntil(`${name} beat`, () => periods.length > 0);
    };
    started.push(membership);
    ticks.set(membership, tick);
    return { membership, shares, tick };
  }

  const stored = async (): Promise<Record<string, string>> => Object.fromEntries((await repository.list(pool)).map((beat) => [beat.instanceId, beat.state]));

  beforeAll(async () => {
    await tables.ensureTables(APP_TABLES);
  });

  afterAll(async () => {
    await Promise.all(started.map((membership) => membership.stop()));
  });

  it('idle instances keep a small part; one with a backlog borrows the rest; one coming back waits until the borrower has seen it', async () => {
    const a = instance('a');
    const b = instance('b');
    const c = instance('c');
    for (const { membership } of [a, b, c]) {
      membership.start();
      await membership.join();
    }
    await a.tick();
    await b.tick();
    for (const { membership } of [a, b, c]) {
      expect(membership.members).toEqual(['a', 'b', 'c']);
      expect(membership.state).toBe('idle');
      expect(membership.share).toBe(IDLE_PER_SECOND);
      expect(membership.equalShare).toBeCloseTo(CAP / 3, 9);
    }
    expect(await stored()).toEqual({ a: 'idle', b: 'idle', c: 'idle' });

    // a's plan finds a fan-out of its own: it says it borrows, reads b and c idle, and takes the rest.
    await a.membership.working(3000, new Set(['a']));
    expect(a.membership.state).toBe('borrowing');
    expect(a.membership.share).toBeCloseTo(CAP - 2 * IDLE_PER_SECOND, 9);
    expect(a.shares.at(-1)).toBeCloseTo(CAP - 2 * IDLE_PER_SECOND, 9);
    expect(await stored()).toEqual({ a: 'borrowing', b: 'idle', c: 'idle' });

    // b gets rows too. It reads a borrowing, so it keeps the idle part: a may still be using b's.
    await b.membership.working(3000, new Set(['a', 'b']));
    expect(b.membership.state).not.toBe('idle');
    expect(b.membership.share).toBe(IDLE_PER_SECOND);
    const parts = [a, b, c].map(({ membership }) => membership.share);
    expect(parts.reduce((total, part) => total + part, 0)).toBeLessThanOrEqual(CAP);

    // a's next beat sees b at work and gives back: the cap less c's idle part, between a and b.
    await a.tick();
    expect(a.membership.share).toBeCloseTo((CAP - IDLE_PER_SECOND) / 2, 9);
    // b's wait (a heartbeat and a half) is over: it takes its part.
    clock.set(new Date(clock.now().getTime() + HEARTBEAT_MS * 1.5));
    await b.tick();
    expect(b.membership.share).toBeCloseTo((CAP - IDLE_PER_SECOND) / 2, 9);
    expect(a.membership.share + b.membership.share + c.membership.share).toBeCloseTo(CAP, 9);

    // a is done: it says so at once, and b takes a's part at its next beat.
    await a.membership.working(0, new Set(['b']));
    expect(a.membership.state).toBe('idle');
    expect(a.membership.share).toBe(IDLE_PER_SECOND);
    // b's next plan finds only its own rows open, and its next beat takes a's part.
    await b.membership.working(2000, new Set(['b']));
    await b.tick();
    expect(b.membership.state).toBe('borrowing');
    expect(b.membership.share).toBeCloseTo(CAP - 2 * IDLE_PER_SECOND, 9);
    expect(await stored()).toEqual({ a: 'idle', b: 'borrowing', c: 'idle' });
  });

  it('comes back to work at its equal part at once when nobody borrows, and a short backlog borrows nothing', async () => {
    const [a, b, c] = started as [DeliveryMembership, DeliveryMembership, DeliveryMembership];
    await b.working(0, new Set());
    expect(await stored()).toEqual({ a: 'idle', b: 'idle', c: 'idle' });
    // Less than a heartbeat's work at the equal part (28/3 a second for 5 s): not worth borrowing.
    await c.working(10, new Set(['c']));
    expect(c.state).toBe('busy');
    expect(c.share).toBeCloseTo(CAP / 3, 9);
    expect(a.share + b.share + c.share).toBeLessThanOrEqual(CAP);
    expect(await stored()).toEqual({ a: 'idle', b: 'idle', c: 'busy' });
  });

  it('lends nothing from an idle instance a later plan found rows for (the start of a fan-out); lends again what one that finished after the plan leaves (the end)', async () => {
    const [a, , c] = started as [DeliveryMembership, DeliveryMembership, DeliveryMembership];
    await c.working(0, new Set(['a', 'b']));
    expect(await stored()).toEqual({ a: 'idle', b: 'idle', c: 'idle' });
    // a's periodic beat sees them all idle; then rows come, its plan finds some for b too.
    await ticks.get(a)!();
    await a.working(3000, new Set(['a', 'b']));
    // c lends its part; b, idle with rows waiting, keeps its equal part free.
    expect(a.state).toBe('borrowing');
    expect(a.share).toBeCloseTo((CAP - IDLE_PER_SECOND) / 2, 9);
    await a.working(0, new Set());
    expect(a.state).toBe('idle');

    // The end of a fan-out: c's long pass was planned while a still had rows; a has since finished and
    // gone idle. c's next beat sees it idle after that plan, and takes its part too.
    await a.working(5, new Set(['a']));
    expect(a.state).toBe('busy');
    await c.working(3000, new Set(['a', 'c']));
    expect(c.state).toBe('borrowing');
    expect(c.share).toBeCloseTo((CAP - IDLE_PER_SECOND) / 2, 9);
    await a.working(0, new Set());
    await ticks.get(c)!();
    expect(c.share).toBeCloseTo(CAP - 2 * IDLE_PER_SECOND, 9);
  });
});
