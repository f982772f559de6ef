import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OrgRepository } from '../../src/directory/org.repository';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { TRAINING_TABLES, TrainingRepository } from '../../src/features/training/training.repository';
import { trainingIdFor } from '../../src/features/training/training.service';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { runCli, type CliRun } from '../helpers/cli-process';
import { testConnectionString } from '../helpers/test-app';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'training');
const fixture = (name: string): string => path.join(FIXTURES, name);
const SETSUGU = trainingIdFor('接遇研修（窓口対応）', '2026-11-24');

describe('npm run training: HR’s yearly plan and sign-in sheets', () => {
  const tenant = randomUUID();
  const tables = new TableClientFactory(testConnectionString());
  const trainings = new TrainingRepository(tables);
  const training = (...args: string[]): Promise<CliRun> =>
    runCli('src/features/training/training.cli.ts', [...args, '--tenant', tenant], { LOG_LEVEL: 'silent', STORAGE_CONNECTION_STRING: testConnectionString() });

  beforeAll(async () => {
    await tables.ensureTables([...ALL_TABLES, ...Object.values(TRAINING_TABLES)]);
    const directory = parseOrgCsv(readFileSync(fixture('directory.csv'), 'utf8'));
    if (!directory.ok) throw new Error(JSON.stringify(directory.errors));
    await new OrgRepository(tables).importDirectory(tenant, directory.directory);
  });

  it('only reads without --apply, saying what it would do', async () => {
    const run = await training('import', fixture('plan-good.csv'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`2行目 新規 ${SETSUGU} 接遇研修（窓口対応） 2026-11-24〜2026-11-25 必須`);
    expect(run.stdout).toContain('試し読みです');
    expect(await trainings.list(tenant)).toEqual([]);
  });

  it('registers the plan with --apply, and the same file again changes nothing', async () => {
    const first = await training('import', fixture('plan-good.csv'), '--apply');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 件の研修を登録しました');
    const saved = await trainings.list(tenant);
    expect(saved.map((t) => [t.id, t.startDay, t.endDay, t.kind, t.units, t.roles, t.required])).toEqual([
      [SETSUGU, '2026-11-24', '2026-11-25', 'offjt', ['住民課', '建設課'], [], true],
      ['TR-PRIVACY', '2026-12-03', '2026-12-03', 'external', [], ['manager', 'chief'], true],
      [trainingIdFor('Excel 中級', '2026-12-10'), '2026-12-10', '2026-12-10', 'external', [], [], false],
    ]);
    const again = await training('import', fixture('plan-good.csv'), '--apply');
    expect(again.code).toBe(0);
    expect(again.stdout.match(/変更なし/g)).toHaveLength(3);
    expect((await trainings.list(tenant)).map((t) => t.revision)).toEqual([1, 1, 1]);
  });

  it('updates by 研修ID from a JSON file, raising the revision the invitations follow', async () => {
    const run = await training('import', fixture('plan.json'), '--apply');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1件目 更新 TR-PRIVACY 個人情報保護研修（改訂版）');
    expect(run.stdout).toContain('2件目 新規');
    expect((await trainings.get(tenant, 'TR-PRIVACY'))?.revision).toBe(2);
  });

  it('refuses a file with bad rows, naming each row and column, and writes nothing', async () => {
    const before = (await trainings.list(tenant)).length;
    const run = await training('import', fixture('plan-bad.csv'), '--apply');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('取り込めませんでした（何も書き込んでいません）');
    expect(run.stderr).toContain('2行目「研修名」: 研修名を入れてください');
    expect(run.stderr).toContain('3行目「開始日」: 日付ではありません');
    expect(run.stderr).toContain('4行目「区分」: 「Off-JT」か「外部」にしてください: 社内');
    expect(run.stderr).toContain('4行目「対象課」: 名簿にない課です: 消防課');
    expect(run.stderr).toContain('4行目「対象役職」: 役職ではありません: 部長');
    expect(run.stderr).toContain('4行目「必須」: 「はい」か「いいえ」にしてください: たぶん');
    expect((await trainings.list(tenant)).length).toBe(before);
  });

  it('imports HR’s attendance by 研修ID or by 研修名 and 開始日, and refuses bad rows', async () => {
    const bad = await training('attendance', fixture('attendance-bad.csv'), '--apply');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('2行目「研修ID」: 登録されていない研修です: TR-NONE');
    expect(bad.stderr).toContain('3行目「職員番号」: 名簿にない職員番号です: ZZZ');
    expect(bad.stderr).toContain('4行目「受講」: 「済」か「未」にしてください: たぶん');
    expect(bad.stderr).toContain('5行目「研修ID」: 研修ID、または研修名と開始日を入れてください');
    expect(await trainings.listAttendance(tenant)).toEqual([]);

    const good = await training('attendance', fixture('attendance-good.csv'), '--apply');
    expect(good.code).toBe(0);
    const stored = (await trainings.listAttendance(tenant)).map((a) => [a.trainingId, a.personId, a.hr, a.self]).sort();
    expect(stored).toEqual([
      [SETSUGU, 'A1', 'missed', undefined],
      ['TR-PRIVACY', 'M1', 'attended', undefined],
    ]);
  });

  it('says how to use it when the command is wrong', async () => {
    const run = await training('register', fixture('plan-good.csv'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: npm run training -- import');
  });
});
