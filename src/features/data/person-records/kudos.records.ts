import { odata } from '@azure/data-tables';
import { compositeKey } from '../../../storage/table-keys';
import { KUDOS_TABLES } from '../../kudos/kudos.public';
import { DEPARTED, type Found, type PersonScope, type PersonTable } from '../person-table';
import { columnEq, keyParts, pagesOf, pointRead } from '../table-scan';
import { tenantRange } from '../../../storage/table-ops';
import { asStored, parsed, queried } from './rule-helpers';

/**
 * The send marks in kudossent: the person's own (their partition), and the marks of others' sends
 * that list them as a recipient, found through the kudos they received (so this runs before kudos).
 */
async function* sendMarksOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  const sent = tables.table(KUDOS_TABLES.sent);
  yield* queried(sent, odata`PartitionKey eq ${compositeKey(tenantId, personId)}`, 'sender');
  const received = pagesOf(tables.table(KUDOS_TABLES.kudos), odata`PartitionKey eq ${compositeKey(tenantId, personId)}`, { select: ['RowKey', 'senderId'] });
  for await (const page of received) {
    const found: Found[] = [];
    for (const row of page) {
      const senderId = String(row.senderId);
      if (senderId === personId) continue;
      const [day = '', submitId = ''] = keyParts(row.rowKey);
      for (const rowKey of [compositeKey('id', submitId), compositeKey('d', day, submitId)]) {
        const mark = await pointRead(sent, compositeKey(tenantId, senderId), rowKey);
        if (mark) found.push({ entity: mark, relations: ['recipient'] });
      }
    }
    if (found.length > 0) yield found;
  }
}

const recipientsWithout = (recipients: unknown, personId: string): string => {
  const ids = parsed(recipients);
  return JSON.stringify(Array.isArray(ids) ? ids.map((id) => (id === personId ? DEPARTED : id)) : []);
};

/** The person's own partition (`own`), and the rows in others' partitions whose `<other>Id` column names them. */
const both =
  (table: string, own: string, other: 'sender' | 'manager') =>
  ({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> =>
    (async function* () {
      yield* queried(tables.table(table), odata`PartitionKey eq ${compositeKey(tenantId, personId)}`, own);
      yield* queried(tables.table(table), `${tenantRange(tenantId)} and ${columnEq(`${other}Id`, personId)}`, other);
    })();

/**
 * A kudos is its recipient's: one a departed person received is deleted, one they sent stays with
 * its recipient (their recognition, and their プラス評価 evidence) with DEPARTED as the sender. The
 * same for プラス評価: the member's entries stay, a departed manager's name goes. A departed sender's
 * own send marks (idempotency, daily count) are deleted; others' marks name DEPARTED instead of them.
 */
export const kudosTables: PersonTable[] = [
  {
    table: KUDOS_TABLES.sent,
    label: 'ありがとうの送信記録',
    find: sendMarksOf,
    // Each send has two marks; the disclosure shows one, and the kudos section shows the rest.
    exported: ({ entity, relations }) => (relations.includes('sender') && entity.rowKey.startsWith('id|') ? asStored(entity, ['recipients']) : undefined),
    change: ({ relations, entity }, personId) =>
      relations.includes('sender') ? { kind: 'delete' } : { kind: 'merge', set: { recipients: recipientsWithout(entity.recipients, personId) } },
  },
  {
    table: KUDOS_TABLES.kudos,
    label: 'ありがとう（受け取ったもの・送ったもの）',
    find: both(KUDOS_TABLES.kudos, 'recipient', 'sender'),
    exported: ({ entity, relations }) => {
      const [day, submitId] = keyParts(entity.rowKey);
      return { relation: relations[0], recipientId: keyParts(entity.partitionKey).at(-1), day, submitId, ...asStored(entity) };
    },
    change: ({ relations }) => (relations.includes('recipient') ? { kind: 'delete' } : { kind: 'merge', set: { senderId: DEPARTED } }),
  },
  {
    table: KUDOS_TABLES.plus,
    label: 'プラス評価',
    find: both(KUDOS_TABLES.plus, 'member', 'manager'),
    exported: ({ entity, relations }) => ({ relation: relations[0], memberId: keyParts(entity.partitionKey).at(-1), ...asStored(entity) }),
    change: ({ relations }) => (relations.includes('member') ? { kind: 'delete' } : { kind: 'merge', set: { managerId: DEPARTED } }),
  },
];
