import { odata, type TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import { isNotFound, statusOf } from './table-errors';

/**
 * The few Table Storage moves every repository makes, each with its expected "no" folded into the
 * answer: a row that is not there, a row that already is, a row changed by someone else.
 */

/** A point read; undefined when the row is not there. */
export async function findEntity<T extends object>(table: TableClient, partitionKey: string, rowKey: string): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Deletes the row; false when it was already gone, which is what was wanted. */
export async function deleteIfPresent(table: TableClient, partitionKey: string, rowKey: string, etag?: string): Promise<boolean> {
  try {
    await table.deleteEntity(partitionKey, rowKey, etag ? { etag } : undefined);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Writes a new row; false when its key is already taken (409), whatever that row holds. */
export async function createIfAbsent<T extends object>(table: TableClient, entity: TableEntity<T>): Promise<boolean> {
  try {
    await table.createEntity(entity);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** Someone else created the row (409) or changed it since it was read (412): read again and retry. */
export function isConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

export function isChangedSinceRead(error: unknown): boolean {
  return statusOf(error) === 412;
}

/** The greatest character a key can hold: every key starting with a prefix sorts below prefix + this. */
const KEY_END = '\uffff';

/** An OData filter for the keys that start with `prefix`: one range, so the service reads only those rows. */
export function keyStartsWith(key: 'PartitionKey' | 'RowKey', prefix: string): string {
  return `${key} ge '${quoted(prefix)}' and ${key} lt '${quoted(prefix + KEY_END)}'`;
}

/** The rows of one partition whose RowKey starts with `prefix`. */
export function rowPrefixFilter(partitionKey: string, prefix: string): string {
  return `${odata`PartitionKey eq ${partitionKey}`} and ${keyStartsWith('RowKey', prefix)}`;
}

/** A string literal as OData wants it: quotes doubled (the odata tag cannot name a column). */
function quoted(value: string): string {
  return value.replace(/'/g, "''");
}
