import type { OutboxBacklog } from '../telemetry/metrics';
import { rowKeyOf } from './conversation-references.repository';
import type { OpenRow } from './outbox.repository';

/**
 * What one pass of the outbox worker will do with the open rows it found, worked out without I/O:
 * which are due, in which lanes, and when the next one not yet due becomes due.
 */
export interface PassPlan {
  /** Recipients with several rows due: each lane is one person's rows, oldest first, sent one after another. */
  queued: OpenRow[][];
  /** Rows due alone (every fan-out), by rowId: sent from pages of the day's rows read in key order. */
  alone: Map<string, OpenRow>;
  /** Earliest time a row not yet due becomes due (a backoff ending, a lease expiring). */
  nextDueAt?: number;
  /** Every open row counts, pending or leased: retries and sends in flight are waiting too. */
  backlog: OutboxBacklog;
}

/**
 * With several instances, `serves` says which lanes (laneOf) are this one's: the others' rows are
 * neither due nor waited for here, though they count in the backlog.
 */
export function planPass(open: readonly OpenRow[], now: number, serves: (lane: string) => boolean = () => true): PassPlan {
  const due: OpenRow[] = [];
  let nextDueAt: number | undefined;
  for (const row of open) {
    if (!serves(laneOf(row))) continue;
    const dueAt = dueTime(row);
    if (dueAt <= now) due.push(row);
    else nextDueAt = Math.min(nextDueAt ?? dueAt, dueAt);
  }
  const lanes = lanesOf(due);
  const alone = new Map<string, OpenRow>();
  for (const lane of lanes) if (lane.length === 1) alone.set(rowId(lane[0]!.entity), lane[0]!);
  return { queued: lanes.filter((lane) => lane.length > 1), alone, nextDueAt, backlog: backlogOf(open) };
}

/** A pending row is due at its next attempt; a leased one when its lease runs out (its worker may be gone). */
export function dueTime(row: OpenRow): number {
  const { status, nextAttemptAt, leaseUntil } = row.entity;
  return Date.parse(status === 'leased' ? (leaseUntil ?? nextAttemptAt) : nextAttemptAt);
}

/** Due rows grouped by recipient, oldest first, so one person's messages arrive in the order they were queued. */
export function lanesOf(due: readonly OpenRow[]): OpenRow[][] {
  const byRecipient = new Map<string, OpenRow[]>();
  const ordered = [...due].sort((a, b) => a.entity.createdAt.localeCompare(b.entity.createdAt) || a.entity.key.localeCompare(b.entity.key));
  for (const row of ordered) {
    const lane = laneOf(row);
    const rows = byRecipient.get(lane);
    if (rows) rows.push(row);
    else byRecipient.set(lane, [row]);
  }
  return [...byRecipient.values()];
}

/** One recipient's rows (a row whose recipient no longer reads is a lane of its own): sent in order, by one instance. */
export const laneOf = (row: Pick<OpenRow, 'entity' | 'recipient'>): string =>
  `${row.entity.tenantId}|${row.recipient ? rowKeyOf(row.recipient) : `row|${row.entity.key}`}`;

export const rowId = (entity: OpenRow['entity']): string => `${entity.partitionKey}\u0000${entity.rowKey}`;

/** The days (outbox partitions) the rows belong to, each once. */
export function daysOf(rows: readonly OpenRow[]): { tenantId: string; day: string }[] {
  const days = new Map<string, { tenantId: string; day: string }>();
  for (const { entity } of rows) days.set(entity.partitionKey, { tenantId: entity.tenantId, day: entity.day });
  return [...days.values()];
}

function backlogOf(rows: readonly OpenRow[]): OutboxBacklog {
  let oldestQueuedAt: number | undefined;
  for (const row of rows) {
    const queuedAt = Date.parse(row.entity.createdAt);
    if (Number.isFinite(queuedAt) && (oldestQueuedAt === undefined || queuedAt < oldestQueuedAt)) oldestQueuedAt = queuedAt;
  }
  return { rows: rows.length, oldestQueuedAt };
}

/** The backlog once a row has finished: it leaves now, not at the next pass, since a fan-out's pass can take minutes. */
export const leaving = (backlog: OutboxBacklog): OutboxBacklog => (backlog.rows > 1 ? { ...backlog, rows: backlog.rows - 1 } : { rows: 0 });
