import { odata } from '@azure/data-tables';
import { compositeKey } from '../../storage/table-keys';
import { DEPARTED, type Found, type PersonScope, type PersonTable, asStored, columnEq, pagesOf } from '../data/data.public';
import { tenantRange } from '../../storage/table-ops';
import { OJT_TABLES } from './ojt.repository';

/** Their own partition (as junior), and the rows of others' partitions that name them as mentor or as the 課長 who assigned. */
async function* ojtRowsOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  const table = tables.table(OJT_TABLES.ojt);
  for await (const page of pagesOf(table, odata`PartitionKey eq ${compositeKey(tenantId, personId)}`))
    yield page.map((entity) => ({ entity, relations: ['junior'] }));
  const named = `${tenantRange(tenantId)} and (${columnEq('mentorId', personId)} or ${columnEq('assignedBy', personId)})`;
  for await (const page of pagesOf(table, named)) {
    const found = page
      .filter((entity) => entity.partitionKey !== compositeKey(tenantId, personId))
      .map((entity) => ({
        entity,
        relations: [...(entity.mentorId === personId ? ['mentor'] : []), ...(entity.assignedBy === personId ? ['assignedBy'] : [])],
      }));
    if (found.length > 0) yield found;
  }
}

/**
 * A plan is about its junior: a departed junior's assignment, plan and progress are deleted. A
 * departed mentor's assignments end with them (deleted: the junior needs a new mentor); the plans
 * and progress they wrote stay with the junior, naming 退職者. The 課長 who assigned becomes 退職者.
 */
export const ojtTables: PersonTable[] = [
  {
    table: OJT_TABLES.ojt,
    label: 'OJT計画（担当される職員として・指導担当として）',
    find: ojtRowsOf,
    exported: ({ entity, relations }) => ({ relations, ...asStored(entity, ['steps', 'doneSteps']) }),
    change: ({ entity, relations }) => {
      if (relations.includes('junior')) return { kind: 'delete' };
      if (relations.includes('mentor') && entity.rowKey === 'assignment') return { kind: 'delete' };
      const set: Record<string, unknown> = {};
      if (relations.includes('mentor')) set.mentorId = DEPARTED;
      if (relations.includes('assignedBy')) set.assignedBy = DEPARTED;
      return { kind: 'merge', set };
    },
  },
];
