import type { Recipient } from '../../src/delivery/delivery.types';
import { poolOf } from '../../src/delivery/delivery-membership';
import { IDLE_PER_SECOND, liveMembers, ownerOf, shareOf, type InstanceState, type PoolMember } from '../../src/delivery/instance-shares';
import { laneOf, planPass } from '../../src/delivery/outbox-plan';
import type { OpenRow } from '../../src/delivery/outbox.repository';
import { isNewerVersion } from '../../src/delivery/outbox-row-delivery';
import { RateLimiter } from '../../src/delivery/rate-limiter';
import { fixedClock } from '../../src/shared/clock';

const NOW = Date.parse('2026-12-02T09:00:00.000Z');
const sum = (values: Iterable<number>): number => [...values].reduce((total, v) => total + v, 0);
const lanes = Array.from({ length: 3000 }, (_, i) => `t1|person|P${String(i).padStart(5, '0')}`);

function row(personId: string): OpenRow {
  const recipient: Recipient = { kind: 'person', personId };
  const key = `checkin.prompt|morning|${personId}`;
  const entity = {
    partitionKey: 't1|2026-12-02',
    rowKey: key,
    tenantId: 't1',
    day: '2026-12-02',
    key,
    status: 'pending' as const,
    nextAttemptAt: new Date(NOW - 1000).toISOString(),
    recipient: JSON.stringify(recipient),
    createdAt: new Date(NOW - 60_000).toISOString(),
  };
  return { entity, etag: `etag-${personId}`, recipient };
}

