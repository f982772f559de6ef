import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import type { KudosRecord, PlusEntry, ValueKey } from './kudos.schema';
import { createIfAbsent, findEntity, isConflict, keyRange, keyStartsWith, rowPrefixFilter, rowRangeFilter, tenantRange } from '../../storage/table-ops';

export const KUDOS_TABLES = { kudos: 'kudos', sent: 'kudossent', plus: 'plusevals' } as const;

/** kudos: PK = tenant|recipient, RK = day|submitId — what a person received, a date range per query. */
type KudosEntity = Omit<KudosRecord, 'recipientId' | 'day' | 'submitId'> & { partitionKey: string; rowKey: string };

/**
 * kudossent: PK = tenant|sender. RK `id|<submitId>` is the idempotency mark of one send, RK
 * `d|<day>|<submitId>` its place in the day's count; both are inserted in one transaction.
 */
type SentEntity = { partitionKey: string; rowKey: string; recipients: string; value: string; createdAt: string };

/** plusevals: PK = tenant|member, RK = period|day|submitId — a member's entries of one half as a prefix. */
type PlusEntity = Omit<PlusEntry, 'memberId' | 'day' | 'submitId'> & { partitionKey: string; rowKey: string };

export class KudosRepository {
  private readonly kudos: TableClient;
  private readonly sent: TableClient;
  private readonly plus: TableClient;

  constructor(tables: TableClientFactory) {
    this.kudos = tables.table(KUDOS_TABLES.kudos);
    this.sent = tables.table(KUDOS_TABLES.sent);
    this.plus = tables.table(KUDOS_TABLES.plus);
  }

  async wasSent(tenantId: string, senderId: string, submitId: string): Promise<boolean> {
    return (await findEntity(this.sent, compositeKey(tenantId, senderId), compositeKey('id', submitId))) !== undefined;
  }

  async sentOn(tenantId: string, senderId: string, day: string): Promise<number> {
    let count = 0;
    const pages = this.sent.listEntities({
      queryOptions: { filter: rowPrefixFilter(compositeKey(tenantId, senderId), compositeKey('d', day, '')), select: ['RowKey'] },
    });
    for await (const _ of pages) count += 1;
    return count;
  }

  /** Whom `senderId` thanked from `fromDay` on, most recent first, each once: the form lists them. */
  async recentRecipients(tenantId: string, senderId: string, fromDay: string): Promise<string[]> {
    const sends: { rowKey: string; recipients: string }[] = [];
    const filter = rowRangeFilter(compositeKey(tenantId, senderId), compositeKey('d', fromDay), compositeKey('d', ''));
    for await (const e of this.sent.listEntities<SentEntity>({ queryOptions: { filter, select: ['RowKey', 'recipients'] } })) sends.push(e);
    const ids = sends.reverse().flatMap((s) => {
      try {
        const parsed: unknown = JSON.parse(s.recipients);
        return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
      } catch {
        return [];
      }
    });
    return [...new Set(ids)];
  }

