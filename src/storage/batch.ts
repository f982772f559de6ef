import type { TableClient, TransactionAction } from '@azure/data-tables';

/** Table transactions take at most 100 actions, all in one partition. */
const MAX_BATCH = 100;

export async function submitInBatches(table: TableClient, actions: TransactionAction[]): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const action of actions) {
    const pk = action[1].partitionKey;
    const list = byPartition.get(pk) ?? [];
    list.push(action);
    byPartition.set(pk, list);
  }
  for (const list of byPartition.values()) {
    for (let i = 0; i < list.length; i += MAX_BATCH) {
      await table.submitTransaction(list.slice(i, i + MAX_BATCH));
    }
  }
}
