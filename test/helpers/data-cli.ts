import type { TransactionAction } from '@azure/data-tables';
import { rawPages, type Line } from '../../src/features/data/raw-entities';
import { tenantRows } from '../../src/features/data/table-scan';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { submitInBatches } from '../../src/storage/batch';
import { runCli, type CliRun } from './cli-process';

export type { CliRun };

/** `npm run data -- …` as a child process on the test Azurite, as an operator runs it (not at a terminal). */
export function runDataCli(args: string[], connectionString: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runCli('src/features/data/data.cli.ts', args, { STORAGE_CONNECTION_STRING: connectionString, ...env });
}

/** Every row of the tenant in every table of the account, as backup lines (types annotated), by table, sorted. */
export async function tenantSnapshot(tables: TableClientFactory, tenantId: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const table of tables.service().listTables()) {
    const name = table.name ?? '';
    const lines: string[] = [];
    for await (const page of rawPages(tables.table(name), { filter: tenantRows(tenantId), pageSize: 1000 }))
      lines.push(...page.lines.map((line: Line) => JSON.stringify(line)));
    if (lines.length > 0) out.set(name, lines.sort());
  }
  return out;
}

/** Deletes every row of the tenant in every table: the disaster a restore is for. */
export async function wipeTenant(tables: TableClientFactory, tenantId: string): Promise<void> {
  for await (const table of tables.service().listTables()) {
    const client = tables.table(table.name ?? '');
    const keys: TransactionAction[] = [];
    for await (const e of client.listEntities({ queryOptions: { filter: tenantRows(tenantId), select: ['PartitionKey', 'RowKey'] } }))
      keys.push(['delete', { partitionKey: e.partitionKey ?? '', rowKey: e.rowKey ?? '' }]);
    await submitInBatches(client, keys);
  }
}
