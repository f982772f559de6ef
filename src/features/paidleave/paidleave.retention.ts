import { odata, type TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../../storage/batch';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { emptyIfNoTable } from '../../storage/table-ops';
import { pagesOf } from '../data/data.public';
import { PAIDLEAVE_TABLE, PaidLeaveRepository } from './paidleave.repository';

/**
 * The data lifecycle's rule for HR's paid-leave import: every row of the fiscal years up to
 * `lastYear` is deleted (a year is its own partition, so this is one range). The KPI periods keep
 * their own figures of those years. Returns how many rows went; run again, 0.
 */
export async function deletePaidLeaveYears(tables: TableClientFactory, tenantId: string, lastYear: number): Promise<number> {
  const table = tables.table(PAIDLEAVE_TABLE);
  const filter = odata`PartitionKey ge ${compositeKey(tenantId, 'FY')} and PartitionKey le ${PaidLeaveRepository.partitionOf(tenantId, lastYear)}`;
  let deleted = 0;
  // A storage account where no paid leave was ever imported has no table: nothing to delete.
  for await (const page of emptyIfNoTable(pagesOf(table, filter, { select: [] }))) {
    await submitInBatches(
      table,
      page.map((row): TransactionAction => ['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]),
    );
    deleted += page.length;
  }
  return deleted;
}
