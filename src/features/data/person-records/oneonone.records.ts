import { odata } from '@azure/data-tables';
import { compositeKey } from '../../../storage/table-keys';
import { ONEONONE_TABLES } from '../../oneonone/oneonone.public';
import { DEPARTED, type Change, type Found, type PersonScope, type PersonTable } from '../person-table';
import { keyParts, pagesOf, storedColumns } from '../table-scan';
import { tenantRange } from '../../../storage/table-ops';
import { asStored, oneRow, parsed, queried } from './rule-helpers';

/** Everyone the person had 1on1s with as a member, from the meetings and the pairs (and DEPARTED, for a manager already purged). */
async function managersOf({ tables, tenantId, personId }: PersonScope): Promise<Set<string>> {
  const out = new Set([DEPARTED]);
  const meetings = pagesOf(tables.table(ONEONONE_TABLES.meetings), `${tenantRange(tenantId)} and ${odata`memberId eq ${personId}`}`, { select: ['managerId'] });
  for await (const page of meetings) for (const row of page) out.add(String(row.managerId));
  const pairs = pagesOf(tables.table(ONEONONE_TABLES.pairs), odata`PartitionKey eq ${compositeKey(tenantId)} and memberId eq ${personId}`, {
    select: ['managerId'],
  });
  for await (const page of pairs) for (const row of page) out.add(String(row.managerId));
  return out;
}

async function* textsOf(scope: PersonScope): AsyncGenerator<Found[]> {
  const { tables, tenantId, personId } = scope;
  const table = tables.table(ONEONONE_TABLES.texts);
  const own = compositeKey(tenantId, personId);
  yield* queried(table, odata`PartitionKey ge ${`${own}|`} and PartitionKey lt ${`${own}}`}`, 'manager');
  for (const managerId of await managersOf(scope)) yield* queried(table, odata`PartitionKey eq ${compositeKey(tenantId, managerId, personId)}`, 'member');
}

/** A record's actions carry who pressed 完了; the departed manager's presses become DEPARTED's. */
function bodyWithout(body: unknown, personId: string): unknown {
  const value = parsed(body) as { actions?: { doneBy?: string }[] } | undefined;
  if (!value || typeof value !== 'object' || !Array.isArray(value.actions)) return body;
  return JSON.stringify({ ...value, actions: value.actions.map((a) => (a.doneBy === personId ? { ...a, doneBy: DEPARTED } : a)) });
}

/**
 * 1on1 texts are about the member. A departed member's are deleted (what their manager wrote about
 * them included). A departed manager's stay with the member who is still here (their agenda, their
 * record, their actions), under DEPARTED as the manager: the 5-year retention removes them in time.
 */
function textChange({ entity, relations }: Found, personId: string): Change {
  if (relations.includes('member')) return { kind: 'delete' };
  const [tenantId = '', , memberId = ''] = keyParts(entity.partitionKey);
  return {
    kind: 'move',
    entity: {
      ...storedColumns(entity),
      partitionKey: compositeKey(tenantId, DEPARTED, memberId),
      authorId: entity.authorId === personId ? DEPARTED : entity.authorId,
      body: bodyWithout(entity.body, personId),
    },
  };
}

/**
 * A 1on1 that took place (or was cancelled) is also the other person's history and HR's 実施率:
 * kept, the departed side renamed DEPARTED (its keys name them, so the row moves). One still only
 * booked will never happen: deleted.
 */
function meetingChange({ entity, relations }: Found): Change {
  if (entity.status === 'scheduled') return { kind: 'delete' };
  const stored = storedColumns(entity);
  if (relations.includes('manager')) {
    const [tenantId = ''] = keyParts(entity.partitionKey);
    return { kind: 'move', entity: { ...stored, partitionKey: compositeKey(tenantId, DEPARTED), managerId: DEPARTED } };
  }
  return { kind: 'move', entity: { ...stored, rowKey: compositeKey(DEPARTED, String(entity.meetingId)), memberId: DEPARTED } };
}

/**
 * The held index says the same as the held meetings it lists, so it changes as they do: the departed
 * side renamed 退職者 (the row key names them, so the row moves) and the counts HR sees stay whole.
 */
function heldChange({ entity, relations }: Found): Change {
  const [managerId = '', memberId = '', meetingId = ''] = keyParts(entity.rowKey);
  const stored = storedColumns(entity);
  if (relations.includes('manager')) return { kind: 'move', entity: { ...stored, rowKey: compositeKey(DEPARTED, memberId, meetingId), managerId: DEPARTED } };
  return { kind: 'move', entity: { ...stored, rowKey: compositeKey(managerId, DEPARTED, meetingId), memberId: DEPARTED } };
}

type IndexedPair = { managerId?: unknown; memberId?: unknown };
const namesPerson = (personId: string) => (m: IndexedPair) => m.managerId === personId || m.memberId === personId;
const indexedOf = (entity: Found['entity']): IndexedPair[] => {
  const value = parsed(entity.meetings);
  return Array.isArray(value) ? (value as IndexedPair[]) : [];
};

