import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../storage/batch';
import type { TableClientFactory } from '../storage/table-client-factory';
import { findEntity } from '../storage/table-ops';
import type { EntraUser } from './entra-user';
import { syncMappingSchema, type SyncMapping } from './org-sync-mapping';

export const ORG_SYNC_TABLES = {
  /** orgsync: PK = tenant, RK = "state". Where the next run starts, and the mapping HR last applied. */
  state: 'orgsync',
  /** orgsyncusers: PK = tenant, RK = Entra object id. The Entra users as of the last applied run. */
  users: 'orgsyncusers',
} as const;

type StateEntity = {
  partitionKey: string;
  rowKey: string;
  deltaLink: string;
  deltaLinkAt: string;
  mapping: string;
  syncedAt: string;
};

type UserEntity = Omit<EntraUser, 'id'> & { partitionKey: string; rowKey: string };

export interface OrgSyncState {
  deltaLink: string;
  /** When Graph gave the link: older than Graph keeps links, the next run reads everyone again. */
  deltaLinkAt: Date;
  mapping: SyncMapping;
  syncedAt: Date;
}

function toUser(entity: UserEntity): EntraUser {
  const { partitionKey: _pk, rowKey, ...rest } = entity;
  const user: EntraUser = { id: rowKey };
  for (const key of [
    'displayName',
    'givenName',
    'surname',
    'mail',
    'userPrincipalName',
    'department',
    'jobTitle',
    'employeeId',
    'userType',
    'managerId',
  ] as const) {
    const value = rest[key];
    if (typeof value === 'string' && value !== '') user[key] = value;
  }
  if (typeof rest.accountEnabled === 'boolean') user.accountEnabled = rest.accountEnabled;
  return user;
}

function sameUser(a: EntraUser | undefined, b: EntraUser): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof EntraUser)[]);
  return [...keys].every((key) => a[key] === b[key]);
}

export class OrgSyncRepository {
  private readonly state: TableClient;
  private readonly users: TableClient;

  constructor(tables: TableClientFactory) {
    this.state = tables.table(ORG_SYNC_TABLES.state);
    this.users = tables.table(ORG_SYNC_TABLES.users);
  }

  async getState(tenantId: string): Promise<OrgSyncState | undefined> {
    const entity = await findEntity<StateEntity>(this.state, tenantId, 'state');
    if (!entity) return undefined;
    return {
      deltaLink: entity.deltaLink,
      deltaLinkAt: new Date(entity.deltaLinkAt),
      mapping: syncMappingSchema.parse(JSON.parse(entity.mapping)),
      syncedAt: new Date(entity.syncedAt),
    };
  }

  /** Written last in a run: a run cut short before it starts again from the old link and applies the same changes. */
  async saveState(tenantId: string, state: OrgSyncState): Promise<void> {
    await this.state.upsertEntity<StateEntity>(
      {
        partitionKey: tenantId,
        rowKey: 'state',
        deltaLink: state.deltaLink,
        deltaLinkAt: state.deltaLinkAt.toISOString(),
        mapping: JSON.stringify(state.mapping),
        syncedAt: state.syncedAt.toISOString(),
      },
      'Replace',
    );
  }

  async listUsers(tenantId: string): Promise<Map<string, EntraUser>> {
    const out = new Map<string, EntraUser>();
    for await (const entity of this.users.listEntities<UserEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      out.set(entity.rowKey, toUser(entity));
    }
    return out;
  }

  /** Writes only the users that differ from what was kept, and removes the ones that are gone. */
  async saveUsers(tenantId: string, before: ReadonlyMap<string, EntraUser>, after: ReadonlyMap<string, EntraUser>): Promise<void> {
    const actions: TransactionAction[] = [];
    for (const [id, user] of after) {
      if (sameUser(before.get(id), user)) continue;
      const { id: _id, ...fields } = user;
      actions.push(['upsert', { partitionKey: tenantId, rowKey: id, ...fields }, 'Replace']);
    }
    for (const id of before.keys()) if (!after.has(id)) actions.push(['delete', { partitionKey: tenantId, rowKey: id }]);
    await submitInBatches(this.users, actions);
  }
}
