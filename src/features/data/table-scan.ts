import { odata, type TableClient } from '@azure/data-tables';
import { findEntity, tenantRange } from '../../storage/table-ops';
import { compositeKey } from '../../storage/table-keys';

/** A row as the Table SDK lists it (numbers, strings and booleans converted; etag and timestamp added). */
export type Row = Keys & Record<string, unknown> & { etag: string };
export type Keys = { partitionKey: string; rowKey: string };

/** The service's own largest page: a page is what this feature holds in memory at a time. */
export const PAGE_SIZE = 1000;

/** Every row of a tenant in any hibi table: partitions are the tenant itself or start with "tenant|". */
export function tenantRows(tenantId: string): string {
  return `(${odata`PartitionKey eq ${compositeKey(tenantId)}`}) or (${tenantRange(tenantId)})`;
}

/** `column eq 'value'`, the value quoted and its quotes doubled as OData wants (the odata tag cannot name a column). */
export function columnEq(column: string, value: string): string {
  return `${column} eq '${value.replace(/'/g, "''")}'`;
}

/** The rows `filter` selects, a page at a time, so a town of 10,000 never sits in memory whole. */
export async function* pagesOf(table: TableClient, filter: string, options: { select?: string[]; pageSize?: number } = {}): AsyncGenerator<Row[]> {
  // The keys are always selected: every caller may act on the row it read.
  const queryOptions = options.select ? { filter, select: ['PartitionKey', 'RowKey', ...options.select] } : { filter };
  for await (const page of table.listEntities<Record<string, unknown>>({ queryOptions }).byPage({ maxPageSize: options.pageSize ?? PAGE_SIZE })) {
    if (page.length > 0) yield page as Row[];
  }
}

export async function pointRead(table: TableClient, partitionKey: string, rowKey: string): Promise<Row | undefined> {
  return (await findEntity<Record<string, unknown>>(table, partitionKey, rowKey)) as Row | undefined;
}

/** The parts of a key joined by compositeKey, decoded again ("|" never occurs inside a person id or a tenant id). */
export function keyParts(key: string): string[] {
  return key.split('|').map((part) => decodeURIComponent(part));
}

/** The stored columns of a row, without the service's own fields (etag, timestamp, metadata). */
export function storedColumns(row: Row): Keys & Record<string, unknown> {
  const { etag: _etag, timestamp: _timestamp, ...rest } = row;
  return Object.fromEntries(Object.entries(rest).filter(([name, value]) => name !== 'odata.metadata' && value !== null && value !== undefined)) as Keys &
    Record<string, unknown>;
}
