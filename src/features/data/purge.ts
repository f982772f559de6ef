import type { TableClient } from '@azure/data-tables';
import { forEachLimited } from '../../shared/concurrency';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { isNotFound } from '../../storage/table-errors';
import { isChangedSinceRead } from '../../storage/table-ops';
import { PURGE_ORDER, type Change, type Found, type PersonTable } from './person-records';

export interface PurgeCount {
  table: string;
  label: string;
  deleted: number;
  anonymised: number;
}

/** Raised when a row changed between the read and the write: the purge stops, and running it again finishes it. */
export class PurgeConflictError extends Error {}

/** Rows changed at once: a person's outbox is one row a day for years. */
const WIDTH = 8;

/**
 * Removes a departed person (or, with `apply: false`, counts what it would do). Each table decides
 * per row: delete, or anonymise the person's part of a record someone else keeps (person-records).
 * A row once handled no longer names the person, so a second run finds nothing and counts 0.
 */
export async function purgePerson(
  scope: { tables: TableClientFactory; tenantId: string; personId: string },
  apply: boolean,
  tables: readonly PersonTable[] = PURGE_ORDER,
): Promise<PurgeCount[]> {
  const counts: PurgeCount[] = [];
  for (const rule of tables) {
    const count: PurgeCount = { table: rule.table, label: rule.label, deleted: 0, anonymised: 0 };
    const client = scope.tables.table(rule.table);
    for await (const page of rule.find(scope)) {
      await forEachLimited(page, WIDTH, async (found) => {
        const change = rule.change(found, scope.personId);
        if (change.kind === 'delete') count.deleted += 1;
        else count.anonymised += 1;
        if (apply) await applyChange(client, found, change);
      });
    }
    counts.push(count);
  }
  return counts;
}

async function applyChange(table: TableClient, { entity }: Found, change: Change): Promise<void> {
  const keys = { partitionKey: entity.partitionKey, rowKey: entity.rowKey };
  try {
    if (change.kind === 'delete') {
      await table.deleteEntity(keys.partitionKey, keys.rowKey);
    } else if (change.kind === 'merge') {
      // If-Match: a step someone takes on the record at this moment is not overwritten; see PurgeConflictError.
      await table.updateEntity({ ...keys, ...change.set }, 'Merge', { etag: entity.etag });
    } else {
      // New keys first, old row after: cut short between the two, the next run finds the old row and writes the same new one.
      await table.upsertEntity(change.entity, 'Replace');
      const moved = change.entity.partitionKey !== keys.partitionKey || change.entity.rowKey !== keys.rowKey;
      if (moved) await table.deleteEntity(keys.partitionKey, keys.rowKey, { etag: entity.etag });
    }
  } catch (error) {
    // Gone already: another run (or the row's own owner) removed it; what the purge wanted is done.
    if (isNotFound(error)) return;
    if (isChangedSinceRead(error))
      throw new PurgeConflictError(`${table.tableName}: ${keys.partitionKey} / ${keys.rowKey} が同時に変更されました。もう一度実行してください。`);
    throw error;
  }
}
