import type { TableClient } from '@azure/data-tables';
import type { Found } from '../person-table';
import { pagesOf, pointRead, storedColumns, type Row } from '../table-scan';

/** The one row at these keys, if it is there. */
export async function* oneRow(table: TableClient, partitionKey: string, rowKey: string, relation = 'self'): AsyncGenerator<Found[]> {
  const row = await pointRead(table, partitionKey, rowKey);
  if (row) yield [{ entity: row, relations: [relation] }];
}

/** The rows of a filter, a page at a time, each with the same relation. */
export async function* queried(table: TableClient, filter: string, relation: string, select?: string[]): AsyncGenerator<Found[]> {
  for await (const page of pagesOf(table, filter, { select })) yield page.map((entity) => ({ entity, relations: [relation] }));
}

/** A JSON column as the value it holds; the text itself when it does not read. */
export function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The row as stored, JSON columns read, for the disclosure. */
export function asStored(row: Row, jsonColumns: readonly string[] = []): Record<string, unknown> {
  const out = storedColumns(row);
  for (const name of jsonColumns) if (name in out) out[name] = parsed(out[name]);
  return out;
}

/** The last part of a "tenant|…|day" partition key. */
export function dayOf(partitionKey: string): string {
  return partitionKey.split('|').at(-1) ?? '';
}
