import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { findEntity } from '../storage/table-ops';

/**
 * teamsusers: PK = tenant, RK = person id -> Teams' own user id (29:...). Learnt from the rosters of
 * the teams hibi is in, so a person who never opened hibi's chat can still get a personal message.
 */
type TeamsUserEntity = { partitionKey: string; rowKey: string; userId: string };

export class TeamsUsersRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(TABLES.teamsUsers);
  }

  async save(tenantId: string, personId: string, userId: string): Promise<void> {
    await this.table.upsertEntity<TeamsUserEntity>({ partitionKey: tenantId, rowKey: personId, userId }, 'Replace');
  }

  async get(tenantId: string, personId: string): Promise<string | undefined> {
    return (await findEntity<TeamsUserEntity>(this.table, tenantId, personId))?.userId;
  }
}
