import { odata } from '@azure/data-tables';
import type { TableClientFactory } from '../../src/storage/table-client-factory';
import { isNotFound } from '../../src/storage/table-errors';
import { compositeKey, keyPart } from '../../src/storage/table-keys';
import { PLAYGROUND_TENANT_ID } from './playground-config';
import { eventually } from './waits';

/**
 * What the e2e flows read back from the run's Azurite: the rows hibi wrote, by the keys
 * docs/storage.md gives them, so a flow checks the store as well as the page.
 */

export type Row = Record<string, unknown>;

/** A row's identity and content at one moment; the etag changes with every write. */
export interface RowVersion {
  etag: string;
  json: string;
}

export class Store {
  readonly tenantId = PLAYGROUND_TENANT_ID;

  constructor(private readonly tables: TableClientFactory) {}

  async entity(table: string, partitionKey: string, rowKey: string): Promise<Row | undefined> {
    try {
      return await this.tables.table(table).getEntity<Row>(partitionKey, rowKey);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every row of one partition, in key order. */
  async partition(table: string, partitionKey: string): Promise<Row[]> {
    const rows: Row[] = [];
    const filter = odata`PartitionKey eq ${partitionKey}`;
    for await (const row of this.tables.table(table).listEntities<Row>({ queryOptions: { filter } })) rows.push(row);
    return rows;
  }

  /** Every row of every table, keyed `table/partition/row`: what a privacy check compares before and after. */
  async snapshot(): Promise<Map<string, RowVersion>> {
    const rows = new Map<string, RowVersion>();
    for await (const table of this.tables.service().listTables()) {
      const name = table.name ?? '';
      for await (const row of this.tables.table(name).listEntities<Row>()) {
        rows.set(`${name}/${String(row.partitionKey)}/${String(row.rowKey)}`, { etag: String(row.etag), json: JSON.stringify(row) });
      }
    }
    return rows;
  }

  /** The outbox row of one notification (outbox: PK = tenant|day, RK = the feature's key). */
  outboxRow(day: string, key: string): Promise<Row | undefined> {
    return this.entity('outbox', compositeKey(this.tenantId, day), keyPart(key));
  }

  /** The outbox row once the worker has finished it (sent, failed or unreachable), however long the worker takes. */
  finishedOutboxRow(day: string, key: string): Promise<Row | undefined> {
    return eventually(
      () => this.outboxRow(day, key),
      (row) => row !== undefined && row.status !== 'pending' && row.status !== 'leased',
    );
  }
}

/** The rows of `after` that are new or were written again since `before`, as `key json` lines. */
export function writtenSince(before: ReadonlyMap<string, RowVersion>, after: ReadonlyMap<string, RowVersion>): string[] {
  return [...after].filter(([key, row]) => before.get(key)?.etag !== row.etag).map(([key, row]) => `${key} ${row.json}`);
}
