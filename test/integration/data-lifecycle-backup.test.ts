import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backup } from '../../src/features/data/backup';
import { BACKUP_PROGRESS, MANIFEST, RESTORE_PROGRESS, type Manifest } from '../../src/features/data/backup-files';
import { restore } from '../../src/features/data/restore';
import { fixedClock } from '../../src/shared/clock';
import { JOB_RUNS_TABLE } from '../../src/scheduler/job-runs.repository';
import { runDataCli, tenantSnapshot, wipeTenant } from '../helpers/data-cli';
import { loadDataOrg } from '../helpers/data-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

class Interrupted extends Error {}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** A town's tables backed up, lost and restored, as the operator does it; and a backup and a restore cut short and resumed. */
describe('backup and restore of a tenant, through the CLI', () => {
  let t: TestApp;
  let original: Map<string, string[]>;
  const cli = (...args: string[]) => runDataCli(args, t.connectionString);
  const counts = (snapshot: Map<string, string[]>) => Object.fromEntries([...snapshot].map(([table, lines]) => [table, lines.length]));
  const manifestCounts = (manifest: Manifest) => Object.fromEntries(manifest.tables.filter((e) => e.rows > 0).map((e) => [e.table, e.rows]));

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(jst('2026-11-25T10:00:00')) });
    const org = await loadDataOrg(t);
    await org.submit('L', { verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: '窓口', needHelp: 'false', condition: '4' });
    await org.say('L', 'ありがとう <at>土木 主査</at> 誠実に対応してくれました', [org.mention('S')]);
    await org.submit('L', {
      verb: 'nearmiss.submit',
      date: '2026-11-25',
      time: '09:30',
      category: 'counter',
      impact: '2',
      cause: 'check',
      what: '取り違え',
      anonymous: 'true',
    });
    await t.app.deliverPending();
    // Every type a Table can hold, including a Double that happens to be whole, which JSON alone would make an Int32.
    await t.app.tables.table(JOB_RUNS_TABLE).upsertEntity(
      {
        partitionKey: `${t.tenantId}|2026-11-25`,
        rowKey: 'typed',
        int32: 7,
        whole: { value: '4', type: 'Double' },
        fraction: 4.25,
        int64: { value: '9007199254740993', type: 'Int64' },
        when: { value: '2026-11-25T01:02:03.1234567Z', type: 'DateTime' },
        bytes: new Uint8Array([0, 1, 254, 255]),
        guid: { value: '00000000-0000-4000-8000-0000000000ab', type: 'Guid' },
        flag: false,
        empty: '',
        text: '改行\nと"引用"',
      },
      'Replace',
    );
    original = await tenantSnapshot(t.app.tables, t.tenantId);
  }, 120_000);
  afterAll(() => t.stop());

  it('backup → the tenant wiped → restore gives the same rows with the same types; restoring twice changes nothing', async () => {
    expect(original.get(JOB_RUNS_TABLE)?.find((line) => line.includes('"typed"'))).toContain('"whole":4,"whole@odata.type":"Edm.Double"');
    const dir = mkdtempSync(path.join(tmpdir(), 'hibi-backup-'));
    const made = await cli('backup', '--out', dir, '--tenant', t.tenantId, '--page-size', '3');
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toContain('バックアップしました');
    const manifest = readJson<Manifest>(path.join(dir, MANIFEST));
    expect(manifest).toMatchObject({ format: 'hibi-backup/1', tenantId: t.tenantId });
    expect(manifestCounts(manifest)).toEqual(counts(original));
    for (const entry of manifest.tables) expect(linesOf(path.join(dir, entry.file))).toHaveLength(entry.rows);
    expect(readdirSync(dir)).not.toContain(BACKUP_PROGRESS);
    expect((await cli('backup', '--out', dir, '--tenant', t.tenantId)).stdout).toContain('完了しています');

    await wipeTenant(t.app.tables, t.tenantId);
    expect(await tenantSnapshot(t.app.tables, t.tenantId)).toEqual(new Map());

    const dry = await cli('restore', '--from', dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('何も書き込んでいません');
    expect(dry.stdout).toContain(`main/${JOB_RUNS_TABLE}: `);
    expect(await tenantSnapshot(t.app.tables, t.tenantId)).toEqual(new Map());

    const restored = await cli('restore', '--from', dir, '--yes');
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    expect(restored.stdout).toContain('復元しました');
    expect(await tenantSnapshot(t.app.tables, t.tenantId)).toEqual(original);
    // Read back from the service's own JSON (the SDK itself would call a whole Double an Int32).
    const typed = JSON.parse((await tenantSnapshot(t.app.tables, t.tenantId)).get(JOB_RUNS_TABLE)?.find((line) => line.includes('"typed"')) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(typed).toMatchObject({
      int32: 7,
      whole: 4,
      'whole@odata.type': 'Edm.Double',
      fraction: 4.25,
      'fraction@odata.type': 'Edm.Double',
      int64: '9007199254740993',
      'int64@odata.type': 'Edm.Int64',
      when: '2026-11-25T01:02:03.1234567Z',
      'when@odata.type': 'Edm.DateTime',
      bytes: 'AAH+/w==',
      'bytes@odata.type': 'Edm.Binary',
      'guid@odata.type': 'Edm.Guid',
      flag: false,
      empty: '',
    });
    expect(typed).not.toHaveProperty('int32@odata.type');

    expect((await cli('restore', '--from', dir, '--yes')).code).toBe(0);
    expect(await tenantSnapshot(t.app.tables, t.tenantId)).toEqual(original);
  });

  it('a backup cut short mid-table resumes: finished tables are skipped, the cut table continues, nothing is written twice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hibi-backup-'));
    // The second table with rows to spare, cut after its second page is written but before the progress says so.
    const withRows = [...original]
      .filter(([, lines]) => lines.length >= 5)
      .map(([table]) => `main/${table}`)
      .sort();
    const target = withRows[1] as string;
    const finishedBefore: string[] = [];
    const interrupted = backup({
      dir,
      stores: [{ name: 'main', tables: t.app.tables }],
      tenantId: t.tenantId,
      now: () => new Date(),
      hibiVersion: 'test',
      pageSize: 2,
      on: {
        page: ({ key, rows }) => {
          if (key !== target) return finishedBefore.includes(key) ? undefined : void finishedBefore.push(key);
          if (rows >= 4) throw new Interrupted();
        },
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(Interrupted);
    const progress = readJson<{ done: Record<string, number>; current: { key: string; rows: number } }>(path.join(dir, BACKUP_PROGRESS));
    expect(progress.current).toMatchObject({ key: target, rows: 2 });
    expect(Object.keys(progress.done)).toEqual(expect.arrayContaining(finishedBefore));
    const cutFile = path.join(dir, 'main', `${target.slice('main/'.length)}.ndjson`);
    expect(linesOf(cutFile)).toHaveLength(4);
    expect(readdirSync(dir)).not.toContain(MANIFEST);

    const resumed = await cli('backup', '--out', dir, '--tenant', t.tenantId, '--page-size', '2');
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    expect(resumed.stdout).toContain('中断したところから再開');
    expect(resumed.stdout).toContain(`${target}（前回の続き: 2 件から）`);
    expect(resumed.stdout).toContain(`${finishedBefore[0]}（前回までに完了）`);
    const manifest = readJson<Manifest>(path.join(dir, MANIFEST));
    expect(manifestCounts(manifest)).toEqual(counts(original));
    for (const entry of manifest.tables) {
      const lines = linesOf(path.join(dir, entry.file));
      expect([entry.table, lines.sort()]).toEqual([entry.table, original.get(entry.table) ?? []]);
    }
  });

  it('a restore cut short resumes after its last batch and ends with the same rows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hibi-backup-'));
    expect((await cli('backup', '--out', dir, '--tenant', t.tenantId)).code).toBe(0);
    await wipeTenant(t.app.tables, t.tenantId);
    const manifest = readJson<Manifest>(path.join(dir, MANIFEST));
    const target = manifest.tables.filter((e) => e.rows >= 2).map((e) => `${e.store}/${e.table}`)[1] as string;
    const cut = restore({
      dir,
      stores: { main: t.app.tables, hr: t.app.tables },
      on: {
        batch: ({ key }) => {
          if (key === target) throw new Interrupted();
        },
      },
    });
    await expect(cut).rejects.toBeInstanceOf(Interrupted);
    expect(readJson<{ current?: unknown; done: Record<string, number> }>(path.join(dir, RESTORE_PROGRESS)).done).not.toHaveProperty(target);

    const resumed = await cli('restore', '--from', dir, '--yes');
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    expect(resumed.stdout).toContain('（前回までに完了）');
    expect(readdirSync(dir)).not.toContain(RESTORE_PROGRESS);
    expect(await tenantSnapshot(t.app.tables, t.tenantId)).toEqual(original);
  });
});