describe('shares of the per-tenant cap between instances (pure)', () => {
  const pool = (...states: InstanceState[]): PoolMember[] => states.map((state, i) => ({ instanceId: `host-${i}`, state }));
  const sharesIn = (cap: number, members: PoolMember[]): number[] => members.map((self) => shareOf(cap, members, self));

  it.each([
    [30, 1],
    [30, 2],
    [30, 3],
    [30, 4],
    [7, 3],
    [1, 6],
  ])('cap %d/s between %d busy instances: equal parts that sum to the cap', (cap, count) => {
    const shares = sharesIn(cap, pool(...Array.from({ length: count }, () => 'busy' as const)));
    expect(sum(shares)).toBeCloseTo(cap, 9);
    for (const share of shares) expect(share).toBeCloseTo(cap / count, 9);
  });

  it.each([
    [28, ['borrowing', 'idle', 'idle'], [26, 1, 1]],
    [28, ['borrowing', 'borrowing', 'idle'], [13.5, 13.5, 1]],
    [28, ['borrowing', 'busy', 'idle'], [13.5, 28 / 3, 1]],
    [28, ['idle', 'idle', 'idle'], [1, 1, 1]],
    [2, ['borrowing', 'idle', 'idle', 'idle'], [0.5, 0.5, 0.5, 0.5]],
    [30, ['borrowing'], [30]],
    [30, ['idle'], [30]],
  ] as [number, InstanceState[], number[]][])(
    'cap %d/s, instances %j: an idle one keeps a small part (alone, all of it), the borrowers take the rest: %j',
    (cap, states, expected) => {
      const shares = sharesIn(cap, pool(...states));
      shares.forEach((share, i) => expect(share).toBeCloseTo(expected[i]!, 9));
      expect(sum(shares)).toBeLessThanOrEqual(cap + 1e-9);
      for (const [i, state] of states.entries()) if (state === 'idle' && states.length > 1) expect(shares[i]).toBeLessThanOrEqual(IDLE_PER_SECOND);
    },
  );

  it('keeps an instance coming back to work at the idle part while a borrower has not seen it: together never over the cap', () => {
    const cap = 28;
    // The borrower's view: host-1 still idle. host-1's own view: it is busy, and waits.
    const borrowerView = pool('borrowing', 'idle', 'idle');
    const returningView = pool('borrowing', 'busy', 'idle');
    const borrower = shareOf(cap, borrowerView, borrowerView[0]!);
    const returning = shareOf(cap, returningView, returningView[1]!, true);
    const idle = shareOf(cap, borrowerView, borrowerView[2]!);
    expect(returning).toBe(IDLE_PER_SECOND);
    expect(borrower + returning + idle).toBeLessThanOrEqual(cap);
    // Once the borrower has seen it busy it gives back: the cap less the one idle part, split between the two.
    expect(shareOf(cap, returningView, returningView[0]!)).toBeCloseTo((cap - IDLE_PER_SECOND) / 2, 9);
    expect(sum(sharesIn(cap, returningView))).toBeLessThanOrEqual(cap);
  });

  it('counts only heartbeats not yet expired, in one order for everyone, with their states', () => {
    const beats = [
      { instanceId: 'c', expiresAt: NOW + 1, state: 'idle' as const },
      { instanceId: 'a', expiresAt: NOW + 15_000, state: 'borrowing' as const },
      { instanceId: 'dead', expiresAt: NOW, state: 'busy' as const },
      { instanceId: 'older', expiresAt: NOW - 60_000, state: 'busy' as const },
    ];
    expect(liveMembers(beats, NOW)).toEqual([
      { instanceId: 'a', state: 'borrowing' },
      { instanceId: 'c', state: 'idle' },
    ]);
    expect(liveMembers(beats, NOW + 1)).toEqual([{ instanceId: 'a', state: 'borrowing' }]);
    expect(liveMembers(beats, NOW + 15_000)).toEqual([]);
  });

  it('gives every lane to exactly one live instance, about evenly, whatever order the list is in', () => {
    const ids = ['host-a', 'host-b', 'host-c'];
    const counts = new Map<string, number>();
    for (const lane of lanes) {
      const owner = ownerOf(lane, ids);
      expect(owner).toBe(ownerOf(lane, [...ids].reverse()));
      counts.set(owner!, (counts.get(owner!) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(ids);
    for (const count of counts.values()) expect(count).toBeGreaterThan(lanes.length / 3 - 150);
    expect(ownerOf(lanes[0]!, [])).toBeUndefined();
  });

  it('moves only the lanes of an instance that goes, and only lanes to one that comes', () => {
    const three = ['host-a', 'host-b', 'host-c'];
    const two = ['host-a', 'host-b'];
    let moved = 0;
    for (const lane of lanes) {
      const withC = ownerOf(lane, three);
      const withoutC = ownerOf(lane, two);
      // Read one way host-c leaves and only its lanes move; read the other way it joins and takes lanes only for itself.
      if (withC === 'host-c') moved += 1;
      else expect(withoutC).toBe(withC);
    }
    expect(moved).toBeGreaterThan(lanes.length / 3 - 150);
  });

  it('names a pool by its tenants, in any order; no tenants = every tenant', () => {
    expect(poolOf(['t2', 't1', 't2'])).toBe('t1,t2');
    expect(poolOf(undefined)).toBe('*');
    expect(poolOf([])).toBe('*');
  });
});

describe('an outbox pass of one instance among several', () => {
  const open = Array.from({ length: 90 }, (_, i) => row(`P${i}`));
  const ids = ['host-a', 'host-b', 'host-c'];

  it('plans only its own lanes, and the instances together plan every row once', () => {
    const planned = ids.map((self) => planPass(open, NOW, (lane) => ownerOf(lane, ids) === self));
    const keys = planned.flatMap((plan) => [...plan.alone.values()].map((r) => r.entity.key));
    expect(keys.sort()).toEqual(open.map((r) => r.entity.key).sort());
    for (const plan of planned) {
      expect(plan.alone.size).toBeGreaterThan(0);
      expect(plan.alone.size).toBeLessThan(open.length);
      // The backlog is the pool's: every open row waits, whoever serves it.
      expect(plan.backlog.rows).toBe(open.length);
    }
  });

  it('waits for none of the others’ rows', () => {
    const later = { ...row('later'), entity: { ...row('later').entity, nextAttemptAt: new Date(NOW + 5000).toISOString() } };
    const owner = ownerOf(laneOf(later), ids)!;
    const other = ids.find((id) => id !== owner)!;
    expect(planPass([later], NOW, (lane) => ownerOf(lane, ids) === owner).nextDueAt).toBe(NOW + 5000);
    expect(planPass([later], NOW, (lane) => ownerOf(lane, ids) === other).nextDueAt).toBeUndefined();
  });
});

describe('a limiter whose share changes', () => {
  it('paces at the new rate from the moment it is set', () => {
    const clock = fixedClock(new Date(NOW));
    const limiter = new RateLimiter({ clock, globalPerSecond: 30 });
    expect(limiter.tryTake()).toBe(0);
    expect(limiter.tryTake()).toBe(34);
    limiter.setGlobalPerSecond(10);
    expect(limiter.globalPerSecond).toBe(10);
    expect(limiter.tryTake()).toBe(100);
    clock.set(new Date(NOW + 100));
    expect(limiter.tryTake()).toBe(0);
    expect(() => limiter.setGlobalPerSecond(0)).toThrow();
  });
});

describe('an update row whose "sent" write failed', () => {
  const claimed = { createdAt: '2026-12-02T09:00:00.000Z', attempts: 1 };

  it('was superseded when a newer update replaced it (new createdAt, or attempts started afresh)', () => {
    expect(isNewerVersion({ createdAt: '2026-12-02T09:00:05.000Z', attempts: 0 }, claimed)).toBe(true);
    expect(isNewerVersion({ createdAt: '2026-12-02T09:00:05.000Z', attempts: 1 }, claimed)).toBe(true);
    // A coarse row keeps its hour: the newer version is told by its attempts.
    expect(isNewerVersion({ createdAt: claimed.createdAt, attempts: 0 }, claimed)).toBe(true);
  });

  it('lost its lease when the same row was claimed again (same createdAt, one attempt more)', () => {
    expect(isNewerVersion({ createdAt: claimed.createdAt, attempts: 2 }, claimed)).toBe(false);
  });
});