  /** Marks a send as done; false when the same submit was marked first (a double press racing this one). */
  async markSent(tenantId: string, senderId: string, day: string, submitId: string, recipients: string[], value: ValueKey, at: string): Promise<boolean> {
    const partitionKey = compositeKey(tenantId, senderId);
    const body = { recipients: JSON.stringify(recipients), value, createdAt: at };
    try {
      await this.sent.submitTransaction([
        ['create', { partitionKey, rowKey: compositeKey('id', submitId), ...body } satisfies SentEntity],
        ['create', { partitionKey, rowKey: compositeKey('d', day, submitId), ...body } satisfies SentEntity],
      ]);
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /**
   * Writing the same kudos again (a retried submit) changes nothing. The submit id comes from the
   * card, so false when another sender's kudos already holds the key: theirs is never replaced.
   */
  async saveKudos(tenantId: string, record: KudosRecord): Promise<boolean> {
    const { recipientId, day, submitId, ...rest } = record;
    return writeOwnRow(this.kudos, { partitionKey: compositeKey(tenantId, recipientId), rowKey: compositeKey(day, submitId), ...rest }, 'senderId');
  }

  /** As saveKudos: false when another manager's entry holds the key. */
  async savePlus(tenantId: string, entry: PlusEntry): Promise<boolean> {
    const { memberId, day, submitId, ...rest } = entry;
    return writeOwnRow(this.plus, { partitionKey: compositeKey(tenantId, memberId), rowKey: compositeKey(entry.period, day, submitId), ...rest }, 'managerId');
  }

  /** What a person received from `fromDay` to `toDay` inclusive, oldest first. */
  async received(tenantId: string, recipientId: string, fromDay: string, toDay: string): Promise<KudosRecord[]> {
    const filter = rowRangeFilter(compositeKey(tenantId, recipientId), fromDay, toDay);
    return listMapped(this.kudos.listEntities<KudosEntity>({ queryOptions: { filter } }), (e) => toKudos(recipientId, e));
  }

  /**
   * Every kudos of the tenant received from `fromDay` to `toDay` inclusive (the KPI rollup and HR's
   * export): one query over the tenant's recipient partitions, filtered on the day-first row key.
   */
  async receivedBetween(tenantId: string, fromDay: string, toDay: string): Promise<KudosRecord[]> {
    const filter = `${tenantRange(tenantId)} and ${keyRange('RowKey', fromDay, toDay)}`;
    return listMapped(this.kudos.listEntities<KudosEntity>({ queryOptions: { filter } }), (e) => toKudos(personOf(tenantId, e), e));
  }

  /** Every プラス評価 entry of the tenant for one half (`FY2026H1`): HR's export for evaluation. */
  async plusEntriesOfPeriod(tenantId: string, period: string): Promise<PlusEntry[]> {
    const filter = `${tenantRange(tenantId)} and ${keyStartsWith('RowKey', compositeKey(period, ''))}`;
    return listMapped(this.plus.listEntities<PlusEntity>({ queryOptions: { filter } }), (e) => toPlus(personOf(tenantId, e), e));
  }

  async plusEntries(tenantId: string, memberId: string, period: string): Promise<PlusEntry[]> {
    const filter = rowPrefixFilter(compositeKey(tenantId, memberId), compositeKey(period, ''));
    return listMapped(this.plus.listEntities<PlusEntity>({ queryOptions: { filter } }), (e) => toPlus(memberId, e));
  }
}

async function listMapped<E, T>(entities: AsyncIterable<E>, map: (entity: E) => T): Promise<T[]> {
  const out: T[] = [];
  for await (const e of entities) out.push(map(e));
  return out;
}

/** The person a tenant-wide query's row belongs to: PK = tenant|person. */
function personOf(tenantId: string, e: { partitionKey: string }): string {
  return e.partitionKey.slice(`${compositeKey(tenantId)}|`.length);
}

function toKudos(recipientId: string, e: KudosEntity): KudosRecord {
  const [day = '', submitId = ''] = e.rowKey.split('|');
  return { recipientId, day, submitId, senderId: e.senderId, value: e.value, message: e.message, public: e.public, unit: e.unit, createdAt: e.createdAt };
}

function toPlus(memberId: string, e: PlusEntity): PlusEntry {
  const [, day = '', submitId = ''] = e.rowKey.split('|');
  return { memberId, day, submitId, managerId: e.managerId, period: e.period, value: e.value, message: e.message, createdAt: e.createdAt };
}

/** Creates the row, or replaces it when it is the same author's; false when someone else's holds the key. */
async function writeOwnRow<T extends { partitionKey: string; rowKey: string }>(table: TableClient, entity: T, author: keyof T & string): Promise<boolean> {
  if (await createIfAbsent(table, entity)) return true;
  const existing = await table.getEntity<Record<string, unknown>>(entity.partitionKey, entity.rowKey);
  if (existing[author] !== (entity[author] as unknown)) return false;
  await table.updateEntity(entity, 'Replace', { etag: existing.etag });
  return true;
}
