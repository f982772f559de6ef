import type { DailyJobSource } from '../../src/scheduler/daily-job';
import { CheckinRepository, CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { DEPARTED } from '../../src/features/data/person-records';
import { applyRetention, type RetentionOutcome } from '../../src/features/data/retention';
import { DATA_TABLES } from '../../src/features/data/retention.repository';
import { RetentionSchedule } from '../../src/features/data/retention.schedule';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { NEARMISS_TABLES } from '../../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES, OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import { PrivateTexts } from '../../src/features/oneonone/private-texts.repository';
import { JobRunsRepository } from '../../src/scheduler/job-runs.repository';
import { Scheduler } from '../../src/scheduler/scheduler';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { TABLES } from '../../src/storage/table-names';
import { runDataCli } from '../helpers/data-cli';
import { loadDataOrg, type DataOrg } from '../helpers/data-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/** What a second run finds to do once the first has applied every rule. */
const NOTHING_REMOVED: RetentionOutcome = {
  checkinTexts: 0,
  oneononeTexts: 0,
  nearmissTexts: 0,
  outboxRows: 0,
  kpiDailyRows: 0,
  paidLeaveRows: 0,
  trainingRows: 0,
  trainingNotes: 0,
};

/** The nightly retention job as the scheduler runs it, on the app's clock; HR's settings through the CLI. */
describe('retention: HR’s settings and the nightly job', () => {
  const clock = fixedClock(jst('2026-11-25T03:30:00'));
  let t: TestApp;
  let org: DataOrg;
  let schedule: RetentionSchedule;

  async function rows(table: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}' and PartitionKey lt '${t.tenantId}~'`;
    for await (const e of t.app.tables.table(table).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const answers = async (): Promise<Record<string, Record<string, unknown>>> =>
    Object.fromEntries(
      (await rows(CHECKIN_TABLES.checkins)).map((r) => [String(r.partitionKey).split('|').at(-1), JSON.parse(String(r.answers)) as Record<string, unknown>]),
    );
  const topics = async (): Promise<string[]> =>
    (await rows(ONEONONE_TABLES.texts)).map((r) => (JSON.parse(String(r.body)) as { topics: string }).topics).sort();
  /** The scheduler as app.ts runs it, with this job as its one source: how many jobs ran. */
  const tick = () =>
    new Scheduler({
      sources: [schedule],
      jobRuns: new JobRunsRepository(t.app.tables),
      tenants: async () => [t.tenantId],
      clock,
      logger: createLogger('silent'),
    }).tick();
  const again = () => applyRetention({ tables: t.app.tables, hrTables: t.app.tables }, t.tenantId, clock.now());

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadDataOrg(t);
    schedule = new RetentionSchedule({ tables: t.app.tables, hrTables: t.app.tables, clock });
    const checkins = new CheckinRepository(t.app.tables);
    const checkin = (day: string, priority: string) =>
      checkins.save({
        tenantId: t.tenantId,
        unit: '建設課',
        day,
        slot: 'morning',
        personId: 'L',
        answers: { priority, trouble: `${priority}の困りごと`, needHelp: false, condition: 4 },
        createdAt: `${day}T00:00:00.000Z`,
        updatedAt: `${day}T00:00:00.000Z`,
      });
    await checkin('2025-10-01', '昨年');
    await checkin('2026-04-01', '半年前');
    await checkin('2026-11-02', '今月');

    // M–S is a pair of today's directory; M–Z was one (Z has left); the DEPARTED pair is what a purge leaves.
    await new OneOnOneRepository(t.app.tables).syncPairs(
      t.tenantId,
      [
        { managerId: 'M', memberId: 'S', unit: '建設課' },
        { managerId: 'M', memberId: 'Z', unit: '建設課' },
      ],
      '2019-04-01',
    );
    const texts = new PrivateTexts(t.app.tables);
    const agenda = (managerId: string, memberId: string, meetingId: string, topic: string) =>
      texts.write(t.tenantId, memberId, { managerId, memberId, meetingId }, 'agenda', { topics: topic }, clock.now());
    await agenda('M', 'S', 'm20200110090000-aaaaaa', '続いている組の6年前');
    await agenda('M', 'Z', 'm20200110090000-bbbbbb', '終わった組の6年前');
    await agenda('M', 'Z', 'm20261101090000-bbbbbb', '終わった組の今月');
    await agenda(DEPARTED, 'S', 'm20200110090000-cccccc', '退職者の組の6年前');
    await agenda(DEPARTED, 'S', 'm20250110090000-cccccc', '退職者の組の2年前');

    await org.say('L', 'ありがとう <at>土木 主査</at> 今日も誠実に対応してくれました', [org.mention('S')]);
    await org.submit('L', {
      verb: 'nearmiss.submit',
      date: '2026-11-24',
      time: '16:30',
      category: 'counter',
      impact: '2',
      cause: 'check',
      what: '窓口での取り違え',
      anonymous: 'false',
    });
    await t.app.tables.table(KPI_TABLES.daily).createTable();
    await t.app.tables.table(KPI_TABLES.daily).upsertEntity({ partitionKey: `${t.tenantId}|2026-11-24`, rowKey: 'town', members: 9 }, 'Replace');
  }, 120_000);
  afterAll(() => t.stop());

  it('is a job of office-day nights, after the KPI rollup', async () => {
    expect((schedule as DailyJobSource).days).toBeUndefined();
    expect(await schedule.occurrences(t.tenantId)).toEqual([expect.objectContaining({ id: 'data.retention', from: '03:30', until: '23:59' })]);
  });

  it('by default: blanks check-in texts over 12 months, deletes 1on1 texts 5 years after the pair ended, keeps the rest; a second run changes nothing', async () => {
    expect(await tick()).toBe(1);
    const kept = await answers();
    expect(kept['2025-10-01']).toEqual({ priority: '', trouble: '', needHelp: false, condition: 4 });
    expect(kept['2026-04-01']).toMatchObject({ priority: '半年前', trouble: '半年前の困りごと' });
    expect(kept['2026-11-02']).toMatchObject({ priority: '今月' });
    // M–Z ended today as far as anyone can tell: its clock starts now. The DEPARTED pair has no end: its meeting dates count.
    expect(await topics()).toEqual(['終わった組の6年前', '終わった組の今月', '続いている組の6年前', '退職者の組の2年前']);
    expect((await rows(DATA_TABLES.retention)).filter((r) => String(r.rowKey).startsWith('pairend|'))).toEqual([
      expect.objectContaining({ managerId: 'M', memberId: 'Z', endedOn: '2026-11-25' }),
    ]);
    expect((await rows(NEARMISS_TABLES.reports))[0]).toMatchObject({ what: '窓口での取り違え' });

    expect(await tick()).toBe(0);
    expect(await again()).toEqual(NOTHING_REMOVED);
  });

  it('HR changes the settings from the CLI; a bad key or value is named and nothing is saved', async () => {
    const cli = (...args: string[]) => runDataCli([...args, '--tenant', t.tenantId], t.connectionString);
    const shown = await cli('retention');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/checkinTextMonths\s+1 年（12 か月）（既定）/);
    expect(shown.stdout).toMatch(/nearmissTextMonths\s+削除しない（既定）/);

    const bad = await cli('retention', '--set', 'checkinTextMonths=abc,foo=1,outboxMonths=6');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('checkinTextMonths: 1〜1200 の月数か keep');
    expect(bad.stderr).toContain('foo: 知らない項目です');
    expect(bad.stderr).not.toContain('outboxMonths:');
    expect((await cli('retention')).stdout).toMatch(/outboxMonths\s+1 年（12 か月）（既定）/);

    const set = await cli('retention', '--set', 'checkinTextMonths=6,nearmissTextMonths=1');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('保存期間を変更しました');
    expect(set.stdout).toMatch(/checkinTextMonths\s+6 か月 /);
    expect(set.stdout).toMatch(/oneononeTextMonths\s+5 年（60 か月）（既定）/);

    expect(await again()).toMatchObject({ checkinTexts: 1, nearmissTexts: 0 });
    const kept = await answers();
    expect(kept['2026-04-01']).toMatchObject({ priority: '', trouble: '', condition: 4 });
    expect(kept['2026-11-02']).toMatchObject({ priority: '今月' });
  });

  it('five years on: the ended pair’s texts go, the current pair’s stay; old messages and near-miss texts go; KPI rollups stay', async () => {
    expect((await rows(TABLES.outbox)).length).toBeGreaterThan(0);
    clock.set(jst('2031-11-26T03:30:00'));
    expect(await tick()).toBe(1);
    expect(await topics()).toEqual(['続いている組の6年前']);
    expect((await answers())['2026-11-02']).toMatchObject({ priority: '', trouble: '' });
    expect(await rows(TABLES.outbox)).toEqual([]);
    const [report] = await rows(NEARMISS_TABLES.reports);
    expect(report).toMatchObject({ what: '', category: 'counter', cause: 'check', impact: 2, reporterId: 'L' });
    expect(await rows(KPI_TABLES.daily)).toEqual([expect.objectContaining({ rowKey: 'town', members: 9 })]);
    expect(await again()).toEqual(NOTHING_REMOVED);
  });
});
