import { odata } from '@azure/data-tables';
import { fiscalPeriodOf } from '../../calendar/office-calendar';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { emptyIfNoTable, isChangedSinceRead, tenantRange } from '../../storage/table-ops';
import { pagesOf } from '../data/data.public';
import { TRAINING_TABLES, TrainingRepository } from './training.repository';

/**
 * The data lifecycle's rule for the word people add on the attendance card: answered before `before`
 * (an instant), it is emptied; the answer itself stays for the KPI. Returns how many were emptied.
 */
export async function blankTrainingNotes(tables: TableClientFactory, tenantId: string, before: string): Promise<number> {
  const table = tables.table(TRAINING_TABLES.attendance);
  const filter = `${tenantRange(tenantId)} and ${odata`selfAt lt ${before} and selfNote ne ${''}`}`;
  let changed = 0;
  for await (const page of emptyIfNoTable(pagesOf(table, filter, { select: ['selfNote'] }))) {
    for (const row of page) {
      try {
        // If-Match: an answer changed at this moment wins; its word is emptied when its own time comes.
        await table.updateEntity({ partitionKey: row.partitionKey, rowKey: row.rowKey, selfNote: '' }, 'Merge', { etag: row.etag });
        changed += 1;
      } catch (error) {
        if (!isChangedSinceRead(error)) throw error;
      }
    }
  }
  return changed;
}

/**
 * The data lifecycle's rule for trainings: one that started in a fiscal year up to `lastYear` goes,
 * with every attendance row of it (the KPI periods keep their own figures of those years). Returns
 * how many rows went; run again, 0.
 */
export async function deleteTrainingsOfYears(tables: TableClientFactory, tenantId: string, lastYear: number): Promise<number> {
  const trainings = new TrainingRepository(tables);
  let deleted = 0;
  for (const training of await trainings.list(tenantId)) {
    if (fiscalPeriodOf(training.startDay).fiscalYear <= lastYear) deleted += await trainings.deleteWithAttendance(tenantId, training.id);
  }
  return deleted;
}
