import type { TableClient } from '@azure/data-tables';
import { TableClientFactory } from '../src/storage/table-client-factory';

/** Requests to Table storage by "<table> <kind>", and their time in total: what delivery costs in storage. */
export type StorageTally = Record<string, { count: number; ms: number }>;

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/** A point read names its row in the URL; any other GET is a query (a page of one). */
function kindOf(method: string, url: string): string {
  if (method === 'GET') return /\(PartitionKey=/.test(url) ? 'read' : 'query';
  if (method === 'PUT') return 'replace';
  if (method === 'PATCH' || method === 'MERGE') return 'merge';
  if (method === 'POST') return 'insert';
  return method.toLowerCase();
}

/**
 * The app's table clients, each request counted and timed as it goes on the wire (after the retry
 * policy, so a retried request counts twice): the instances benchmark reports what a send costs in
 * storage from this, rather than from reading the code.
 */
export class TimedTables extends TableClientFactory {
  readonly tally: StorageTally = {};
  /** The factory hands out one client per table: its pipeline gets the timing once. */
  private readonly timed = new Set<TableClient>();

  override table(name: string): TableClient {
    const client = super.table(name);
    if (this.timed.has(client)) return client;
    this.timed.add(client);
    const timing: PipelinePolicy = {
      name: 'bench-storage-timing',
      sendRequest: async (request, next) => {
        const started = performance.now();
        try {
          return await next(request);
        } finally {
          const entry = (this.tally[`${name} ${kindOf(request.method, request.url)}`] ??= { count: 0, ms: 0 });
          entry.count += 1;
          entry.ms += performance.now() - started;
        }
      },
    };
    client.pipeline.addPolicy(timing, { afterPhase: 'Retry' });
    return client;
  }
}

/** "outbox replace 2.00 (12 ms)": requests per send and their mean time, most frequent first. */
export function perSend(tallies: readonly StorageTally[], sent: number): string {
  const total = new Map<string, { count: number; ms: number }>();
  for (const tally of tallies) {
    for (const [key, { count, ms }] of Object.entries(tally)) {
      const entry = total.get(key) ?? { count: 0, ms: 0 };
      total.set(key, { count: entry.count + count, ms: entry.ms + ms });
    }
  }
  const requests = [...total.values()].reduce((sum, entry) => sum + entry.count, 0);
  const lines = [...total]
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([key, { count, ms }]) => `${key} ${(count / Math.max(1, sent)).toFixed(2)} (${(ms / count).toFixed(0)} ms)`);
  return `${(requests / Math.max(1, sent)).toFixed(2)} requests per send: ${lines.join(', ')}`;
}
