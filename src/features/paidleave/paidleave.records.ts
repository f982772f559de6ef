import { odata } from '@azure/data-tables';
import { type Found, type PersonScope, type PersonTable, pagesOf } from '../data/data.public';
import { emptyIfNoTable, tenantRange } from '../../storage/table-ops';
import { PAIDLEAVE_TABLE } from './paidleave.repository';

/** A person's rows: one per fiscal year HR imported, in the tenant's `tenant|FY…` partitions. */
async function* grantsOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  const pages = pagesOf(tables.table(PAIDLEAVE_TABLE), `${tenantRange(tenantId)} and ${odata`RowKey eq ${personId}`}`);
  // A storage account where no paid leave was ever imported has no table: nothing of theirs is in it.
  for await (const page of emptyIfNoTable(pages)) yield page.map((entity) => ({ entity, relations: ['self'] }));
}

/** HR's import of a person's paid leave is theirs alone: shown in full, deleted with them. */
export const paidLeaveTables: PersonTable[] = [
  {
    table: PAIDLEAVE_TABLE,
    label: '有給休暇（人事の取り込み: 付与日数・取得日数）',
    find: grantsOf,
    exported: ({ entity }) => ({
      fiscalYear: entity.fiscalYear,
      grantedDays: entity.grantedDays,
      takenDays: entity.takenDays,
      takenAsOf: entity.takenAsOf,
      importedAt: entity.importedAt,
    }),
    change: () => ({ kind: 'delete' }),
  },
];
