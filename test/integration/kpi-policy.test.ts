import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { JobRunsRepository } from '../../src/scheduler/job-runs.repository';
import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { runKpiCli } from '../../src/features/kpi/kpi.cli';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { createKpi, type Kpi } from '../../src/features/kpi/kpi.wiring';
import { KudosRepository } from '../../src/features/kudos/kudos.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import { OrgRepository } from '../../src/directory/org.repository';
import { ja } from '../../src/i18n/catalog-ja';
import { fixedClock } from '../../src/shared/clock';
import { kpiPolicySources, type RecordedSources } from '../helpers/kpi-policy-sources';
import { jst, loadKpiOrg, type KpiOrg } from '../helpers/kpi-rollup-org';
import { startTestApp, testConnectionString, type TestApp } from '../helpers/test-app';

type Row = Record<string, unknown>;

/**
 * 有給休暇, 研修, OJT and the staff survey flowing through the KPI layer: the nightly job's code
 * writes their snapshot into kpiperiods and the survey into kpisurveys (Azurite), the reader and
 * the レポート card show them, the CSV export carries them. The features' sources are plain
 * objects (test/helpers/kpi-policy-sources.ts); without them, nothing of theirs appears.
 */
describe('the policy’s other KPIs in HR storage, the report, the card and the CSV', () => {
  const clock = fixedClock(jst('2026-09-30T08:00:00'));
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-kpi-policy-'));
  let t: TestApp;
  let org: KpiOrg;
  let kpi: Kpi;
  let sources: RecordedSources;
  let withoutSources: Kpi;

  async function rows(table: string, partition: string): Promise<Row[]> {
    const out: Row[] = [];
    const filter = `PartitionKey eq '${t.tenantId}|${partition}'`;
    for await (const e of t.app.tables.table(table).listEntities<Row>({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const row = async (table: string, partition: string, rowKey: string): Promise<Row> => {
    const found = (await rows(table, partition)).find((r) => r.rowKey === rowKey);
    if (!found) throw new Error(`no ${table} row ${partition} / ${rowKey}`);
    return found;
  };
  const period = (p: string, key: string) => row(KPI_TABLES.periods, p, key);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadKpiOrg(t, clock);
    sources = kpiPolicySources();
    const tables = t.app.tables;
    const repositories = {
      org: new OrgRepository(tables),
      checkins: new CheckinRepository(tables),
      jobRuns: new JobRunsRepository(tables),
      oneonones: new OneOnOneRepository(tables),
      nearmisses: new NearMissRepository(tables),
      kudos: new KudosRepository(tables),
    };
    kpi = await createKpi({ hrTables: tables, repositories, clock, rollupAt: '02:00', policy: sources.policy, survey: sources.survey });
    withoutSources = await createKpi({ hrTables: tables, repositories, clock, rollupAt: '02:00' });
    await org.morning('M', '2026-09-30', { condition: '4' });
    clock.set(jst('2026-10-01T09:00:00'));
    await kpi.job.backfill(t.tenantId, '2026-09-29', '2026-09-30', '2026-10-01');
  });
  afterAll(() => t.stop());

  it('asks the sources once for each period it rebuilds: the month, the half and the fiscal year', () => {
    expect([...sources.asked].sort()).toEqual(
      ['2026-09', 'FY2026', 'FY2026H1'].flatMap((p) => ['ojt', 'paidLeave', 'survey', 'training'].map((what) => `${what} ${p}`)).sort(),
    );
  });

  it('stores the period’s snapshot on the town, 課 and 役職 rows of kpiperiods, days as doubles', async () => {
    // 10 people granted 20 days: 122.5 taken (Y took 8.5).
    expect(await period('FY2026H1', 'town')).toMatchObject({
      leavePeople: 10,
      leaveGrantedDays: 200,
      leaveTakenDays: 122.5,
      leaveRate: 0.6125,
      leaveSuppressed: false,
    });
    expect(await period('FY2026H1', 'town')).toMatchObject({
      trainingPeople: 10,
      trainingCompleted: 9,
      trainingRate: 0.9,
      ojtJuniors: 6,
      ojtPlanned: 5,
      ojtOnTrack: 3,
      ojtPlannedRate: 0.8333,
      ojtOnTrackRate: 0.6,
    });
    expect(await period('2026-09', 'unit|建設課')).toMatchObject({
      members: 5,
      leavePeople: 5,
      leaveGrantedDays: 100,
      leaveTakenDays: 60.5,
      leaveRate: 0.605,
      trainingPeople: 5,
      trainingCompleted: 4,
      trainingRate: 0.8,
      ojtJuniors: 3,
      ojtPlanned: 3,
      ojtOnTrack: 2,
    });
    // The fiscal year is counted to its last day, 2027-03-31: the 課長 took 2 more days each by then (25 + 6).
    expect(await period('FY2026', 'role|manager')).toMatchObject({ leavePeople: 3, leaveGrantedDays: 60, leaveTakenDays: 31 });
    // A month’s snapshot is not the sum of its days: the same 200 days whatever the days rolled up.
    expect(await period('2026-09', 'town')).toMatchObject({ days: 2, leaveGrantedDays: 200 });
  });

  it('hides 総務課 (2 people), and 住民課 beside it, with nothing but the flag left', async () => {
    const soumu = await period('FY2026H1', 'unit|総務課');
    expect(soumu).toMatchObject({ leaveSuppressed: true, trainingSuppressed: true, ojtSuppressed: true, members: 2 });
    const jumin = await period('FY2026H1', 'unit|住民課');
    // 住民課 (3 people, 42 of 60 days) alone would be shown; the town minus 建設課 and 住民課 would give 総務課 back.
    expect(jumin).toMatchObject({ leaveSuppressed: true, trainingSuppressed: true });
    for (const r of [soumu, jumin])
      for (const column of ['leavePeople', 'leaveGrantedDays', 'leaveTakenDays', 'leaveRate', 'trainingPeople', 'trainingRate'])
        expect(r).not.toHaveProperty(column);
    // OJT: 総務課 has 1 junior and 住民課 2: together 3, so neither needs more.
    expect(await period('FY2026H1', 'unit|建設課')).toMatchObject({ leaveSuppressed: false, ojtSuppressed: false, ojtJuniors: 3 });
    expect(await period('FY2026H1', 'role|lead')).toMatchObject({ leaveSuppressed: true, ojtSuppressed: true });
  });

  it('stores the survey closed in the period in kpisurveys: town, role groups, 課; hidden figures absent', async () => {
    expect(await row(KPI_TABLES.surveys, 'FY2026H1', 'town')).toMatchObject({
      level: 'town',
      surveyId: 'r8-h1',
      surveyTitle: 'R8上期調査',
      closedOn: '2026-09-18',
      answers: 71,
      answersSuppressed: false,
      category_evaluation: 2.6,
      agreement_evaluationAgreed: 0.47,
    });
    const manager = await row(KPI_TABLES.surveys, 'FY2026H1', 'rolegroup|manager');
    expect(manager).toMatchObject({ level: 'rolegroup', roleGroup: 'manager', answersSuppressed: true });
    expect(Object.keys(manager).filter((k) => k === 'answers' || k.startsWith('category_') || k.startsWith('agreement_'))).toEqual([]);
    expect(await row(KPI_TABLES.surveys, 'FY2026H1', 'unit|総務課')).toMatchObject({ unit: '総務課', answers: 12, category_dx: 2.9 });
    expect(await rows(KPI_TABLES.surveys, '2026-09')).toHaveLength(1 + 4 + 2);
  });

  it('the reader gives the report’s parts: rates, 課, targets, and データなし for a year earlier never rolled up', async () => {
    const report = await kpi.reader.periodReport(t.tenantId, 'FY2026H1', { kind: 'town' });
    expect(report.paidLeave).toEqual({
      people: 10,
      grantedDays: 200,
      takenDays: 122.5,
      rate: 0.6125,
      previousRate: undefined,
      target: 0.7,
      byUnit: [
        { unit: '住民課', rate: null },
        { unit: '建設課', rate: 0.605 },
        { unit: '総務課', rate: null },
      ].sort((a, b) => a.unit.localeCompare(b.unit, 'ja')),
    });
    expect(report.training).toMatchObject({ rate: 0.9, target: 0.95, people: 10, completed: 9 });
    expect(report.ojt).toEqual({
      juniors: 6,
      planned: 5,
      onTrack: 3,
      plannedRate: 0.8333,
      onTrackRate: 0.6,
      previousPlannedRate: undefined,
      previousOnTrackRate: undefined,
    });
    expect(report.engagement?.current?.surveyId).toBe('r8-h1');
    expect(report.engagement?.baseline?.surveyId).toBe('r7-baseline');
    expect(report.engagement?.highlight).toBe('evaluationAgreed');
    // The overtime of FY2025H1 was never rolled up: no data, not hidden.
    expect(report.overtime).toMatchObject({ previousMonthlyAveragePerPerson: null, previousMissing: true });
  });

  it('the CSV export carries the new columns with Japanese headers; a hidden group reads 非表示', async () => {
    const file = path.join(dir, 'kpi.csv');
    let err = '';
    const env = { STORAGE_CONNECTION_STRING: testConnectionString(), DEV_NOW: '2026-10-01T09:00:00+09:00', LOG_LEVEL: 'silent' };
    const code = await runKpiCli(['export', '--period', 'FY2026H1', '--out', file, '--tenant', t.tenantId], {
      out: { write: () => true },
      err: { write: (s: string) => (err += s) },
      env,
    });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const records = parse(readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    const header = Object.keys(records[0]!);
    expect(header.slice(-12)).toEqual([
      '有給 対象人数',
      '有給 付与日数',
      '有給 取得日数',
      '有給休暇取得率(%)',
      '研修 対象人数',
      '研修 修了人数',
      '研修受講率(%)',
      'OJT 対象者数',
      'OJT 計画作成数',
      'OJT計画作成率(%)',
      'OJT 計画どおり数',
      'OJT実施率(%)',
    ]);
    const line = (periodId: string, level: string, name = '') =>
      records.find((r) => r['期間'] === periodId && r['集計単位'] === level && (r['課'] === name || r['役職'] === name))!;
    expect(line('FY2026H1', '全体')).toMatchObject({
      '有給 対象人数': '10',
      '有給 付与日数': '200',
      '有給 取得日数': '122.5',
      '有給休暇取得率(%)': '61.3',
      '研修 対象人数': '10',
      '研修 修了人数': '9',
      '研修受講率(%)': '90.0',
      'OJT 対象者数': '6',
      'OJT 計画作成数': '5',
      'OJT計画作成率(%)': '83.3',
      'OJT 計画どおり数': '3',
      'OJT実施率(%)': '60.0',
    });
    expect(line('2026-09', '課', '建設課')).toMatchObject({
      '有給 取得日数': '60.5',
      '有給休暇取得率(%)': '60.5',
      '研修受講率(%)': '80.0',
      'OJT実施率(%)': '66.7',
    });
    expect(line('FY2026H1', '課', '総務課')).toMatchObject({
      '有給 対象人数': '非表示',
      '有給 付与日数': '非表示',
      '有給休暇取得率(%)': '非表示',
      'OJT 対象者数': '非表示',
      'OJT実施率(%)': '非表示',
    });
    // 主査 C and J: 2 people, and J the only junior among them.
    expect(line('FY2026H1', '役職', '主査')).toMatchObject({ '有給 対象人数': '非表示', '研修受講率(%)': '非表示' });
  });

  it('レポート in Teams shows the rates beside their targets, drops them once rolled up without the sources, and says when no survey closed', async () => {
    const card = async (): Promise<string> => {
      t.connector.reset();
      await org.say('H', 'レポート FY2026H1');
      return t.connector
        .sent()
        .map((c) => JSON.stringify(c.body))
        .join('\n');
    };
    const shown = await card();
    expect(shown).toContain(ja['kpiReport.kpi.paidLeave']);
    expect(shown).toContain('"61.3%"');
    expect(shown).toContain('"70%以上"');
    expect(shown).toContain('"全職員の95%以上"');
    expect(shown).toContain('"83.3%"');
    expect(shown).toContain('前年同期 データなし');
    expect(shown).not.toContain('前年同期 非表示');

    // A KPI layer without the sources: its rollup of the same days leaves the snapshot out.
    await withoutSources.job.backfill(t.tenantId, '2026-09-29', '2026-09-30', '2026-10-01');
    expect(await period('FY2026H1', 'town')).not.toHaveProperty('leaveSuppressed');
    const without = await card();
    expect(without).toContain('KPI — 町全体');
    expect(without).not.toContain(ja['kpiReport.kpi.paidLeave']);
    // The app's survey source is wired but no survey closed in the period: said so, not hidden.
    expect(without).toContain(ja['kpiReport.kpi.engagement.none']);
  });
});
