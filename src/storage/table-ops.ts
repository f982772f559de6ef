import { odata, type TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import { isNotFound, statusOf } from './table-errors';
import { compositeKey } from './table-keys';

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

/** The items of a listing; none when the table itself is not there (404: nothing was ever written to it). */
export async function* emptyIfNoTable<T>(listing: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* listing;
  } catch (error) {
    if (!isNotFound(error)) throw error;
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
  return keyRange(key, prefix, prefix);
}

/**
 * The keys from `from` on, up to and including every key that starts with `throughPrefix`: a range of
 * day-first keys from one day through another, each last day's rows included whatever follows the day.
 */
export function keyRange(key: 'PartitionKey' | 'RowKey', from: string, throughPrefix: string): string {
  return `${key} ge '${quoted(from)}' and ${key} lt '${quoted(throughPrefix + KEY_END)}'`;
}

/** Every partition of a tenant that is "tenant|…": one range query, never another tenant's. */
export function tenantRange(tenantId: string): string {
  return keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`);
}

/** The rows of one partition whose RowKey starts with `prefix`. */
export function rowPrefixFilter(partitionKey: string, prefix: string): string {
  return `${odata`PartitionKey eq ${partitionKey}`} and ${keyStartsWith('RowKey', prefix)}`;
}

/** The rows of one partition from RowKey `from` through every RowKey starting with `throughPrefix` (see keyRange). */
export function rowRangeFilter(partitionKey: string, from: string, throughPrefix: string): string {
  return `${odata`PartitionKey eq ${partitionKey}`} and ${keyRange('RowKey', from, throughPrefix)}`;
}

/** A string literal as OData wants it: quotes doubled (the odata tag cannot name a column). */
function quoted(value: string): string {
  return value.replace(/'/g, "''");
}
