import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzurite } from '../../src/storage/azurite';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { freePort } from '../helpers/free-port';

/** `npm start`'s Ctrl+C and every test stop Azurite through RunningAzurite.stop: a developer's last writes must survive it. */
describe('stopping development Azurite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hibi-azurite-stop-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every write acknowledged just before the stop, after a restart on the same data', async () => {
    const port = await freePort();
    const first = await startAzurite({ port, location: dir });
    const table = new TableClientFactory(first.connectionString).table('stoptest');
    await table.createTable();
    for (let i = 0; i < 60; i += 1) await table.createEntity({ partitionKey: 'p', rowKey: String(i).padStart(3, '0'), n: i });
    await first.stop();

    const again = await startAzurite({ port, location: dir });
    try {
      let count = 0;
      for await (const row of new TableClientFactory(again.connectionString).table('stoptest').listEntities()) count += row.partitionKey === 'p' ? 1 : 0;
      expect(count).toBe(60);
    } finally {
      await again.stop();
    }
  });
});
