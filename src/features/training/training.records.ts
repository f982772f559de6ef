import { odata } from '@azure/data-tables';
import { type Found, type PersonScope, type PersonTable, keyParts, queried } from '../data/data.public';
import { emptyIfNoTable, tenantRange } from '../../storage/table-ops';
import { TRAINING_TABLES } from './training.repository';

async function* attendanceOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  // An account hibi has not run on since trainings came has no such table: nothing of theirs is in it.
  yield* emptyIfNoTable(queried(tables.table(TRAINING_TABLES.attendance), `${tenantRange(tenantId)} and ${odata`RowKey eq ${personId}`}`, 'self'));
}

/**
 * A person's attendance rows (their own answer and HR's record, one per training) are theirs: shown
 * in full and deleted with them. The trainings themselves name no one (TABLES_WITHOUT_PERSONS).
 */
export const trainingTables: PersonTable[] = [
  {
    table: TRAINING_TABLES.attendance,
    label: '研修の受講記録（本人の回答と人事の記録）',
    find: attendanceOf,
    exported: ({ entity }) => ({
      trainingId: keyParts(entity.partitionKey).at(-1),
      self: entity.self || undefined,
      selfNote: entity.selfNote || undefined,
      selfAt: entity.selfAt || undefined,
      hr: entity.hr || undefined,
      hrAt: entity.hrAt || undefined,
    }),
    change: () => ({ kind: 'delete' }),
  },
];
