import { APP_TABLES } from '../../src/app-tables';
import { DEPARTED, PERSON_TABLES, PURGE_ORDER, TABLES_WITHOUT_PERSONS } from '../../src/features/data/person-records';
import { relationsTo } from '../../src/features/data/person-records/nearmiss.records';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { KUDOS_TABLES } from '../../src/features/kudos/kudos.repository';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { personIdSchema } from '../../src/directory/org.schema';
import { outboxItemSchema } from '../../src/delivery/outbox.schema';

const row = (columns: Record<string, unknown>) => ({ partitionKey: 't|2026', rowKey: '00001', etag: '*', ...columns });

describe('what belongs to a person, per table', () => {
  it('every table hibi has is either searched for a person or said to hold none, never both', () => {
    const all = [...APP_TABLES, ...Object.values(KPI_TABLES)];
    const searched = new Set(PERSON_TABLES.map((t) => t.table));
    for (const table of all) expect([table, searched.has(table) || table in TABLES_WITHOUT_PERSONS]).toEqual([table, true]);
    for (const table of Object.keys(TABLES_WITHOUT_PERSONS)) expect([table, searched.has(table)]).toEqual([table, false]);
    expect(new Set(PERSON_TABLES.map((t) => t.table)).size).toBe(PERSON_TABLES.length);
  });

  it('purges the directory last, and 1on1 texts and kudos marks before the rows that find them', () => {
    const order = PURGE_ORDER.map((t) => t.table);
    expect(order.slice(-2).sort()).toEqual(['people', 'personindex']);
    expect(order.indexOf(ONEONONE_TABLES.texts)).toBeLessThan(order.indexOf(ONEONONE_TABLES.meetings));
    expect(order.indexOf(ONEONONE_TABLES.texts)).toBeLessThan(order.indexOf(ONEONONE_TABLES.pairs));
    expect(order.indexOf(KUDOS_TABLES.sent)).toBeLessThan(order.indexOf(KUDOS_TABLES.kudos));
  });

  it('uses a stand-in no directory can hold as a person id', () => {
    expect(personIdSchema.safeParse(DEPARTED).success).toBe(false);
  });

  it('never finds an anonymous near-miss as anyone’s report, even with an id in it', () => {
    expect(relationsTo(row({ anonymous: true, reporterId: 'A1', recipientIds: '["M"]' }), 'A1')).toEqual([]);
    expect(relationsTo(row({ anonymous: false, reporterId: 'A1', recipientIds: '["M"]' }), 'A1')).toEqual(['reporter']);
    expect(relationsTo(row({ anonymous: true, reporterId: '', recipientIds: '["M","A1"]', acknowledgedBy: 'A1' }), 'A1')).toEqual([
      'recipient',
      'acknowledgedBy',
    ]);
  });

  it('finds outbox rows by the stored recipient, whose JSON starts with kind and personId whatever order a caller used', () => {
    const item = outboxItemSchema.parse({
      tenantId: 't',
      day: '2026-11-25',
      key: 'k',
      recipient: { teamsUserId: '29:x', personId: 'A1', kind: 'person' },
      message: { text: 'x' },
    });
    expect(JSON.stringify(item.recipient).startsWith('{"kind":"person","personId":"A1"')).toBe(true);
  });
});
