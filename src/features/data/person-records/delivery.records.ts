import { odata } from '@azure/data-tables';
import { rowKeyOf } from '../../../delivery/conversation-references.repository';
import { readRecipient } from '../../../delivery/outbox.schema';
import { TABLES } from '../../../storage/table-names';
import { compositeKey } from '../../../storage/table-keys';
import type { Found, PersonScope, PersonTable } from '../person-table';
import { pagesOf } from '../table-scan';
import { tenantRange } from '../../../storage/table-ops';
import { asStored, oneRow, parsed } from './rule-helpers';

/**
 * The outbox rows addressed to the person. `recipient` is stored as the JSON of the parsed outbox
 * item, whose keys come in the schema's order (kind, personId, …), so a string range on it finds a
 * person's rows on the service's side; each is checked again here.
 */
async function* outboxRowsOf(scope: PersonScope): AsyncGenerator<Found[]> {
  const prefix = JSON.stringify({ kind: 'person', personId: scope.personId });
  // Without the closing brace: the person's rows continue with "}" or "," (a Teams user id), both below "~".
  const from = prefix.slice(0, -1);
  const filter = `${tenantRange(scope.tenantId)} and ${odata`recipient ge ${from} and recipient lt ${`${from}~`}`}`;
  for await (const page of pagesOf(scope.tables.table(TABLES.outbox), filter)) {
    const mine = page.filter((row) => {
      const recipient = readRecipient(String(row.recipient ?? ''));
      return recipient?.kind === 'person' && recipient.personId === scope.personId;
    });
    if (mine.length > 0) yield mine.map((entity) => ({ entity, relations: ['recipient'] }));
  }
}

/**
 * Delivery's rows of the person: the personal chat's reference (the disclosure shows its ids only,
 * not the service address), the "not reachable" mark, and every message hibi queued for them.
 * All deleted: messages to others stay with those others (and go with the outbox retention).
 */
export const deliveryTables: PersonTable[] = [
  {
    table: TABLES.conversations,
    label: '個人チャットの参照（ID のみ）',
    find: ({ tables, tenantId, personId }) => oneRow(tables.table(TABLES.conversations), compositeKey(tenantId), rowKeyOf({ kind: 'person', personId })),
    exported: ({ entity }) => ({
      channelId: entity.channelId,
      conversationId: entity.conversationId,
      conversationType: entity.conversationType,
      userId: entity.userId,
      botId: entity.botId,
    }),
    change: () => ({ kind: 'delete' }),
  },
  {
    table: TABLES.reachability,
    label: '届かない宛先の記録',
    find: ({ tables, tenantId, personId }) => oneRow(tables.table(TABLES.reachability), compositeKey(tenantId), rowKeyOf({ kind: 'person', personId })),
    exported: (found) => asStored(found.entity),
    change: () => ({ kind: 'delete' }),
  },
  {
    table: TABLES.outbox,
    label: '本人あてに送ったメッセージ',
    find: outboxRowsOf,
    exported: ({ entity }) => ({
      day: entity.day,
      key: entity.key,
      status: entity.status,
      result: entity.result,
      createdAt: entity.createdAt,
      finishedAt: entity.finishedAt,
      message: parsed(entity.payload),
    }),
    change: () => ({ kind: 'delete' }),
  },
];
