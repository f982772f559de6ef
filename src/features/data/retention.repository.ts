import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { deleteIfPresent, rowPrefixFilter } from '../../storage/table-ops';
import { compositeKey } from '../../storage/table-keys';
import { pagesOf, pointRead } from './table-scan';
import { DEFAULT_RETENTION, RETENTION_KEYS, type RetentionSettings } from './retention.settings';

/**
 * dataretention: PK = tenant. RK `settings`: HR's retention in months per key (0 = kept for good,
 * no column = the default) and when it was set; RK `state`: how far the nightly job has got;
 * RK `pairend|<manager>|<member>`: the day the job first saw a 1on1 pair gone from the directory,
 * which starts the clock on the pair's texts.
 */
export const DATA_TABLES = { retention: 'dataretention' } as const;

const SETTINGS = 'settings';
const STATE = 'state';
export const PAIR_END_PREFIX = `${compositeKey('pairend')}|`;

export interface RetentionState {
  /** Check-ins created before this instant have had their texts blanked. */
  checkinTextsBefore?: string;
}

export class RetentionRepository {
  private readonly table: TableClient;

  constructor(private readonly tables: TableClientFactory) {
    this.table = tables.table(DATA_TABLES.retention);
  }

  /** The app does not create this feature's table; the job and the CLI do, before their first read. */
  async ensureTable(): Promise<void> {
    await this.tables.ensureTables(Object.values(DATA_TABLES));
  }

  async settings(tenantId: string): Promise<RetentionSettings> {
    const row = await pointRead(this.table, compositeKey(tenantId), SETTINGS);
    const out = { ...DEFAULT_RETENTION };
    for (const key of RETENTION_KEYS) {
      const stored = row?.[key];
      if (typeof stored === 'number') out[key] = stored === 0 ? null : stored;
    }
    return out;
  }

  /** Changes only the keys given; the others keep what was set, or their default. */
  async saveSettings(tenantId: string, values: Partial<RetentionSettings>, at: Date): Promise<RetentionSettings> {
    const columns = Object.fromEntries(Object.entries(values).map(([key, months]) => [key, months ?? 0]));
    await this.table.upsertEntity({ partitionKey: compositeKey(tenantId), rowKey: SETTINGS, ...columns, updatedAt: at.toISOString() }, 'Merge');
    return this.settings(tenantId);
  }

  async state(tenantId: string): Promise<RetentionState> {
    const row = await pointRead(this.table, compositeKey(tenantId), STATE);
    return { checkinTextsBefore: typeof row?.checkinTextsBefore === 'string' ? row.checkinTextsBefore : undefined };
  }

  async saveState(tenantId: string, state: RetentionState): Promise<void> {
    await this.table.upsertEntity({ partitionKey: compositeKey(tenantId), rowKey: STATE, ...state }, 'Merge');
  }

  /** Every ended pair's day, by compositeKey(manager, member): a few thousand short strings even for a large town. */
  async pairEnds(tenantId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const filter = rowPrefixFilter(compositeKey(tenantId), PAIR_END_PREFIX);
    for await (const page of pagesOf(this.table, filter, { select: ['RowKey', 'endedOn'] })) {
      for (const row of page) out.set(row.rowKey.slice(PAIR_END_PREFIX.length), String(row.endedOn));
    }
    return out;
  }

  async markPairEnded(tenantId: string, managerId: string, memberId: string, day: string): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: compositeKey(tenantId), rowKey: `${PAIR_END_PREFIX}${compositeKey(managerId, memberId)}`, managerId, memberId, endedOn: day },
      'Replace',
    );
  }

  /** The pair is back (the member returned to the same manager): its texts are current again. */
  async clearPairEnd(tenantId: string, managerId: string, memberId: string): Promise<void> {
    await deleteIfPresent(this.table, compositeKey(tenantId), `${PAIR_END_PREFIX}${compositeKey(managerId, memberId)}`);
  }
}
