import { odata } from '@azure/data-tables';
import { compositeKey } from '../../../storage/table-keys';
import type { PersonTable } from '../person-table';
import { DATA_TABLES, PAIR_END_PREFIX } from '../retention.repository';
import { keyStartsWith } from '../../../storage/table-ops';
import { queried } from './rule-helpers';

/** The retention job's marks of 1on1 pairs that ended: the pair is gone with the person, so are its marks. */
export const retentionTables: PersonTable[] = [
  {
    table: DATA_TABLES.retention,
    label: '終了した 1on1 の組（保存期間の起算日）',
    find: ({ tables, tenantId, personId }) =>
      queried(
        tables.table(DATA_TABLES.retention),
        `${odata`PartitionKey eq ${compositeKey(tenantId)}`} and ${keyStartsWith('RowKey', PAIR_END_PREFIX)} and ${odata`(managerId eq ${personId} or memberId eq ${personId})`}`,
        'pair',
      ),
    exported: ({ entity }) => ({ managerId: entity.managerId, memberId: entity.memberId, endedOn: entity.endedOn }),
    change: () => ({ kind: 'delete' }),
  },
];
