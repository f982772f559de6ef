import type { Recipient } from '../../src/delivery/delivery.types';
import { planPass } from '../../src/delivery/outbox-plan';
import type { OpenRow } from '../../src/delivery/outbox.repository';

const NOW = Date.parse('2026-12-02T09:00:00.000Z');
const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();

function row(
  key: string,
  recipient: Recipient | undefined,
  fields: { status?: 'pending' | 'leased'; nextAttemptAt?: string; leaseUntil?: string; createdAt?: string; day?: string },
): OpenRow {
  const day = fields.day ?? '2026-12-02';
  return {
    entity: {
      partitionKey: `t1|${day}`,
      rowKey: key,
      tenantId: 't1',
      day,
      key,
      status: fields.status ?? 'pending',
      nextAttemptAt: fields.nextAttemptAt ?? at(-1000),
      leaseUntil: fields.leaseUntil,
      recipient: JSON.stringify(recipient ?? null),
      createdAt: fields.createdAt ?? at(-60_000),
    },
    etag: `etag-${key}`,
    recipient,
  };
}

const person = (personId: string): Recipient => ({ kind: 'person', personId });

describe('planning an outbox pass (no I/O)', () => {
  it('sends what is due: a pending row at its next attempt, a leased one only once its lease ran out', () => {
    const plan = planPass(
      [
        row('due', person('a'), {}),
        row('later', person('b'), { nextAttemptAt: at(5000) }),
        row('leased-live', person('c'), { status: 'leased', leaseUntil: at(2000) }),
        row('leased-dead', person('d'), { status: 'leased', leaseUntil: at(-1) }),
      ],
      NOW,
    );
    expect([...plan.alone.values()].map((r) => r.entity.key).sort()).toEqual(['due', 'leased-dead']);
    expect(plan.queued).toEqual([]);
    // The earliest of what is not due yet: the live lease (2 s), before the backoff (5 s).
    expect(plan.nextDueAt).toBe(NOW + 2000);
  });

  it('puts one person’s due rows in one lane, in the order they were queued, apart from everyone’s single rows', () => {
    const plan = planPass(
      [
        row('second', person('a'), { createdAt: at(-10_000) }),
        row('first', person('a'), { createdAt: at(-20_000) }),
        row('other', person('b'), {}),
        row('channel', { kind: 'channel', teamId: 'team', channelId: 'ch' }, {}),
      ],
      NOW,
    );
    expect(plan.queued.map((lane) => lane.map((r) => r.entity.key))).toEqual([['first', 'second']]);
    expect([...plan.alone.values()].map((r) => r.entity.key).sort()).toEqual(['channel', 'other']);
  });

  it('keeps rows whose recipient no longer reads in lanes of their own, and counts every open row in the backlog', () => {
    const plan = planPass(
      [row('broken-1', undefined, { createdAt: at(-90_000) }), row('broken-2', undefined, {}), row('later', person('b'), { nextAttemptAt: at(1000) })],
      NOW,
    );
    expect(plan.alone.size).toBe(2);
    expect(plan.backlog).toEqual({ rows: 3, oldestQueuedAt: NOW - 90_000 });
  });

  it('has nothing to do and nothing to wait for when nothing is open', () => {
    expect(planPass([], NOW)).toEqual({ queued: [], alone: new Map(), nextDueAt: undefined, backlog: { rows: 0, oldestQueuedAt: undefined } });
  });
});
