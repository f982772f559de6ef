import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { compositeKey, keyPart } from '../storage/table-keys';
import { TABLES } from '../storage/table-names';
import type { DeliveryResult, Recipient } from './delivery.types';
import { readRecipient } from './outbox.schema';
import { isNotFound } from '../storage/table-errors';
import { createIfAbsent, deleteIfPresent, findEntity, isChangedSinceRead } from '../storage/table-ops';

export type OutboxStatus = 'pending' | 'leased' | 'sent' | 'failed' | 'unreachable';

/**
 * outbox: PK = "<tenant>|<day>", RK = the idempotency key. One row per recipient of a send, written
 * before sending. Times are ISO strings. The message lives in `payload` and is never logged.
 */
export interface OutboxEntity {
  partitionKey: string;
  rowKey: string;
  tenantId: string;
  day: string;
  key: string;
  status: OutboxStatus;
  /** Set once the row is finished (sent / failed / unreachable). */
  result?: DeliveryResult;
  /** Claims so far; a worker that dies mid-send still used one. */
  attempts: number;
  nextAttemptAt: string;
  leaseOwner?: string;
  leaseUntil?: string;
  recipient: string;
  payload: string;
  sentActivityId?: string;
  conversationId?: string;
  /** Set for an update row: the activity it rewrites, in `conversationId`. */
  updatesActivityId?: string;
  /** "<status>" or "<status>:<code>" of the last failure, e.g. "429" or "403:MessageWritesBlocked". */
  lastError?: string;
  createdAt: string;
  finishedAt?: string;
  /** Set for a send that must not say when it was made: every time above is kept to the hour (outbox-times.ts). */
  coarseTimes?: boolean;
  /** The recipient's language when the sender gave it ('ja' | 'en'): the 再送 marker of a resend is written in it. */
  locale?: string;
}

type EntityChanges = Partial<Omit<OutboxEntity, 'partitionKey' | 'rowKey' | 'tenantId' | 'day' | 'key'>>;

export interface OutboxRecord {
  entity: OutboxEntity;
  etag: string;
}

/** What a worker's pass plans with: which rows are due, for whom, in what order. */
const PLAN_COLUMNS = ['tenantId', 'day', 'key', 'status', 'nextAttemptAt', 'leaseUntil', 'recipient', 'createdAt'] as const;

/**
 * An open row as a worker's pass plans with it: no message, nothing else it does not need. A day's
 * fan-out is thousands of cards; a pass holds only this for all of them, and their messages a page at a time.
 */
export interface OpenRow {
  entity: Pick<OutboxEntity, 'partitionKey' | 'rowKey' | (typeof PLAN_COLUMNS)[number]>;
  etag: string;
  /** Undefined when the stored JSON no longer reads. */
  recipient: Recipient | undefined;
}

/** outboxpending: PK = tenant, RK = day. Days that may still have rows to send, so workers never scan the outbox. */
interface PendingDayEntity {
  partitionKey: string;
  rowKey: string;
  touchedAt: string;
}

export interface PendingDay {
  tenantId: string;
  day: string;
  touchedAt: Date;
  etag: string;
}

export function outboxPartition(tenantId: string, day: string): string {
  return compositeKey(tenantId, day);
}

export class OutboxRepository {
  private readonly rows: TableClient;
  private readonly days: TableClient;

  constructor(tables: TableClientFactory) {
    this.rows = tables.table(TABLES.outbox);
    this.days = tables.table(TABLES.outboxPending);
  }

  /** Writes a new row; false when the key is already there (409), whatever its state. */
  async create(entity: OutboxEntity): Promise<boolean> {
    return createIfAbsent(this.rows, entity);
  }

  /** Writes the row whatever is there (a newer version of an update replaces the older, sent or not). */
  async upsert(entity: OutboxEntity): Promise<void> {
    await this.rows.upsertEntity(entity, 'Replace');
  }

  async get(tenantId: string, day: string, key: string): Promise<OutboxRecord | undefined> {
    const entity = await findEntity<OutboxEntity>(this.rows, outboxPartition(tenantId, day), keyPart(key));
    return entity ? withoutMetadata(entity) : undefined;
  }

  /** Rows of one day that are not finished: pending, or leased (possibly by a worker that died); the plan's columns only. */
  async openRows(tenantId: string, day: string): Promise<OpenRow[]> {
    const found: OpenRow[] = [];
    const select = ['PartitionKey', 'RowKey', ...PLAN_COLUMNS];
    for await (const listed of this.rows.listEntities<OpenRow['entity']>({ queryOptions: { filter: openFilter(tenantId, day), select } })) {
      const { entity, etag } = withoutMetadata(listed);
      found.push({ entity, etag, recipient: readRecipient(entity.recipient) });
    }
    return found;
  }

  /**
   * The same rows with their messages, a page at a time in key order: the caller holds one page, not
   * the day's. A page lists a row as it is when that page is read.
   */
  async *openRowPages(tenantId: string, day: string, pageSize: number): AsyncGenerator<OutboxRecord[]> {
    const pages = this.rows.listEntities<OutboxEntity>({ queryOptions: { filter: openFilter(tenantId, day) } }).byPage({ maxPageSize: pageSize });
    for await (const page of pages) yield page.map((entity) => withoutMetadata(entity));
  }

  /**
   * Replaces the row only if nobody wrote it since it was read (If-Match etag): this is how a worker
   * claims a row and how it records the outcome. Undefined when another writer got there first.
   */
  async replace(record: OutboxRecord, changes: EntityChanges): Promise<OutboxRecord | undefined> {
    const entity: OutboxEntity = { ...record.entity, ...changes };
    try {
      const response = await this.rows.updateEntity(entity, 'Replace', { etag: record.etag });
      if (!response.etag) throw new Error('table service returned no etag');
      return { entity, etag: response.etag };
    } catch (error) {
      if (isChangedSinceRead(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Marks a day as having work; any write changes the etag, which protects the marker from a concurrent release. */
  async touchDay(tenantId: string, day: string, at: Date): Promise<void> {
    const entity: PendingDayEntity = { partitionKey: tenantId, rowKey: keyPart(day), touchedAt: at.toISOString() };
    await this.days.upsertEntity(entity, 'Replace');
  }

  async pendingDays(): Promise<PendingDay[]> {
    const found: PendingDay[] = [];
    for await (const entity of this.days.listEntities<PendingDayEntity>()) {
      found.push({ tenantId: entity.partitionKey, day: entity.rowKey, touchedAt: new Date(entity.touchedAt), etag: entity.etag });
    }
    return found;
  }

  /** Forgets a finished day unless someone touched it since it was read. */
  async releaseDay(day: PendingDay): Promise<void> {
    try {
      await deleteIfPresent(this.days, day.tenantId, keyPart(day.day), day.etag);
    } catch (error) {
      if (!isChangedSinceRead(error)) throw error;
    }
  }
}

const openFilter = (tenantId: string, day: string): string =>
  odata`PartitionKey eq ${outboxPartition(tenantId, day)} and (status eq ${'pending'} or status eq ${'leased'})`;

/**
 * The row as stored, for a Replace to write back: without the service's own fields, and without the
 * columns a $select asked for that the row does not have (Table Storage lists them as null).
 */
function withoutMetadata<T extends object>(listed: T & { etag: string }): { entity: T; etag: string } {
  const { etag, ...stored } = listed;
  const clean = Object.fromEntries(
    Object.entries(stored).filter(([name, value]) => name !== 'timestamp' && name !== 'odata.metadata' && value !== null),
  ) as unknown as T;
  return { entity: clean, etag };
}
