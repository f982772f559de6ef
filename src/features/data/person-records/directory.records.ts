import { odata } from '@azure/data-tables';
import { compositeKey } from '../../../storage/table-keys';
import { TABLES } from '../../../storage/table-names';
import type { PersonTable } from '../person-table';
import { asStored, oneRow, queried } from './rule-helpers';

/**
 * The directory row and its lookup keys. Deleted: an import already deactivated the person, and
 * nothing else needs their name. Purged last, so a purge cut short can be run again.
 */
export const directoryTables: PersonTable[] = [
  {
    table: TABLES.people,
    label: '名簿（氏名・所属・役職・上司・メール）',
    find: ({ tables, tenantId, personId }) => oneRow(tables.table(TABLES.people), compositeKey(tenantId), personId),
    exported: (found) => asStored(found.entity),
    change: () => ({ kind: 'delete' }),
  },
  {
    table: TABLES.personIndex,
    label: 'Teams の利用者との対応（Entra ID・メール）',
    find: ({ tables, tenantId, personId }) =>
      queried(tables.table(TABLES.personIndex), odata`PartitionKey eq ${compositeKey(tenantId)} and personId eq ${personId}`, 'self'),
    exported: (found) => asStored(found.entity),
    change: () => ({ kind: 'delete' }),
  },
];

/** The person's own settings and Teams user id: theirs alone, deleted. */
export const personalSettingsTables: PersonTable[] = [
  {
    table: TABLES.preferences,
    label: '個人設定（言語・ありがとうの公開）',
    find: ({ tables, tenantId, personId }) => oneRow(tables.table(TABLES.preferences), compositeKey(tenantId), personId),
    exported: (found) => asStored(found.entity),
    change: () => ({ kind: 'delete' }),
  },
  {
    table: TABLES.teamsUsers,
    label: 'Teams のユーザー ID（チームの名簿から）',
    find: ({ tables, tenantId, personId }) => oneRow(tables.table(TABLES.teamsUsers), compositeKey(tenantId), personId),
    exported: (found) => asStored(found.entity),
    change: () => ({ kind: 'delete' }),
  },
];
