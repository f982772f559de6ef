import { odata } from '@azure/data-tables';
import { tenantRange } from '../../../storage/table-ops';
import { CHECKIN_TABLES } from '../../checkin/checkin.public';
import { DEPARTED, type Found, type PersonScope, type PersonTable } from '../person-table';
import { dayOf, parsed, queried } from './rule-helpers';

async function* checkinsOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  const table = tables.table(CHECKIN_TABLES.checkins);
  yield* queried(table, `${tenantRange(tenantId)} and ${odata`personId eq ${personId}`}`, 'self');
  yield* queried(table, `${tenantRange(tenantId)} and ${odata`helpTakenBy eq ${personId}`}`, 'helpTakenBy');
}

/** tenant|unit|day */
const unitOf = (partitionKey: string): string => decodeURIComponent(partitionKey.split('|').at(-2) ?? '');

/**
 * A person's check-ins are theirs: deleted. A help request they took stays the reporter's record
 * ("taken", which the KPIs count), with who took it replaced by DEPARTED; the disclosure shows only
 * the day of it, not the reporter's trouble.
 */
export const checkinTables: PersonTable[] = [
  {
    table: CHECKIN_TABLES.checkins,
    label: 'チェックイン（朝・夕）と、引き受けた「助けが必要」',
    find: checkinsOf,
    exported: ({ entity, relations }) =>
      relations.includes('self')
        ? {
            day: dayOf(entity.partitionKey),
            unit: unitOf(entity.partitionKey),
            slot: entity.slot,
            answers: parsed(entity.answers),
            createdAt: entity.createdAt,
            updatedAt: entity.updatedAt,
            helpTakenBy: entity.helpTakenBy || undefined,
          }
        : { relation: 'helpTakenBy', day: dayOf(entity.partitionKey), unit: unitOf(entity.partitionKey), slot: entity.slot },
    change: ({ relations }) => (relations.includes('self') ? { kind: 'delete' } : { kind: 'merge', set: { helpTakenBy: DEPARTED } }),
  },
  {
    table: CHECKIN_TABLES.leaves,
    label: '休暇の日',
    find: ({ tables, tenantId, personId }) =>
      queried(tables.table(CHECKIN_TABLES.leaves), `${tenantRange(tenantId)} and ${odata`RowKey eq ${personId}`}`, 'self'),
    exported: ({ entity }) => ({ day: dayOf(entity.partitionKey), unit: entity.unit, half: entity.half || undefined }),
    change: () => ({ kind: 'delete' }),
  },
];
