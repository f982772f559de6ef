import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { tokyoDay } from '../../calendar/office-calendar';
import { forEachLimited } from '../../shared/concurrency';
import { submitInBatches } from '../../storage/batch';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { isChangedSinceRead, tenantRange } from '../../storage/table-ops';
import { compositeKey } from '../../storage/table-keys';
import { TABLES } from '../../storage/table-names';
import { CHECKIN_TABLES } from '../checkin/checkin.public';
import { KPI_TABLES } from '../kpi/kpi.public';
import { NEARMISS_TABLES } from '../nearmiss/nearmiss.public';
import { ONEONONE_TABLES } from '../oneonone/oneonone.public';
import { deletePaidLeaveYears } from '../paidleave/paidleave.public';
import { blankTrainingNotes, deleteTrainingsOfYears } from '../training/training.public';
import { RetentionRepository } from './retention.repository';
import {
  blankedAnswers,
  bookedBeforeKey,
  bookingDayOf,
  cutoffDay,
  cutoffInstant,
  lastFiscalYearEndedBy,
  NEARMISS_TEXT_COLUMNS,
  textsExpired,
} from './retention.rules';
import type { RetentionSettings } from './retention.settings';
import { parsed } from './person-records/rule-helpers';
import { keyParts, pagesOf, pointRead } from './table-scan';

export interface RetentionDeps {
  tables: TableClientFactory;
  /** Where the KPI rollups are (HR's own account, or the main one). */
  hrTables: TableClientFactory;
}

/** Rows changed by one run, per rule; a second run the same day finds 0 everywhere. */
export interface RetentionOutcome {
  checkinTexts: number;
  oneononeTexts: number;
  nearmissTexts: number;
  outboxRows: number;
  kpiDailyRows: number;
  paidLeaveRows: number;
  trainingRows: number;
  trainingNotes: number;
}

/** Writes in flight at once: the job shares the storage account with the day's turns. */
const WIDTH = 8;

/**
 * Applies the tenant's retention settings as of `now`. Every rule reads a page at a time and only
 * the rows past their time, and leaves a row it already handled as it is, so a run cut short just
 * runs again.
 */
export async function applyRetention(deps: RetentionDeps, tenantId: string, now: Date): Promise<RetentionOutcome> {
  const repository = new RetentionRepository(deps.tables);
  await repository.ensureTable();
  const settings: RetentionSettings = await repository.settings(tenantId);
  const months = (value: number | null, rule: (m: number) => Promise<number>): Promise<number> => (value === null ? Promise.resolve(0) : rule(value));
  return {
    checkinTexts: await months(settings.checkinTextMonths, (m) => blankCheckinTexts(deps, repository, tenantId, cutoffInstant(now, m))),
    oneononeTexts: await months(settings.oneononeTextMonths, (m) => deleteOneononeTexts(deps, repository, tenantId, tokyoDay(now), cutoffDay(now, m))),
    nearmissTexts: await months(settings.nearmissTextMonths, (m) => blankNearmissTexts(deps, tenantId, cutoffInstant(now, m))),
    outboxRows: await months(settings.outboxMonths, (m) => deleteDays(deps.tables, TABLES.outbox, tenantId, cutoffDay(now, m))),
    kpiDailyRows: await months(settings.kpiDailyMonths, (m) => deleteDays(deps.hrTables, KPI_TABLES.daily, tenantId, cutoffDay(now, m))),
    paidLeaveRows: await months(settings.paidLeaveMonths, (m) => deletePaidLeaveYears(deps.tables, tenantId, lastFiscalYearEndedBy(cutoffDay(now, m)))),
    trainingRows: await months(settings.trainingMonths, (m) => deleteTrainingsOfYears(deps.tables, tenantId, lastFiscalYearEndedBy(cutoffDay(now, m)))),
    trainingNotes: await months(settings.trainingNoteMonths, (m) => blankTrainingNotes(deps.tables, tenantId, cutoffInstant(now, m))),
  };
}

/**
 * Check-ins created before `before` lose their free text. The job remembers how far it got, so each
 * night reads about one day of check-ins rather than every old one again.
 */
async function blankCheckinTexts(deps: RetentionDeps, repository: RetentionRepository, tenantId: string, before: string): Promise<number> {
  const { checkinTextsBefore: done } = await repository.state(tenantId);
  if (done !== undefined && done >= before) return 0;
  const table = deps.tables.table(CHECKIN_TABLES.checkins);
  const window = done ? odata`createdAt ge ${done} and createdAt lt ${before}` : odata`createdAt lt ${before}`;
  let changed = 0;
  for await (const page of pagesOf(table, `${tenantRange(tenantId)} and ${window}`, { select: ['answers'] })) {
    await forEachLimited(page, WIDTH, async (row) => {
      const answers = parsed(row.answers);
      // A row whose answers no longer read as an object is left for a person to look at, not failed on every night.
      const blanked = answers && typeof answers === 'object' ? blankedAnswers(answers as Record<string, unknown>) : undefined;
      if (!blanked) return;
      await table.updateEntity({ partitionKey: row.partitionKey, rowKey: row.rowKey, answers: JSON.stringify(blanked) }, 'Merge');
      changed += 1;
    });
  }
  await repository.saveState(tenantId, { checkinTextsBefore: before });
  return changed;
}

