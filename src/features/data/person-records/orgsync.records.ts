import { odata } from '@azure/data-tables';
import { compositeKey } from '../../../storage/table-keys';
import { TABLES } from '../../../storage/table-names';
import { ORG_SYNC_TABLES } from '../../../directory/org-sync.repository';
import type { Change, Found, PersonScope, PersonTable } from '../person-table';
import { pointRead } from '../table-scan';
import { asStored, parsed, queried } from './rule-helpers';

/** How Entra knows the person: their object id and mail / UPN, from the directory row (purged last, so still there). */
async function entraIdsOf({ tables, tenantId, personId }: PersonScope): Promise<{ aad?: string; email?: string }> {
  const person = await pointRead(tables.table(TABLES.people), compositeKey(tenantId), personId);
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined);
  return { aad: text(person?.aadObjectId), email: text(person?.email) };
}

/** The person's own Entra user row (by object id, or the employeeId that names them), and the users they manage, each row once. */
async function* entraUsersOf(scope: PersonScope): AsyncGenerator<Found[]> {
  const table = scope.tables.table(ORG_SYNC_TABLES.users);
  const { aad } = await entraIdsOf(scope);
  const seen = new Set<string>();
  const once = async function* (rows: AsyncGenerator<Found[]>): AsyncGenerator<Found[]> {
    for await (const page of rows) {
      const fresh = page.filter((f) => !seen.has(f.entity.rowKey));
      for (const f of fresh) seen.add(f.entity.rowKey);
      if (fresh.length > 0) yield fresh;
    }
  };
  const own = aad
    ? odata`PartitionKey eq ${scope.tenantId} and (employeeId eq ${scope.personId} or RowKey eq ${aad})`
    : odata`PartitionKey eq ${scope.tenantId} and employeeId eq ${scope.personId}`;
  yield* once(queried(table, own, 'self'));
  if (aad) yield* once(queried(table, odata`PartitionKey eq ${scope.tenantId} and managerId eq ${aad}`, 'manager'));
}

/** HR's mapping names people by mail / UPN in its 人事 and 除外 lists: the state row, when it names this person. */
async function* mappingOf(scope: PersonScope): AsyncGenerator<Found[]> {
  const { email } = await entraIdsOf(scope);
  if (!email) return;
  const row = await pointRead(scope.tables.table(ORG_SYNC_TABLES.state), scope.tenantId, 'state');
  const mapping = parsed(row?.mapping) as { hr?: string[]; exclude?: string[] } | undefined;
  const names = (list: string[] | undefined): boolean => (list ?? []).some((upn) => upn.toLowerCase() === email);
  // The address rides along as a relation: the purge removes exactly the one the row was found by.
  if (row && (names(mapping?.hr) || names(mapping?.exclude))) yield [{ entity: row, relations: ['mapping', `email:${email}`] }];
}

function mappingWithout(value: unknown, email: string): string {
  const mapping = parsed(value) as Record<string, unknown>;
  const without = (list: unknown): unknown => (Array.isArray(list) ? list.filter((upn) => typeof upn !== 'string' || upn.toLowerCase() !== email) : list);
  return JSON.stringify({ ...mapping, hr: without(mapping.hr), exclude: without(mapping.exclude) });
}

/**
 * What `npm run org:sync` keeps of Entra ID: the person's own user row is deleted (Entra still has
 * them while their account lives: the next sync reads it again); where they manage someone, that
 * user's managerId is blanked; HR's mapping loses their address from its 人事 and 除外 lists.
 */
export const orgSyncTables: PersonTable[] = [
  {
    table: ORG_SYNC_TABLES.users,
    label: 'Entra ID から読んだ利用者（org:sync の控え）',
    find: entraUsersOf,
    exported: (found) => (found.relations.includes('self') ? asStored(found.entity) : { managerOf: found.entity.rowKey }),
    change: (found): Change => (found.relations.includes('self') ? { kind: 'delete' } : { kind: 'merge', set: { managerId: '' } }),
  },
  {
    table: ORG_SYNC_TABLES.state,
    label: 'Entra ID 同期の対応表（人事・除外の一覧）',
    find: mappingOf,
    exported: (found) => ({ mapping: parsed(found.entity.mapping) }),
    change: (found): Change => ({ kind: 'merge', set: { mapping: mappingWithout(found.entity.mapping, emailIn(found)) } }),
  },
];

/** The address the mapping row was found by: the one its lists hold that the purge removes. */
function emailIn(found: Found): string {
  return String(found.relations.find((r) => r.startsWith('email:'))?.slice('email:'.length) ?? '');
}