/**
 * The open actions index (PK tenant|person, RK ""): the person's own row, and the rows of those they
 * had 1on1s with, whose entries for those pairs name them (one row a person: the tenant's are read).
 */
async function* openActionsOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  const table = tables.table(ONEONONE_TABLES.openActions);
  const ownPartition = compositeKey(tenantId, personId);
  yield* oneRow(table, ownPartition, '', 'owner');
  for await (const page of pagesOf(table, tenantRange(tenantId))) {
    const partners = page.filter((row) => row.partitionKey !== ownPartition && indexedOf(row).some(namesPerson(personId)));
    if (partners.length > 0) yield partners.map((entity) => ({ entity, relations: ['partner'] }));
  }
}

/** The pairs ended with the departure: their entries go (the index only points at 1on1 records, which have their own rule). */
function openActionsChange({ entity, relations }: Found, personId: string): Change {
  if (relations.includes('owner')) return { kind: 'delete' };
  return { kind: 'merge', set: { meetings: JSON.stringify(indexedOf(entity).filter((m) => !namesPerson(personId)(m))) } };
}

const textRow = ({ entity, relations }: Found): Record<string, unknown> => {
  const [, managerId, memberId] = keyParts(entity.partitionKey);
  const [meetingId, kind] = keyParts(entity.rowKey);
  return { relation: relations[0], managerId, memberId, meetingId, kind, authorId: entity.authorId, updatedAt: entity.updatedAt, body: parsed(entity.body) };
};

/** Who set HR's 1on1 settings: the setting stays, the name of who set it goes. */
const updatedByTable = (table: string, label: string): PersonTable => ({
  table,
  label,
  find: ({ tables, tenantId, personId }) =>
    queried(tables.table(table), odata`PartitionKey eq ${compositeKey(tenantId)} and updatedBy eq ${personId}`, 'updatedBy'),
  exported: (found) => ({ relation: 'updatedBy', ...asStored(found.entity) }),
  change: () => ({ kind: 'merge', set: { updatedBy: DEPARTED } }),
});

export const oneononeTables: PersonTable[] = [
  {
    table: ONEONONE_TABLES.texts,
    label: '1on1 の記入（アジェンダ・記録・コメント）',
    find: textsOf,
    exported: textRow,
    change: textChange,
  },
  {
    table: ONEONONE_TABLES.meetings,
    label: '1on1 の予定と実施',
    find: ({ tables, tenantId, personId }) => {
      const table = tables.table(ONEONONE_TABLES.meetings);
      return (async function* () {
        yield* queried(table, odata`PartitionKey eq ${compositeKey(tenantId, personId)}`, 'manager');
        yield* queried(table, `${tenantRange(tenantId)} and ${odata`memberId eq ${personId}`}`, 'member');
      })();
    },
    exported: ({ entity, relations }) => ({ relation: relations[0], ...asStored(entity) }),
    change: meetingChange,
  },
  {
    table: ONEONONE_TABLES.held,
    label: '1on1 の実施日の索引',
    find: ({ tables, tenantId, personId }) => {
      const table = tables.table(ONEONONE_TABLES.held);
      return (async function* () {
        yield* queried(table, `${tenantRange(tenantId)} and ${odata`managerId eq ${personId}`}`, 'manager');
        yield* queried(table, `${tenantRange(tenantId)} and ${odata`memberId eq ${personId}`}`, 'member');
      })();
    },
    exported: ({ entity, relations }) => ({ relation: relations[0], ...asStored(entity) }),
    change: heldChange,
  },
  {
    table: ONEONONE_TABLES.openActions,
    label: '1on1 の未完了アクションの索引',
    find: openActionsOf,
    // A partner's row lists the partner's own actions: the pair's record, disclosed with the texts, already holds them.
    exported: ({ entity, relations }) => (relations.includes('owner') ? { relation: 'owner', ...asStored(entity, ['meetings']) } : undefined),
    change: openActionsChange,
  },
  {
    table: ONEONONE_TABLES.pairs,
    label: '1on1 の組（上司と部下）',
    find: ({ tables, tenantId, personId }) =>
      queried(
        tables.table(ONEONONE_TABLES.pairs),
        odata`PartitionKey eq ${compositeKey(tenantId)} and (managerId eq ${personId} or memberId eq ${personId})`,
        'pair',
      ),
    exported: (found) => asStored(found.entity),
    // The pair ended with the departure; its cadence means nothing without it.
    change: () => ({ kind: 'delete' }),
  },
  updatedByTable(ONEONONE_TABLES.unitCadences, '課の 1on1 頻度の設定者'),
  updatedByTable(ONEONONE_TABLES.settings, '1on1 リマインド時刻の設定者'),
];
