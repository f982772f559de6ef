import { odata, type TableClient } from '@azure/data-tables';
import { SnapshotCache } from '../storage/snapshot-cache';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { rowKeyOf } from './conversation-references.repository';
import type { Recipient } from './delivery.types';
import { deleteIfPresent } from '../storage/table-ops';

export interface UnreachableRecipient {
  recipient: Recipient;
  /** Teams' 403 code, e.g. MessageWritesBlocked. */
  code: string;
  /** When Teams last refused (ISO). */
  at: string;
}

/** reachability: PK = tenant, RK = the conversations table's owner key; one row per recipient Teams refuses. */
interface ReachabilityEntity {
  partitionKey: string;
  rowKey: string;
  kind: 'person' | 'channel';
  personId?: string;
  teamId?: string;
  channelId?: string;
  code: string;
  at: string;
}

/**
 * Recipients Teams refuses to deliver to (blocked, uninstalled, disabled by the admin), so HR can
 * list who does not have hibi. A later successful delivery removes the mark.
 */
export class ReachabilityRepository {
  private readonly table: TableClient;
  /**
   * Every delivered message clears its recipient's mark, and almost nobody has one: the tenant's marks
   * are kept, so a send to someone unmarked writes nothing. A mark another instance wrote moments ago
   * may outlive this instance's successful send until its next one.
   */
  private readonly marked: SnapshotCache<ReadonlySet<string>>;

  /** `cacheTtlMs` 0 = every clear goes to storage. */
  constructor(tables: TableClientFactory, cacheTtlMs = 0) {
    this.table = tables.table(TABLES.reachability);
    this.marked = new SnapshotCache<ReadonlySet<string>>(cacheTtlMs, async (tenantId) => {
      const rowKeys = new Set<string>();
      for await (const entity of this.table.listEntities<ReachabilityEntity>({
        queryOptions: { filter: odata`PartitionKey eq ${tenantId}`, select: ['RowKey'] },
      }))
        rowKeys.add(entity.rowKey);
      return rowKeys;
    });
  }

  async markUnreachable(tenantId: string, recipient: Recipient, code: string, at: Date): Promise<void> {
    const who = recipient.kind === 'person' ? { personId: recipient.personId } : { teamId: recipient.teamId, channelId: recipient.channelId };
    const entity: ReachabilityEntity = { partitionKey: tenantId, rowKey: rowKeyOf(recipient), kind: recipient.kind, ...who, code, at: at.toISOString() };
    await this.table.upsertEntity(entity, 'Replace');
    this.marked.evict(tenantId);
  }

  async clear(tenantId: string, recipient: Recipient): Promise<void> {
    const marked = await this.marked.get(tenantId);
    if (marked && !marked.has(rowKeyOf(recipient))) return;
    await deleteIfPresent(this.table, tenantId, rowKeyOf(recipient));
    this.marked.evict(tenantId);
  }

  async list(tenantId: string): Promise<UnreachableRecipient[]> {
    const found: UnreachableRecipient[] = [];
    for await (const entity of this.table.listEntities<ReachabilityEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      const recipient: Recipient =
        entity.kind === 'person'
          ? { kind: 'person', personId: entity.personId ?? '' }
          : { kind: 'channel', teamId: entity.teamId ?? '', channelId: entity.channelId ?? '' };
      found.push({ recipient, code: entity.code, at: entity.at });
    }
    return found;
  }
}
