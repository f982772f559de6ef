import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { deleteIfPresent, isChangedSinceRead } from '../storage/table-ops';
import { keyPart } from '../storage/table-keys';
import type { InstanceBeat, InstanceState } from './instance-shares';

/** deliveryinstances: PK = pool (the tenants the instances serve), RK = instance id. One heartbeat row per running instance. */
export const DELIVERY_INSTANCES_TABLE = 'deliveryinstances';

interface InstanceEntity {
  partitionKey: string;
  rowKey: string;
  /** Until when the row counts, on its writer's clock; rewritten at every beat. */
  expiresAt: string;
  /** Absent in rows written before instances lent their parts: those always send at their equal part. */
  state?: InstanceState;
}

const STATES: readonly InstanceState[] = ['idle', 'busy', 'borrowing'];
const stateOf = (stored: string | undefined): InstanceState => STATES.find((state) => state === stored) ?? 'busy';

export interface StoredBeat extends InstanceBeat {
  etag: string;
}

/**
 * The heartbeats of the instances that deliver for one pool; the rows name hosts and processes, no
 * person. Instance ids are stored as given, so they must already be key-safe (keyPart).
 */
export class DeliveryInstancesRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(DELIVERY_INSTANCES_TABLE);
  }

  async beat(pool: string, instanceId: string, expiresAt: Date, state: InstanceState): Promise<void> {
    const entity: InstanceEntity = { partitionKey: keyPart(pool), rowKey: instanceId, expiresAt: expiresAt.toISOString(), state };
    await this.table.upsertEntity(entity, 'Replace');
  }

  async list(pool: string): Promise<StoredBeat[]> {
    const found: StoredBeat[] = [];
    const rows = this.table.listEntities<InstanceEntity>({ queryOptions: { filter: odata`PartitionKey eq ${keyPart(pool)}` } });
    for await (const row of rows) found.push({ instanceId: row.rowKey, expiresAt: Date.parse(row.expiresAt), state: stateOf(row.state), etag: row.etag });
    return found;
  }

  /** Removes a row unless it was rewritten since it was read: an instance that beat again after all is kept. */
  async remove(pool: string, instanceId: string, etag?: string): Promise<void> {
    try {
      await deleteIfPresent(this.table, keyPart(pool), instanceId, etag);
    } catch (error) {
      if (!isChangedSinceRead(error)) throw error;
    }
  }
}
