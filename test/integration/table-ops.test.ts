import { randomUUID } from 'node:crypto';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import {
  createIfAbsent,
  deleteIfPresent,
  emptyIfNoTable,
  findEntity,
  keyRange,
  keyStartsWith,
  rowPrefixFilter,
  rowRangeFilter,
} from '../../src/storage/table-ops';
import { testConnectionString } from '../helpers/test-app';

const tables = new TableClientFactory(testConnectionString());
const name = `tableops${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const table = tables.table(name);

beforeAll(async () => {
  await tables.ensureTables([name]);
});

async function rowKeys(filter: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of table.listEntities({ queryOptions: { filter } })) out.push(e.rowKey as string);
  return out.sort();
}

describe('table-ops against Azurite', () => {
  it('a point read of a missing row is undefined, of a present one the row', async () => {
    expect(await findEntity(table, 'p', 'missing')).toBeUndefined();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'there', value: 7 }, 'Replace');
    expect((await findEntity<{ value: number }>(table, 'p', 'there'))?.value).toBe(7);
  });

  it('creates a row once: the second create of the same key answers false and leaves the first row', async () => {
    expect(await createIfAbsent(table, { partitionKey: 'c', rowKey: 'one', value: 'first' })).toBe(true);
    expect(await createIfAbsent(table, { partitionKey: 'c', rowKey: 'one', value: 'second' })).toBe(false);
    expect((await findEntity<{ value: string }>(table, 'c', 'one'))?.value).toBe('first');
  });

  it('deletes a row once: deleting it again answers false instead of failing', async () => {
    await table.upsertEntity({ partitionKey: 'd', rowKey: 'gone' }, 'Replace');
    expect(await deleteIfPresent(table, 'd', 'gone')).toBe(true);
    expect(await deleteIfPresent(table, 'd', 'gone')).toBe(false);
    expect(await findEntity(table, 'd', 'gone')).toBeUndefined();
  });

  it('listing a table that was never created is empty; a listing of one that exists is passed through whole', async () => {
    const never = tables.table(`${name}never`);
    const listed: unknown[] = [];
    for await (const row of emptyIfNoTable(never.listEntities())) listed.push(row);
    expect(listed).toEqual([]);
    await table.upsertEntity({ partitionKey: 'e', rowKey: 'one' }, 'Replace');
    const rows: string[] = [];
    for await (const row of emptyIfNoTable(table.listEntities({ queryOptions: { filter: "PartitionKey eq 'e'" } }))) rows.push(row.rowKey as string);
    expect(rows).toEqual(['one']);
  });

  it('a prefix selects every key that starts with it, Japanese and quotes included, and nothing beside it', async () => {
    const keys = ['unit|住民課', "unit|O'Hara", 'unit|~tilde', 'unit|', 'unitx|next', 'uni', 'unit}after'];
    for (const rowKey of keys) await table.upsertEntity({ partitionKey: 'r', rowKey }, 'Replace');
    expect(await rowKeys(rowPrefixFilter('r', 'unit|'))).toEqual(['unit|', "unit|O'Hara", 'unit|~tilde', 'unit|住民課'].sort());
    expect(await rowKeys(`PartitionKey eq 'r' and ${keyStartsWith('RowKey', "unit|O'")}`)).toEqual(["unit|O'Hara"]);
  });

  it('a range runs from its first key through every key of its last prefix, and nothing beyond either end', async () => {
    const keys = ['2026-11-01|z', '2026-11-02', '2026-11-02|a', '2026-11-03|~x', '2026-11-03|日', '2026-11-04|a', '2026-11-03'];
    for (const rowKey of keys) await table.upsertEntity({ partitionKey: 'g', rowKey }, 'Replace');
    expect(await rowKeys(rowRangeFilter('g', '2026-11-02', '2026-11-03'))).toEqual(
      ['2026-11-02', '2026-11-02|a', '2026-11-03', '2026-11-03|~x', '2026-11-03|日'].sort(),
    );
    expect(await rowKeys(`PartitionKey eq 'g' and ${keyRange('RowKey', '2026-11-02|b', '2026-11-04|')}`)).toEqual(
      ['2026-11-03', '2026-11-03|~x', '2026-11-03|日', '2026-11-04|a'].sort(),
    );
  });
});
