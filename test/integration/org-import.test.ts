import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { demoOrgCsv } from '../../src/directory/demo-org';
import { OrgRepository } from '../../src/directory/org.repository';
import { decodeCsv, importOrgCsv } from '../../src/directory/org-import.service';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { testConnectionString } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');
const HEADER = '職員番号,氏名,所属,役職,上司,メール';

describe('org import into Azurite', () => {
  let org: OrgRepository;
  beforeAll(async () => {
    const tables = new TableClientFactory(testConnectionString());
    await tables.ensureTables(ALL_TABLES);
    org = new OrgRepository(tables);
  });

  it('writes nothing when any row is bad, and says which lines', async () => {
    const tenant = randomUUID();
    const csv = [
      HEADER,
      'K001,山田 太郎,建設課,課長,,k001@example.jp',
      'K002,佐藤 花子,建設課,部長,K001,k002@example.jp',
      'K003,鈴木 一郎,建設課,主事,K999,k003@example.jp',
    ].join('\n');
    const outcome = await importOrgCsv(org, tenant, csv, 'ja', new Date());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.report).toContain('3行目');
    expect(outcome.report).toContain('4行目');
    expect(await org.listPeople(tenant)).toEqual([]);
    expect(await org.getSettings(tenant)).toBeUndefined();
  });

  it('updates in place on re-import and deactivates people who left', async () => {
    const tenant = randomUUID();
    const first = [HEADER, 'K001,山田 太郎,建設課,課長,,k001@example.jp', 'K002,佐藤 花子,建設課,主事,K001,k002@example.jp'].join('\n');
    expect(await importOrgCsv(org, tenant, first, 'ja', new Date())).toMatchObject({ ok: true, result: { created: 2, updated: 0 } });
    const second = [HEADER, 'K001,山田 太郎,建設課,課長,,k001@example.jp', 'K003,高橋 次郎,建設課,主任,K001,k003@example.jp'].join('\n');
    expect(await importOrgCsv(org, tenant, second, 'en', new Date())).toMatchObject({
      ok: true,
      result: { created: 1, updated: 1, deactivated: 1 },
    });
    const people = await org.listPeople(tenant);
    expect(people.map((p) => [p.id, p.active])).toEqual([
      ['K001', true],
      ['K002', false],
      ['K003', true],
    ]);
    expect(await org.findPerson(tenant, { email: 'K002@example.jp' })).toBeUndefined();
    expect((await org.findPerson(tenant, { email: 'K003@EXAMPLE.JP' }))?.id).toBe('K003');
    expect((await org.getSettings(tenant))?.defaultLocale).toBe('en');
  });

  it('reads a Shift_JIS file as Excel saves it', () => {
    const sjis = Buffer.from([0x90, 0x45, 0x88, 0xf5, 0x94, 0xd4, 0x8d, 0x86]);
    expect(decodeCsv(sjis)).toBe('職員番号');
  });

  it('imports the demo town from the command line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hibi-org-'));
    const file = path.join(dir, 'org.csv');
    writeFileSync(file, demoOrgCsv());
    const tenant = randomUUID();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'directory', 'org-import.cli.ts'), file, '--tenant', tenant],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', STORAGE_CONNECTION_STRING: testConnectionString() } },
    );
    expect(stdout).toContain('118 名を取り込みました');
    expect((await org.listPeople(tenant)).filter((p) => p.role === 'manager')).toHaveLength(7);
  });
});
