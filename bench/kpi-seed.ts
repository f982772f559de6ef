import type { TransactionAction } from '@azure/data-tables';
import { CHECKIN_TABLES } from '../src/features/checkin/checkin.repository';
import { KUDOS_TABLES } from '../src/features/kudos/kudos.repository';
import { NearMissRepository } from '../src/features/nearmiss/nearmiss.repository';
import { heldEntity, heldIndexMarker, ONEONONE_TABLES } from '../src/features/oneonone/oneonone.repository';
import { JobRunsRepository } from '../src/scheduler/job-runs.repository';
import { submitInBatches } from '../src/storage/batch';
import type { TableClientFactory } from '../src/storage/table-client-factory';
import { compositeKey } from '../src/storage/table-keys';
import type { SyntheticDay, SyntheticPair } from './kpi-history';

/**
 * Writes synthetic raw rows the way the features store them, in table transactions (100 rows of one
 * partition each): one row at a time through the repositories would take minutes at 10,000 people.
 * The entity shapes mirror the repositories' (checkins, kudos, oneonones and their held-day index, oneononepairs, leaves);
 * reports and job runs go through the repositories themselves.
 */
export async function seedRaw(
  tables: TableClientFactory,
  tenantId: string,
  pairs: readonly SyntheticPair[],
  days: readonly SyntheticDay[],
  promptedUnits: readonly string[],
): Promise<void> {
  await submitInBatches(
    tables.table(ONEONONE_TABLES.pairs),
    pairs.map((p) => [
      'upsert',
      { partitionKey: tenantId, rowKey: compositeKey(p.managerId, p.memberId), managerId: p.managerId, memberId: p.memberId, since: p.since },
      'Replace',
    ]),
  );
  const meetingRows = pairs.flatMap((p) =>
    p.held.map((day, i) => {
      const meetingId = `m${day.replaceAll('-', '')}100000-${String(i).padStart(6, '0')}`;
      const at = `${day}T01:30:00.000Z`;
      return {
        partitionKey: compositeKey(tenantId, p.managerId),
        rowKey: compositeKey(p.memberId, meetingId),
        managerId: p.managerId,
        memberId: p.memberId,
        meetingId,
        unit: p.unit,
        memberRole: p.role,
        day,
        time: '10:00',
        lengthMinutes: 30,
        status: 'held' as const,
        heldDay: day,
        heldAt: at,
        confirmedAt: '',
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
  const meetings = meetingRows.map((entity): TransactionAction => ['upsert', entity, 'Replace']);
  await inParallel(groupByPartition(meetings), 8, (actions) => submitInBatches(tables.table(ONEONONE_TABLES.meetings), actions));
  // The held-day index the repository keeps on every save, and its marker: the nightly rollup reads it, never the meetings.
  const held = meetingRows.flatMap((entity): TransactionAction[] => {
    const row = heldEntity(tenantId, entity);
    return row ? [['upsert', row, 'Replace']] : [];
  });
  await inParallel(groupByPartition(held), 8, (actions) => submitInBatches(tables.table(ONEONONE_TABLES.held), actions));
  await tables.table(ONEONONE_TABLES.held).upsertEntity(heldIndexMarker(tenantId), 'Replace');

  const kudos: TransactionAction[] = days.flatMap((d) =>
    d.kudos.map((k): TransactionAction => [
      'upsert',
      {
        partitionKey: compositeKey(tenantId, k.recipientId),
        rowKey: compositeKey(d.day, k.submitId),
        senderId: k.senderId,
        value: k.value,
        message: '',
        public: false,
        unit: k.unit,
        createdAt: `${d.day}T03:00:00.000Z`,
      },
      'Replace',
    ]),
  );
  await inParallel(groupByPartition(kudos), 8, (actions) => submitInBatches(tables.table(KUDOS_TABLES.kudos), actions));

  const checkins: TransactionAction[] = days.flatMap((d) =>
    d.checkins.map((c): TransactionAction => {
      const entity = {
        partitionKey: compositeKey(tenantId, c.unit, c.day),
        rowKey: compositeKey(c.slot, c.personId),
        personId: c.personId,
        slot: c.slot,
        answers: JSON.stringify(c.answers),
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        helpTakenBy: c.helpTakenBy ?? '',
      };
      return ['upsert', entity, 'Replace'];
    }),
  );
  await inParallel(groupByPartition(checkins), 8, (actions) => submitInBatches(tables.table(CHECKIN_TABLES.checkins), actions));
  const leaves: TransactionAction[] = days.flatMap((d) =>
    [...d.leaves].map((id): TransactionAction => ['upsert', { partitionKey: compositeKey(tenantId, d.day), rowKey: id, unit: '' }, 'Replace']),
  );
  await submitInBatches(tables.table(CHECKIN_TABLES.leaves), leaves);

  const reports = new NearMissRepository(tables);
  let seq = 0;
  const filed = days.flatMap((d) => d.nearmisses.map((n) => ({ ...n, day: d.day })));
  await inParallel(filed, 8, async (n) => {
    seq += 1;
    const at = `${n.day}T02:00:00.000Z`;
    await reports.create({
      tenantId,
      id: '',
      fiscalYear: 2026,
      seq,
      day: n.day,
      unit: n.unit,
      anonymous: true,
      occurredAt: at,
      category: n.category,
      impact: n.impact,
      what: '',
      recipientIds: [],
      status: 'received',
      createdAt: at,
      updatedAt: at,
    });
  });

  const jobRuns = new JobRunsRepository(tables);
  // The prompt jobs ran on the days whose check-ins are here.
  const office = days.filter((d) => d.office && d.checkins.length > 0);
  await inParallel(
    office.flatMap((d) =>
      promptedUnits.flatMap((unit) => (['morning', 'evening'] as const).map((slot) => ({ day: d.day, id: `checkin.prompt|${slot}|${unit}` }))),
    ),
    16,
    (run) => jobRuns.markDone(tenantId, run.day, run.id, new Date()),
  );
}

function groupByPartition(actions: readonly TransactionAction[]): TransactionAction[][] {
  const out = new Map<string, TransactionAction[]>();
  for (const action of actions) {
    const list = out.get(action[1].partitionKey);
    if (list) list.push(action);
    else out.set(action[1].partitionKey, [action]);
  }
  return [...out.values()];
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
