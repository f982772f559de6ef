import { Writable } from 'node:stream';
import type { TableClientFactory } from '../../src/storage/table-client-factory';

export type StoredEntity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string; timestamp?: string };

export interface StoredRow {
  table: string;
  entity: StoredEntity;
  etag: string;
  json: string;
}

/**
 * Every row of the tenant in every table of the account, keyed table/partition/row: what an
 * anonymity test reads to show nothing stored points at a person, whatever table a change adds.
 */
export async function tenantRows(tables: TableClientFactory, tenantId: string): Promise<Map<string, StoredRow>> {
  const rows = new Map<string, StoredRow>();
  for await (const table of tables.service().listTables()) {
    const name = table.name ?? '';
    for await (const entity of tables.table(name).listEntities<Record<string, unknown>>()) {
      if (!String(entity.partitionKey).startsWith(tenantId)) continue;
      rows.set(`${name}/${entity.partitionKey}/${entity.rowKey}`, {
        table: name,
        entity: entity as StoredEntity,
        etag: entity.etag,
        json: JSON.stringify(entity),
      });
    }
  }
  return rows;
}

/** A log sink for startTestApp that keeps every line the app writes. */
export function logCapture(): { sink: Writable; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  return { sink, lines };
}
