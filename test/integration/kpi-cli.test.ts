import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { runKpiCli } from '../../src/features/kpi/kpi.cli';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { fixedClock } from '../../src/shared/clock';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { freePort } from '../helpers/free-port';
import { jst, loadKpiOrg, type KpiOrg } from '../helpers/kpi-rollup-org';
import { startTestApp, testConnectionString, type TestApp } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'features', 'kpi', 'kpi.cli.ts');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `npm run kpi -- ...` as HR runs it, in its own process; resolves whatever the exit code. */
async function npmRunKpi(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The same CLI in this process, for its answers to bad arguments. */
async function kpiInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runKpiCli(args, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) }, env: { ...env } });
  return { code, out, err };
}

function readCsv(file: string): { raw: Buffer; records: Record<string, string>[] } {
  const raw = readFileSync(file);
  return { raw, records: parse(raw, { bom: true, columns: true }) as Record<string, string>[] };
}

describe('npm run kpi: backfill into HR’s own storage account, CSV exports for Excel', () => {
  const clock = fixedClock(jst('2026-09-29T10:00:00'));
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-kpi-'));
  let hr: RunningAzurite;
  let t: TestApp;
  let org: KpiOrg;
  let env: Record<string, string>;

  beforeAll(async () => {
    hr = await startAzurite({ port: await freePort() });
    t = await startTestApp({ HR_STORAGE_CONNECTION_STRING: hr.connectionString }, { clock });
    org = await loadKpiOrg(t, clock);
    env = {
      STORAGE_CONNECTION_STRING: testConnectionString(),
      HR_STORAGE_CONNECTION_STRING: hr.connectionString,
      DEV_NOW: '2026-10-01T09:00:00+09:00',
      CI: 'true',
      LOG_LEVEL: 'silent',
    };
    clock.set(jst('2026-09-30T08:45:00'));
    await t.app.runDueJobs();
    const d = '2026-09-30';
    // 体調: 建設課 M 4, C 3, L 5; 総務課 M2 3, H 3; 住民課 J 4, K 5.
    for (const [id, condition] of [
      ['M', '4'],
      ['C', '3'],
      ['L', '5'],
      ['M2', '3'],
      ['H', '3'],
      ['J', '4'],
      ['K', '5'],
    ] as const)
      await org.morning(id, d, { condition });
    clock.set(jst('2026-09-30T10:00:00'));
    await org.kudos('M', 'k-m-xy', 'X,Y', 'team');
    await org.kudos('L', 'k-l-x', 'X', 'share');
    await org.kudos('C', 'k-c-l', 'L', 'learn');
  }, 60_000);
  afterAll(async () => {
    await t.stop();
    await hr.stop();
  });

  it('backfill writes the rollups to HR_STORAGE_CONNECTION_STRING, not the main account, with a line of progress per week in a log', async () => {
    const run = await npmRunKpi(['backfill', '--from', '2026-09-17', '--to', '2026-09-30', '--tenant', t.tenantId], env);
    expect(run.stderr).toBe('backfill 2026-09-23 7/14 日\nbackfill 2026-09-30 14/14 日\n');
    expect(run.stdout).toContain('2026-09-17 〜 2026-09-30 を集計しました');
    expect(run.code).toBe(0);

    const filter = `PartitionKey eq '${t.tenantId}|2026-09-30'`;
    const inHr: unknown[] = [];
    for await (const e of new TableClientFactory(hr.connectionString).table(KPI_TABLES.daily).listEntities({ queryOptions: { filter } })) inHr.push(e);
    expect(inHr.length).toBeGreaterThan(0);
    const main = new TableClientFactory(testConnectionString());
    await main.ensureTables([KPI_TABLES.daily]);
    const inMain: unknown[] = [];
    for await (const e of main.table(KPI_TABLES.daily).listEntities({ queryOptions: { filter } })) inMain.push(e);
    expect(inMain).toEqual([]);
  });

  it('export writes a UTF-8 CSV with a BOM and Japanese headers; hidden figures read 非表示', async () => {
    const file = path.join(dir, 'kpi.csv');
    const run = await npmRunKpi(['export', '--period', 'FY2026H1', '--out', file, '--tenant', t.tenantId], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('22 行を書き出しました');
    const { raw, records } = readCsv(file);
    expect(raw.subarray(0, 3)).toEqual(BOM);
    expect(raw.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(
      /^期間,期間名,期間の種類,集計単位,課,役職,集計日数,在籍人数,朝チェックイン 依頼数,朝チェックイン 回答数,/,
    );
    expect(Object.keys(records[0]!)).toEqual(
      expect.arrayContaining(['体調 平均(1-5)', '1on1 実施率(%)', 'ヒヤリハット 金銭・会計', 'ヒヤリハット 影響度4 極めて重大', 'ありがとう チーム志向']),
    );

    const town = records.find((r) => r['期間'] === 'FY2026H1' && r['集計単位'] === '全体')!;
    // 14 days rolled up; 10 prompts (everyone with a 課), 7 answers: 70.0%; 体調 (4+3+5+3+3+4+5)/7 = 3.857.
    expect(town).toMatchObject({
      期間名: '令和8年度 上期',
      期間の種類: '半期',
      集計日数: '14',
      在籍人数: '11',
      '朝チェックイン 依頼数': '10',
      '朝チェックイン 回答数': '7',
    });
    expect(town).toMatchObject({
      '回答率(%)': '70.0',
      '体調 回答数': '7',
      '体調 平均(1-5)': '3.86',
      'ありがとう 件数': '4',
      'ありがとう チーム志向': '2',
      'ありがとう 抱え込まない': '1',
    });
    // 総務課 (2 people) and 住民課 (2 answers) are hidden; together 4 people, so 建設課 (3 answers) is shown.
    const unit = (name: string) => records.find((r) => r['期間'] === 'FY2026H1' && r['課'] === name)!;
    expect(unit('総務課')).toMatchObject({ '体調 平均(1-5)': '非表示', '回答率(%)': '非表示', 'ありがとう チーム志向': '非表示', 'ありがとう 件数': '0' });
    expect(unit('住民課')['体調 平均(1-5)']).toBe('非表示');
    expect(unit('建設課')).toMatchObject({ '体調 回答数': '3', '体調 平均(1-5)': '4.00' });
    expect(records.find((r) => r['期間'] === '2026-09' && r['役職'] === '主事')).toMatchObject({ 期間名: '2026年9月', 'ヒヤリハット 件数': '' });
  });

  it('export-kudos gives HR each person’s kudos and プラス評価 by value, and no message', async () => {
    const file = path.join(dir, 'kudos.csv');
    const run = await kpiInProcess(['export-kudos', '--period', 'FY2026H1', '--out', file, '--tenant', t.tenantId], env);
    expect(run).toMatchObject({ code: 0, err: '' });
    const { raw, records } = readCsv(file);
    expect(raw.subarray(0, 3)).toEqual(BOM);
    expect(raw.toString('utf8')).not.toContain('感謝の言葉');
    const of = (id: string) => records.find((r) => r['職員番号'] === id)!;
    // X: share from L, team from M (M is X's 上司: also a プラス評価); L: learn from C, their 上司.
    expect(of('X')).toMatchObject({
      氏名: '建築 主事',
      課: '建設課',
      役職: '主事',
      'ありがとう 受け取った数': '2',
      'ありがとう 抱え込まない': '1',
      'ありがとう チーム志向': '1',
      'プラス評価 数': '1',
      'プラス評価 チーム志向': '1',
      'プラス評価 抱え込まない': '0',
    });
    expect(of('L')).toMatchObject({ 'ありがとう 受け取った数': '1', 'ありがとう 学び続ける': '1', 'プラス評価 数': '1', 'プラス評価 学び続ける': '1' });
    expect(of('M')).toMatchObject({ 'ありがとう 受け取った数': '0', 'プラス評価 数': '0' });
    expect(records).toHaveLength(11);
    const nextHalf = await kpiInProcess(['export-kudos', '--period', 'FY2026H2', '--out', file, '--tenant', t.tenantId], env);
    expect(nextHalf.code).toBe(0);
    expect(readCsv(file).records.find((r) => r['職員番号'] === 'X')).toMatchObject({ 'ありがとう 受け取った数': '0', 'プラス評価 数': '0' });
  });

  it('report writes the half as one self-contained HTML file, for the town or one 課', async () => {
    const file = path.join(dir, 'report.html');
    expect(await kpiInProcess(['report', '--period', 'FY2026H1', '--out', file, '--tenant', t.tenantId], env)).toMatchObject({ code: 0, err: '' });
    const town = readFileSync(file, 'utf8');
    expect(town).toContain('令和8年度 上期');
    expect(town).toContain('町全体');
    expect(town.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    expect(town).not.toMatch(/<(?:script|link|img)\b/);
    expect(await kpiInProcess(['report', '--period', 'FY2026H1', '--unit', '建設課', '--out', file, '--tenant', t.tenantId], env)).toMatchObject({ code: 0 });
    expect(readFileSync(file, 'utf8')).toContain('建設課');
    expect((await kpiInProcess(['report', '--period', 'FY2026H1', '--out', file, '--lang', 'fr', '--tenant', t.tenantId], env)).code).toBe(2);
  });

  it.each([
    [['backfill', '--from', '2026-13-01', '--to', '2026-09-30'], '--from: not a calendar day (got "2026-13-01")'],
    [['backfill', '--from', '2026-10-01', '--to', '2026-09-30'], '--to: must not be before --from (got "2026-09-30")'],
    [['backfill', '--to', '2026-09-30'], '--from: required: a day YYYY-MM-DD'],
    [['backfill', '--from', '2026-09-01', '--to', '2026-10-02'], '--to: 2026-10-02 has not happened yet (today is 2026-10-01)'],
    [
      ['export', '--period', 'FY2026H3', '--out', 'x.csv'],
      '--period: "FY2026H3" is not a period: use FY2026H1 (上期 Apr–Sep), FY2026H2 (下期 Oct–Mar), FY2026 (fiscal year Apr–Mar) or 2026-05 (a month)',
    ],
    [['export', '--period', 'FY2026H1'], '--out: required: the CSV file to write'],
    [['export', '--period', 'FY2026H1', '--out', 'x.csv', '--format', 'xlsx'], "Unknown option '--format'"],
    [['report', '--out', 'r.html'], '--period: required'],
    [['summary'], 'unknown subcommand "summary"'],
  ])('refuses %j with a message naming the problem (exit 2)', async (args, message) => {
    const run = await kpiInProcess([...args, '--tenant', t.tenantId], env);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.err).toContain('npm run kpi --');
  });

  it('says a period has not been rolled up yet instead of writing an empty file', async () => {
    const run = await kpiInProcess(['export', '--period', 'FY2025H2', '--out', path.join(dir, 'none.csv'), '--tenant', t.tenantId], env);
    expect(run.code).toBe(1);
    expect(run.err).toContain('FY2025H2 はまだ集計されていません');
  });
});
