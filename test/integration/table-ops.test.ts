import { randomUUID } from 'node:crypto';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { createIfAbsent, deleteIfPresent, findEntity, keyStartsWith, rowPrefixFilter } from '../../src/storage/table-ops';
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

  it('a prefix selects every key that starts with it, Japanese and quotes included, and nothing beside it', async () => {
    const keys = ['unit|住民課', "unit|O'Hara", 'unit|~tilde', 'unit|', 'unitx|next', 'uni', 'unit}after'];
    for (const rowKey of keys) await table.upsertEntity({ partitionKey: 'r', rowKey }, 'Replace');
    expect(await rowKeys(rowPrefixFilter('r', 'unit|'))).toEqual(['unit|', "unit|O'Hara", 'unit|~tilde', 'unit|住民課'].sort());
    expect(await rowKeys(`PartitionKey eq 'r' and ${keyStartsWith('RowKey', "unit|O'")}`)).toEqual(["unit|O'Hara"]);
  });
});
