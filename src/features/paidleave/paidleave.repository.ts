import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../../storage/batch';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { emptyIfNoTable, findEntity } from '../../storage/table-ops';
import type { PaidLeaveGrant } from './paidleave.schema';

/** paidleave: PK = tenant|FY2026, RK = person id. A fiscal year's grants are one partition query. */
export const PAIDLEAVE_TABLE = 'paidleave';

type GrantEntity = {
  partitionKey: string;
  rowKey: string;
  fiscalYear: number;
  grantedDays: number;
  takenDays?: number;
  takenAsOf?: string;
  importedAt: string;
};

const double = (value: number) => ({ value: String(value), type: 'Double' as const });

export class PaidLeaveRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(PAIDLEAVE_TABLE);
  }

  static partitionOf(tenantId: string, fiscalYear: number): string {
    return compositeKey(tenantId, `FY${fiscalYear}`);
  }

  /** Every grant of a fiscal year; none when HR never imported (or the table is not there yet). */
  async listYear(tenantId: string, fiscalYear: number): Promise<PaidLeaveGrant[]> {
    const out: PaidLeaveGrant[] = [];
    const filter = odata`PartitionKey eq ${PaidLeaveRepository.partitionOf(tenantId, fiscalYear)}`;
    for await (const entity of emptyIfNoTable(this.table.listEntities<GrantEntity>({ queryOptions: { filter } }))) out.push(toGrant(entity));
    return out;
  }

  async get(tenantId: string, fiscalYear: number, personId: string): Promise<PaidLeaveGrant | undefined> {
    const entity = await findEntity<GrantEntity>(this.table, PaidLeaveRepository.partitionOf(tenantId, fiscalYear), personId);
    return entity ? toGrant(entity) : undefined;
  }

  /** Replaces each person's row for its year: importing the same file again writes the same rows. */
  async replace(tenantId: string, grants: readonly PaidLeaveGrant[]): Promise<void> {
    const actions = grants.map((grant): TransactionAction => {
      const entity = {
        partitionKey: PaidLeaveRepository.partitionOf(tenantId, grant.fiscalYear),
        rowKey: grant.personId,
        fiscalYear: grant.fiscalYear,
        grantedDays: double(grant.grantedDays),
        importedAt: grant.importedAt,
        ...(grant.takenDays !== undefined && grant.takenAsOf !== undefined ? { takenDays: double(grant.takenDays), takenAsOf: grant.takenAsOf } : {}),
      };
      return ['upsert', entity, 'Replace'];
    });
    await submitInBatches(this.table, actions);
  }
}

function toGrant(entity: GrantEntity): PaidLeaveGrant {
  return {
    fiscalYear: entity.fiscalYear,
    personId: entity.rowKey,
    grantedDays: entity.grantedDays,
    takenDays: entity.takenDays ?? undefined,
    takenAsOf: entity.takenAsOf || undefined,
    importedAt: entity.importedAt,
  };
}