/**
 * 1on1 texts of pairs no longer in the directory, `cutoff` or more after the pair ended (the day this
 * job first saw it gone) or, when that is not known, after the meeting. The directory is read as a
 * map of who reports to whom (ids only), the pairs a page at a time.
 */
async function deleteOneononeTexts(deps: RetentionDeps, repository: RetentionRepository, tenantId: string, today: string, cutoff: string): Promise<number> {
  const managerOf = new Map<string, string>();
  for await (const page of pagesOf(deps.tables.table(TABLES.people), odata`PartitionKey eq ${compositeKey(tenantId)}`, { select: ['managerId', 'active'] })) {
    for (const row of page) if (row.active === true) managerOf.set(row.rowKey, String(row.managerId ?? ''));
  }
  const isCurrent = (managerId: string, memberId: string): boolean => managerOf.get(memberId) === managerId && managerOf.has(managerId);

  const ends = await repository.pairEnds(tenantId);
  for await (const page of pagesOf(deps.tables.table(ONEONONE_TABLES.pairs), odata`PartitionKey eq ${compositeKey(tenantId)}`, {
    select: ['managerId', 'memberId'],
  })) {
    for (const row of page) {
      const [managerId, memberId] = [String(row.managerId), String(row.memberId)];
      const key = compositeKey(managerId, memberId);
      if (isCurrent(managerId, memberId)) {
        if (ends.delete(key)) await repository.clearPairEnd(tenantId, managerId, memberId);
      } else if (!ends.has(key)) {
        await repository.markPairEnded(tenantId, managerId, memberId, today);
        ends.set(key, today);
      }
    }
  }

  const texts = deps.tables.table(ONEONONE_TABLES.texts);
  const meetings = deps.tables.table(ONEONONE_TABLES.meetings);
  let deleted = 0;
  const filter = `${tenantRange(tenantId)} and ${odata`RowKey lt ${bookedBeforeKey(cutoff)}`}`;
  for await (const page of pagesOf(texts, filter, { select: [] })) {
    const expired: TransactionAction[] = [];
    for (const row of page) {
      const [, managerId = '', memberId = ''] = keyParts(row.partitionKey);
      const [meetingId = ''] = keyParts(row.rowKey);
      const current = isCurrent(managerId, memberId);
      const endedOn = ends.get(compositeKey(managerId, memberId));
      const meetingDay = current || endedOn ? undefined : await dayOfMeeting(meetings, tenantId, managerId, memberId, meetingId);
      if (textsExpired({ current, endedOn, meetingDay }, cutoff)) expired.push(['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]);
    }
    await submitInBatches(texts, expired);
    deleted += expired.length;
  }
  return deleted;
}

async function dayOfMeeting(meetings: TableClient, tenantId: string, managerId: string, memberId: string, meetingId: string): Promise<string | undefined> {
  const row = await pointRead(meetings, compositeKey(tenantId, managerId), compositeKey(memberId, meetingId));
  return typeof row?.day === 'string' && row.day ? row.day : bookingDayOf(meetingId);
}

/** Near-misses filed before `before` lose their free texts (only when HR set a limit: by default they are the safety record). */
async function blankNearmissTexts(deps: RetentionDeps, tenantId: string, before: string): Promise<number> {
  const table = deps.tables.table(NEARMISS_TABLES.reports);
  let changed = 0;
  for await (const page of pagesOf(table, `${tenantRange(tenantId)} and ${odata`createdAt lt ${before}`}`, { select: [...NEARMISS_TEXT_COLUMNS] })) {
    for (const row of page) {
      if (!NEARMISS_TEXT_COLUMNS.some((column) => typeof row[column] === 'string' && row[column] !== '')) continue;
      const blank = Object.fromEntries(NEARMISS_TEXT_COLUMNS.map((column) => [column, '']));
      try {
        // If-Match: a recipient taking a step at this moment wins; the report is blanked the next night.
        await table.updateEntity({ partitionKey: row.partitionKey, rowKey: row.rowKey, ...blank }, 'Merge', { etag: row.etag });
        changed += 1;
      } catch (error) {
        if (!isChangedSinceRead(error)) throw error;
      }
    }
  }
  return changed;
}

/** Rows of `tenant|<day>` partitions before `cutoff` (the outbox, HR's daily rollups): the day is the partition, so this is one range. */
async function deleteDays(tables: TableClientFactory, name: string, tenantId: string, cutoff: string): Promise<number> {
  const table = tables.table(name);
  const filter = odata`PartitionKey ge ${`${compositeKey(tenantId)}|`} and PartitionKey lt ${compositeKey(tenantId, cutoff)}`;
  let deleted = 0;
  for await (const page of pagesOf(table, filter, { select: [] })) {
    await submitInBatches(
      table,
      page.map((row): TransactionAction => ['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]),
    );
    deleted += page.length;
  }
  return deleted;
}
