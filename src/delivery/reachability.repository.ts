import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { rowKeyOf } from './conversation-references.repository';
import type { Recipient } from './delivery.types';
import { isNotFound } from '../storage/table-errors';

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

  constructor(tables: TableClientFactory) {
    this.table = tables.table(TABLES.reachability);
  }

  async markUnreachable(tenantId: string, recipient: Recipient, code: string, at: Date): Promise<void> {
    const who = recipient.kind === 'person' ? { personId: recipient.personId } : { teamId: recipient.teamId, channelId: recipient.channelId };
    const entity: ReachabilityEntity = { partitionKey: tenantId, rowKey: rowKeyOf(recipient), kind: recipient.kind, ...who, code, at: at.toISOString() };
    await this.table.upsertEntity(entity, 'Replace');
  }

  async clear(tenantId: string, recipient: Recipient): Promise<void> {
    try {
      await this.table.deleteEntity(tenantId, rowKeyOf(recipient));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async list(tenantId: string): Promise<UnreachableRecipient[]> {
    const found: UnreachableRecipient[] = [];
    for await (const entity of this.table.listEntities<ReachabilityEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      const recipient: Recipient =
        entity.kind === 'person' ? { kind: 'person', personId: entity.personId ?? '' } : { kind: 'channel', teamId: entity.teamId ?? '', channelId: entity.channelId ?? '' };
      found.push({ recipient, code: entity.code, at: entity.at });
    }
    return found;
  }
}
