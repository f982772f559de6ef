import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPerson } from '../../src/features/data/export';
import { purgePerson } from '../../src/features/data/purge';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { OrgRepository } from '../../src/directory/org.repository';
import { paidLeaveTables } from '../../src/features/paidleave/paidleave.records';
import { PAIDLEAVE_TABLE, PaidLeaveRepository } from '../../src/features/paidleave/paidleave.repository';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { runCli, type CliRun } from '../helpers/cli-process';
import { testConnectionString } from '../helpers/test-app';

const ORG = [
  '職員番号,氏名,所属,役職,上司,メール',
  'P001,山田 太郎,建設課,課長,,p001@town.example.jp',
  'P002,佐藤 花子,建設課,主事,P001,p002@town.example.jp',
  'P003,鈴木 一郎,建設課,主任,P001,p003@town.example.jp',
].join('\n');

describe('npm run leave -- import (HR’s paid-leave file) into Azurite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-paidleave-'));
  let tables: TableClientFactory;
  let grants: PaidLeaveRepository;
  let org: OrgRepository;

  const file = (name: string, lines: string[]): string => {
    const full = path.join(dir, name);
    writeFileSync(full, `\uFEFF${lines.join('\r\n')}\r\n`);
    return full;
  };
  const leave = (args: string[]): Promise<CliRun> =>
    runCli('src/features/paidleave/paidleave.cli.ts', args, { STORAGE_CONNECTION_STRING: testConnectionString(), DEV_NOW: '2026-11-25T10:00:00+09:00' });
  const newTenant = async (): Promise<string> => {
    const tenant = randomUUID();
    const parsed = parseOrgCsv(ORG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await org.importDirectory(tenant, parsed.directory);
    return tenant;
  };
  const stored = async (tenant: string) => (await grants.listYear(tenant, 2026)).map(({ importedAt: _at, ...g }) => g);

  beforeAll(async () => {
    tables = new TableClientFactory(testConnectionString());
    await tables.ensureTables([...ALL_TABLES, PAIDLEAVE_TABLE]);
    grants = new PaidLeaveRepository(tables);
    org = new OrgRepository(tables);
  });

  const good = () =>
    file('good.csv', [
      '年度,職員番号,メールアドレス,氏名,付与日数,取得日数,取得日数の基準日',
      '2026,P001,,山田 太郎,20,8.5,2026-10-31',
      '令和8年度,,P002@town.example.jp,佐藤 花子,15,,',
      'FY2026,P003,p003@town.example.jp,鈴木 一郎,20,3,',
      '2026,Z999,,名簿にいない人,20,,',
    ]);

  it('says what a dry run would write and writes nothing; --apply writes it, lists unknown people and writes them nowhere', async () => {
    const tenant = await newTenant();
    const dry = await leave(['import', good(), '--tenant', tenant]);
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout.split('\n')).toEqual([
      `有給休暇の取り込み（試行: 何も書き込んでいません） tenant=${tenant}`,
      '  令和8年度（FY2026）: 新規 3 / 更新 0 / 変更なし 0',
      '名簿にいない職員（1行、取り込みません。名簿を取り込んでから、もう一度実行してください）:',
      '  5行目: Z999',
      '取り込むには --apply を付けて実行してください。',
      '',
    ]);
    expect(await stored(tenant)).toEqual([]);

    const applied = await leave(['import', good(), '--tenant', tenant, '--apply']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`有給休暇を取り込みました tenant=${tenant}\n  令和8年度（FY2026）: 新規 3 / 更新 0 / 変更なし 0\n`);
    expect(applied.stdout).toContain('5行目: Z999');
    expect(await stored(tenant)).toEqual([
      { fiscalYear: 2026, personId: 'P001', grantedDays: 20, takenDays: 8.5, takenAsOf: '2026-10-31' },
      { fiscalYear: 2026, personId: 'P002', grantedDays: 15, takenDays: undefined, takenAsOf: undefined },
      { fiscalYear: 2026, personId: 'P003', grantedDays: 20, takenDays: 3, takenAsOf: '2026-11-25' },
    ]);

    // The same file again changes nothing; a corrected one replaces each person's row for the year.
    const again = await leave(['import', good(), '--tenant', tenant, '--apply']);
    expect(again.stdout).toContain('令和8年度（FY2026）: 新規 0 / 更新 0 / 変更なし 3');
    expect(await stored(tenant)).toHaveLength(3);
    const corrected = file('corrected.csv', ['年度,職員番号,付与日数,取得日数,基準日', '2026,P001,20,,', '2026,P002,15,4,2026-11-20']);
    const fixed = await leave(['import', corrected, '--tenant', tenant, '--apply']);
    expect(fixed.stdout).toContain('令和8年度（FY2026）: 新規 0 / 更新 2 / 変更なし 0');
    expect(await stored(tenant)).toEqual([
      { fiscalYear: 2026, personId: 'P001', grantedDays: 20, takenDays: undefined, takenAsOf: undefined },
      { fiscalYear: 2026, personId: 'P002', grantedDays: 15, takenDays: 4, takenAsOf: '2026-11-20' },
      { fiscalYear: 2026, personId: 'P003', grantedDays: 20, takenDays: 3, takenAsOf: '2026-11-25' },
    ]);
  });

  const bad = () =>
    file('bad.csv', [
      '年度,職員番号,メールアドレス,付与日数,取得日数,取得日数の基準日',
      '2026,P001,,二十,,',
      '2026,P002,p001@town.example.jp,20,,',
      '2026,P003,,10,12,2026-09-30',
      '2026,P003,,10,,',
      '2026,Z999,,20,,',
    ]);

  it('writes nothing from a file with bad lines, and names each line and column in Japanese', async () => {
    const tenant = await newTenant();
    const run = await leave(['import', bad(), '--tenant', tenant, '--apply']);
    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr.split('\n')).toEqual([
      '有給休暇のCSVを取り込めませんでした（何も書き込んでいません）:',
      '2行目 付与日数: 「二十」は日数として使えません（0〜40の数、小数は2桁まで。例: 20・12.5）',
      '4行目 取得日数: 取得日数 12 が付与日数 10 を超えています',
      '',
    ]);
    expect(await stored(tenant)).toEqual([]);

    // With the cells fixed, the directory checks speak: an email that is someone else's, a person twice.
    const second = file('bad2.csv', ['年度,職員番号,メールアドレス,付与日数', '2026,P002,p001@town.example.jp,20', '2026,P003,,10', '2026,P003,,12']);
    const run2 = await leave(['import', second, '--tenant', tenant, '--apply']);
    expect(run2.code).toBe(1);
    expect(run2.stderr).toContain(
      '2行目 メールアドレス: メールアドレス「p001@town.example.jp」は職員番号 P002 の職員のものではありません\n4行目: P003・令和8年度（FY2026）の行が重複しています（3行目と同じ）',
    );
    expect(await stored(tenant)).toEqual([]);
  });

  it('answers in English when asked, or when the organisation’s language is English', async () => {
    const tenant = await newTenant();
    const asked = await leave(['import', bad(), '--tenant', tenant, '--lang', 'en']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('The paid-leave CSV was not imported (nothing written):\nline 2 付与日数 (days granted): "二十" is not a number of days');
    await org.saveSettings(tenant, { defaultLocale: 'en', importedAt: new Date().toISOString() });
    const byOrg = await leave(['import', good(), '--tenant', tenant]);
    expect(byOrg.stdout).toContain(
      `Paid-leave import (dry run: nothing written) tenant=${tenant}\n  FY2026: new 3 / updated 0 / unchanged 0\nNot in the directory, not imported (lines: 1;`,
    );
  });

  it('refuses a wrong command line before touching storage, and a file it cannot read', async () => {
    const usage = await leave(['export', 'x.csv']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run leave -- import <file.csv> [--apply]');
    const missing = await leave(['import', path.join(dir, 'nowhere.csv'), '--tenant', randomUUID()]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, `ファイル「${path.join(dir, 'nowhere.csv')}」を読めません（ENOENT）`]);
  });

  it('discloses a person’s imported years with their data, and removes them with the person', async () => {
    const tenant = await newTenant();
    const importedAt = '2026-11-25T01:00:00.000Z';
    await grants.replace(tenant, [
      { fiscalYear: 2025, personId: 'P002', grantedDays: 20, takenDays: 14, takenAsOf: '2026-03-31', importedAt },
      { fiscalYear: 2026, personId: 'P002', grantedDays: 20, importedAt },
      { fiscalYear: 2026, personId: 'P003', grantedDays: 11, importedAt },
    ]);
    const scope = { tables, tenantId: tenant, personId: 'P002' };
    const exported = await exportPerson(scope, { exportedAt: new Date(), hibiVersion: 'test' }, paidLeaveTables);
    expect(exported.sections[0]?.rows).toEqual([
      { fiscalYear: 2025, grantedDays: 20, takenDays: 14, takenAsOf: '2026-03-31', importedAt },
      { fiscalYear: 2026, grantedDays: 20, takenDays: undefined, takenAsOf: undefined, importedAt },
    ]);
    expect((await purgePerson(scope, true, paidLeaveTables)).map((c) => c.deleted)).toEqual([2]);
    expect(await grants.listYear(tenant, 2025)).toEqual([]);
    expect((await grants.listYear(tenant, 2026)).map((g) => g.personId)).toEqual(['P003']);
  });
});
