import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { ja } from '../../src/i18n/catalog-ja';
import { fixedClock } from '../../src/shared/clock';
import { jst, loadKpiOrg, type KpiOrg } from '../helpers/kpi-rollup-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

type Row = Record<string, unknown>;

/**
 * A month of the KPI org's practice, every step through /api/messages, rolled up by the nightly job
 * (the scheduler) and by the backfill; every expected figure is added up by hand in the comments.
 */
describe('KPI rollups in HR storage: nightly job, backfill, periods, privacy', () => {
  const clock = fixedClock(jst('2026-08-03T10:00:00'));
  let t: TestApp;
  let org: KpiOrg;

  async function rows(table: string, partition: string): Promise<Row[]> {
    const out: Row[] = [];
    const filter = `PartitionKey eq '${t.tenantId}|${partition}'`;
    for await (const e of t.app.tables.table(table).listEntities<Row>({ queryOptions: { filter } })) {
      const { etag: _etag, timestamp: _timestamp, ...rest } = e;
      out.push(rest);
    }
    return out.sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
  }
  const row = async (table: string, partition: string, rowKey: string): Promise<Row> => {
    const found = (await rows(table, partition)).find((r) => r.rowKey === rowKey);
    if (!found) throw new Error(`no ${table} row ${partition} / ${rowKey}`);
    return found;
  };
  const day = (d: string, key: string) => row(KPI_TABLES.daily, d, key);
  const period = (p: string, key: string) => row(KPI_TABLES.periods, p, key);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadKpiOrg(t, clock);
    // Monday 08-03: the first 1on1 overview starts every pair's clock; due 09-02, late from 09-03.
    await org.say('M', '1on1');

    // The same day a year earlier (for the overtime comparison): 30 minutes each for M, C, L, answered that evening.
    clock.set(jst('2025-09-30T17:30:00'));
    for (const id of ['M', 'C', 'L']) await org.evening(id, '2025-09-30', { overtime: '30', satisfaction: '3' });
    clock.set(jst('2026-08-03T10:00:00'));

    await org.holdOneOnOne('M3', 'J', '2026-09-15', '2026-09-14');
    await org.holdOneOnOne('M', 'X', '2026-09-30', '2026-09-29');

    // Wednesday 2026-09-30.
    clock.set(jst('2026-09-30T08:00:00'));
    await org.say('Y', '休み');
    clock.set(jst('2026-09-30T08:45:00'));
    await t.app.runDueJobs();
    const d = '2026-09-30';
    await org.morning('M', d, { condition: '4' });
    await org.morning('C', d, { condition: '3', needHelp: 'true', trouble: '橋梁点検の段取りで困っています' });
    await org.morning('L', d, { condition: '5' });
    await org.morning('X', d, { condition: '2' });
    await org.morning('M2', d, { condition: '3' });
    await org.morning('H', d, { condition: '3' });
    await org.morning('J', d, { condition: '4' });
    await org.morning('K', d, { condition: '5' });
    clock.set(jst('2026-09-30T09:30:00'));
    await org.submit('M', { verb: 'checkin.help.take', day: d, unit: '建設課', reporterId: 'C' });
    await org.nearmiss('X', d, { category: 'counter', impact: '2' });
    await org.nearmiss('L', d, { category: 'money', impact: '3', anonymous: 'true' });
    await org.nearmiss('H', d, { category: 'personal', impact: '1' });
    await org.kudos('L', 'k-l-x', 'X', 'share');
    await org.kudos('C', 'k-c-l', 'L', 'learn');
    await org.kudos('M', 'k-m-xy', 'X,Y', 'team');
    await org.kudos('K', 'k-k-h', 'H', 'residents');
    clock.set(jst('2026-09-30T17:00:00'));
    await t.app.runDueJobs();
    await org.evening('M', d, { overtime: '60', satisfaction: '4' });
    await org.evening('C', d, { overtime: '18:15', satisfaction: '3' });
    await org.evening('L', d, { overtime: '', satisfaction: '5' });
    await org.evening('X', d, { overtime: '30', satisfaction: '2' });
    await org.evening('H', d, { overtime: '120', satisfaction: '4' });
    await org.evening('J', d, { overtime: '0', satisfaction: '3' });
    await org.evening('K', d, { overtime: '15', satisfaction: '4' });
    await org.evening('M3', d, { overtime: '45', satisfaction: '5' });
  });
  afterAll(() => t.stop());

  describe('the nightly job at 02:00 rolls up 2026-09-30', () => {
    beforeAll(async () => {
      clock.set(jst('2026-10-01T02:00:00'));
      await t.app.runDueJobs();
    });

    it('check-ins: prompts to everyone not on leave, answers, 助けが必要 taken', async () => {
      // Due: the 10 members with a 課 minus Y on leave = 9 each time; answered 8 mornings (not M3), 8 evenings (not M2).
      expect(await day('2026-09-30', 'town')).toMatchObject({
        level: 'town',
        day: '2026-09-30',
        members: 11,
        promptsMorning: 9,
        promptsEvening: 9,
        answeredMorning: 8,
        answeredEvening: 8,
        checkinRate: 0.8889,
        helpRequested: 1,
        helpTaken: 1,
      });
      expect(await day('2026-09-30', 'unit|建設課')).toMatchObject({
        members: 5,
        promptsMorning: 4,
        answeredMorning: 4,
        answeredEvening: 4,
        helpRequested: 1,
        helpTaken: 1,
      });
      expect(await day('2026-09-30', 'role|appointee')).toMatchObject({ members: 1, promptsMorning: 0, answeredMorning: 0 });
    });

    it('体調, 満足度 and 時間外: sums and averages where at least 3 people answered', async () => {
      // 体調 4+3+5+2+3+3+4+5 = 29 over 8; 満足度 4+3+5+2+4+3+4+5 = 30 over 8; 時間外 60+60+0+30+120+0+15+45 = 330 over 8.
      expect(await day('2026-09-30', 'town')).toMatchObject({
        conditionCount: 8,
        conditionSum: 29,
        conditionAverage: 3.625,
        satisfactionCount: 8,
        satisfactionSum: 30,
        satisfactionAverage: 3.75,
        overtimePeople: 8,
        overtimeMinutes: 330,
        overtimeAverage: 41.25,
      });
      // 建設課: M, C, L, X — 体調 4+3+5+2, 満足度 4+3+5+2, 時間外 60 + 60 (18:15) + 0 (empty) + 30.
      expect(await day('2026-09-30', 'unit|建設課')).toMatchObject({
        conditionSum: 14,
        conditionAverage: 3.5,
        satisfactionAverage: 3.5,
        overtimeMinutes: 150,
        overtimeAverage: 37.5,
      });
      // 主事 X, H, K: 体調 2+3+5, 満足度 2+4+4, 時間外 30+120+15.
      expect(await day('2026-09-30', 'role|staff')).toMatchObject({
        conditionSum: 10,
        satisfactionSum: 10,
        overtimeMinutes: 165,
        overtimeAverage: 55,
        roleLabel: '主事',
      });
    });

    it('stores a figure behind fewer than 3 people as suppressed, with no number at all', async () => {
      const soumu = await day('2026-09-30', 'unit|総務課');
      // 総務課: 2 morning answers, 1 evening answer, 2 members.
      expect(soumu).toMatchObject({
        conditionSuppressed: true,
        satisfactionSuppressed: true,
        overtimeSuppressed: true,
        nearmissSuppressed: true,
        kudosSuppressed: true,
        nearmissTotal: 1,
        kudosTotal: 1,
      });
      for (const column of [
        'conditionSum',
        'conditionCount',
        'conditionAverage',
        'satisfactionSum',
        'overtimeMinutes',
        'overtimePeople',
        'nearmissPersonal',
        'kudosResidents',
        'checkinRate',
      ]) {
        expect(soumu).not.toHaveProperty(column);
      }
      // 1 課長 answered in the evening... 2 managers: never an average for them.
      expect(await day('2026-09-30', 'role|manager')).toMatchObject({ conditionSuppressed: true, satisfactionSuppressed: true, overtimeSuppressed: true });
    });

    it('hides 住民課 as well when only 総務課 (1 evening answer) is hidden: the town minus 建設課 must not give H back', async () => {
      // 住民課 has 3 evening answers (J, K, M3: 満足度 12, 時間外 60) and would be shown on its own.
      const jumin = await day('2026-09-30', 'unit|住民課');
      expect(jumin).toMatchObject({ satisfactionSuppressed: true, overtimeSuppressed: true, answeredEvening: 3 });
      expect(jumin).not.toHaveProperty('satisfactionSum');
      // Its morning (J, K: 2 answers) is hidden on its own; 総務課's 2 + 住民課's 2 = 4 hidden, so 建設課 stays.
      expect(jumin).toMatchObject({ conditionSuppressed: true });
    });

    it('near-misses by 業務区分 and 影響度, the anonymous one included, by 課 only', async () => {
      expect(await day('2026-09-30', 'town')).toMatchObject({
        nearmissTotal: 3,
        nearmissCounter: 1,
        nearmissMoney: 1,
        nearmissPersonal: 1,
        nearmissSystem: 0,
        nearmissImpact1: 1,
        nearmissImpact2: 1,
        nearmissImpact3: 1,
        nearmissImpact4: 0,
      });
      expect(await day('2026-09-30', 'unit|建設課')).toMatchObject({ nearmissTotal: 2, nearmissCounter: 1, nearmissMoney: 1, nearmissImpact3: 1 });
      expect(await day('2026-09-30', 'unit|住民課')).toMatchObject({ nearmissTotal: 0, nearmissSuppressed: false, nearmissCounter: 0 });
      expect(await day('2026-09-30', 'role|lead')).not.toHaveProperty('nearmissTotal');
    });

    it('kudos by value, by the recipient’s 課 and 役職', async () => {
      // X share + team, L learn, Y team, H residents.
      expect(await day('2026-09-30', 'town')).toMatchObject({ kudosTotal: 5, kudosShare: 1, kudosLearn: 1, kudosTeam: 2, kudosResidents: 1, kudosPurpose: 0 });
      expect(await day('2026-09-30', 'unit|建設課')).toMatchObject({ kudosTotal: 4, kudosShare: 1, kudosLearn: 1, kudosTeam: 2 });
      expect(await day('2026-09-30', 'role|staff')).toMatchObject({ kudosTotal: 3, kudosShare: 1, kudosTeam: 1, kudosResidents: 1 });
      expect(await day('2026-09-30', 'role|lead')).toMatchObject({ kudosTotal: 1, kudosSuppressed: true });
    });

    it('1on1s held that day and pairs past their cadence', async () => {
      // Pairs M–C, C–L, M–X, M–Y, M2–H, M3–J, M3–K; X held today, J on 09-15 (due 10-15): 5 late.
      expect(await day('2026-09-30', 'town')).toMatchObject({ oneononeHeld: 1, oneononePairs: 7, oneononePairsLate: 5, oneononeLateNewMonth: 0 });
      expect(await day('2026-09-30', 'unit|建設課')).toMatchObject({ oneononeHeld: 1, oneononePairs: 4, oneononePairsLate: 3 });
      expect(await day('2026-09-30', 'unit|住民課')).toMatchObject({ oneononeHeld: 0, oneononePairs: 2, oneononePairsLate: 1 });
    });

    it('keeps no free text, name or person in HR storage', async () => {
      const all = JSON.stringify([
        ...(await rows(KPI_TABLES.daily, '2026-09-30')),
        ...(await rows(KPI_TABLES.periods, '2026-09')),
        ...(await rows(KPI_TABLES.periods, 'FY2026H1')),
      ]);
      for (const text of ['橋梁点検', 'ヒヤリ本文', '感謝の言葉', '1on1の記録本文', '業務', '建設 課長', '人事 主事', '"C"', '"M2"', 'personId', 'A0'])
        expect(all).not.toContain(text);
    });

    it('running the same day again writes the very same rows', async () => {
      const before = [await rows(KPI_TABLES.daily, '2026-09-30'), await rows(KPI_TABLES.periods, '2026-09'), await rows(KPI_TABLES.periods, 'FY2026H1')];
      expect(before[0]).toHaveLength(1 + 4 + 6);
      await t.app.kpi.job.rollupDays(t.tenantId, '2026-09-30', '2026-09-30');
      expect([await rows(KPI_TABLES.daily, '2026-09-30'), await rows(KPI_TABLES.periods, '2026-09'), await rows(KPI_TABLES.periods, 'FY2026H1')]).toEqual(
        before,
      );
    });
  });

  describe('Monday 02:00 covers Thursday to Sunday; the backfill builds months, halves and years', () => {
    beforeAll(async () => {
      // Thursday 10-01 (下期): Y is back, 10 prompts; M answers; X files a near-miss. Nobody runs the job on Friday.
      clock.set(jst('2026-10-01T08:45:00'));
      await t.app.runDueJobs();
      await org.morning('M', '2026-10-01', { condition: '5' });
      clock.set(jst('2026-10-01T10:00:00'));
      await org.nearmiss('X', '2026-10-01', { category: 'system', impact: '1' });
      clock.set(jst('2026-10-05T02:00:00'));
      await t.app.runDueJobs();
    });

    it('rolls up every day since the last run, the weekend included', async () => {
      expect(await day('2026-10-01', 'town')).toMatchObject({ promptsMorning: 10, answeredMorning: 1, nearmissTotal: 1, nearmissSystem: 1 });
      expect(await day('2026-10-03', 'town')).toMatchObject({ members: 11, promptsMorning: 0, answeredMorning: 0, oneononePairsLate: 5 });
      expect(await day('2026-10-04', 'town')).toMatchObject({ day: '2026-10-04' });
      await expect(day('2026-10-05', 'town')).rejects.toThrow('no kpidaily row');
    });

    it('2026-09-30 counts in 上期 (FY2026H1), 2026-10-01 in 下期 (FY2026H2); a pair late again in October is new to the half, not the year', async () => {
      clock.set(jst('2026-10-21T09:00:00'));
      await t.app.kpi.job.backfill(t.tenantId, '2026-09-01', '2026-10-20', '2026-10-21');
      await t.app.kpi.job.backfill(t.tenantId, '2025-09-30', '2025-09-30', '2026-10-21');

      // Every pair became late on 09-03 (7, new to September, 上期 and FY2026); 5 again on 10-01 and J on 10-16 (6 new to October and 下期).
      expect(await period('2026-09', 'town')).toMatchObject({
        days: 30,
        oneononePairs: 7,
        oneononePairsLateInPeriod: 7,
        oneononePairsOnTime: 0,
        oneononeCompletionRate: 0,
        oneononeHeld: 2,
      });
      expect(await period('FY2026H1', 'town')).toMatchObject({
        periodKind: 'half',
        from: '2026-04-01',
        to: '2026-09-30',
        days: 30,
        answeredMorning: 8,
        promptsMorning: 9,
        oneononePairsLateInPeriod: 7,
      });
      expect(await period('FY2026H2', 'town')).toMatchObject({
        from: '2026-10-01',
        to: '2027-03-31',
        days: 20,
        answeredMorning: 1,
        promptsMorning: 10,
        nearmissTotal: 1,
        oneononePairsLateInPeriod: 6,
        oneononePairsOnTime: 1,
        oneononeCompletionRate: 0.1429,
      });
      expect(await period('FY2026', 'town')).toMatchObject({
        days: 50,
        answeredMorning: 9,
        nearmissTotal: 4,
        oneononePairsLateInPeriod: 7,
        oneononePairsOnTime: 0,
      });
      // The overtime month: 330 minutes over 8 people answering on its one day.
      expect(await period('2026-09', 'town')).toMatchObject({ overtimeMinutes: 330, overtimePeople: 8, overtimeDays: 1, overtimeMonthlyAverage: 41.25 });
    });

    it('the reader gives the half-year report town-wide: targets’ inputs and the −10% comparison with a year earlier', async () => {
      const report = await t.app.kpi.reader.periodReport(t.tenantId, 'FY2026H1', { kind: 'town' });
      expect(report.period).toEqual({ id: 'FY2026H1', kind: 'half', from: '2026-04-01', to: '2026-09-30' });
      expect(report.previousPeriod.id).toBe('FY2025H1');
      expect(report.checkins).toEqual({
        promptsSent: 18,
        answeredMorning: 8,
        answeredEvening: 8,
        rate: 0.8889,
        averageCondition: 3.625,
        averageSatisfaction: 3.75,
      });
      expect(report.help).toEqual({ requested: 1, taken: 1 });
      // A year earlier: 30 + 30 + 30 minutes over 3 people on one day = 30 a month; (41.25 − 30) / 30 = +37.5%.
      expect(report.overtime).toEqual({
        totalMinutes: 330,
        monthlyAveragePerPerson: 41.25,
        previousMonthlyAveragePerPerson: 30,
        previousMissing: false,
        changeRatio: 0.375,
      });
      expect(report.oneonones).toMatchObject({ held: 2, pairs: 7, pairsHeldWithinCadence: 0, completionRate: 0 });
      expect([...report.oneonones.byUnit].sort((a, b) => a.unit.localeCompare(b.unit))).toEqual(
        [
          { unit: '住民課', pairs: 2, pairsHeldWithinCadence: 0, completionRate: null },
          { unit: '建設課', pairs: 4, pairsHeldWithinCadence: 0, completionRate: 0 },
          { unit: '総務課', pairs: 1, pairsHeldWithinCadence: 0, completionRate: null },
        ].sort((a, b) => a.unit.localeCompare(b.unit)),
      );
      expect(report.nearmisses).toEqual({
        total: 3,
        byCategory: { counter: 1, personal: 1, money: 1, documents: 0, system: 0, safety: 0, external: 0, other: 0 },
        bySeverity: { '1': 1, '2': 1, '3': 1, '4': 0 },
      });
      expect(report.kudos).toEqual({
        total: 5,
        byValue: { purpose: 0, share: 1, learn: 1, sincere: 0, data: 0, residents: 1, autonomy: 0, team: 2, reform: 0 },
      });
      expect(report.months.map((m) => m.month)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09']);
      expect(report.months[0]).toEqual({ month: '2026-04', checkinRate: null, overtimeAveragePerPerson: null, overtimeTotalMinutes: 0 });
      expect(report.months[5]).toEqual({ month: '2026-09', checkinRate: 0.8889, overtimeAveragePerPerson: 41.25, overtimeTotalMinutes: 330 });
    });

    it('a 課 sees its own figures; a 課 of 2 sees none of its averages or breakdowns', async () => {
      const kensetsu = await t.app.kpi.reader.periodReport(t.tenantId, 'FY2026H1', { kind: 'unit', unit: '建設課' });
      expect(kensetsu.checkins).toMatchObject({ promptsSent: 8, averageCondition: 3.5, averageSatisfaction: 3.5 });
      expect(kensetsu.overtime).toMatchObject({ totalMinutes: 150, monthlyAveragePerPerson: 37.5, previousMonthlyAveragePerPerson: 30 });
      expect(kensetsu.oneonones.byUnit).toEqual([{ unit: '建設課', pairs: 4, pairsHeldWithinCadence: 0, completionRate: 0 }]);
      expect(kensetsu.nearmisses.byCategory).toMatchObject({ counter: 1, money: 1 });

      const soumu = await t.app.kpi.reader.periodReport(t.tenantId, 'FY2026H1', { kind: 'unit', unit: '総務課' });
      expect(soumu.checkins).toMatchObject({ rate: null, averageCondition: null, averageSatisfaction: null });
      expect(soumu.overtime.monthlyAveragePerPerson).toBeNull();
      expect(soumu.nearmisses.total).toBe(1);
      expect(Object.values(soumu.nearmisses.byCategory).every((v) => v === null)).toBe(true);
      expect(Object.values(soumu.kudos.byValue).every((v) => v === null)).toBe(true);
    });

    it('レポート in Teams: HR gets the town beside the targets, a 課長 their own 課 only, anyone else is told who it is for', async () => {
      const answer = async (id: string, text: string): Promise<string> => {
        t.connector.reset();
        await org.say(id, text);
        return t.connector
          .sent()
          .map((c) => JSON.stringify(c.body))
          .join('\n');
      };
      const town = await answer('H', 'レポート FY2026H1');
      expect(town).toContain('KPI — 町全体');
      expect(town).toContain('令和8年度 上期');
      expect(town).toContain('88.9%');
      expect(town).toContain('+37.5%');
      expect(town).toContain('100%');
      expect(town).toContain(ja['kpiReport.card.byUnit']);

      const own = await answer('M', 'レポート FY2026H1');
      expect(own).toContain('KPI — 建設課');
      expect(own).not.toContain(ja['kpiReport.card.byUnit']);
      expect(await answer('H', 'レポート 建設課 FY2026H1')).toContain('KPI — 建設課');

      expect(await answer('M', 'レポート 総務課 FY2026H1')).toContain(
        JSON.stringify(ja['kpiReport.scope.ownUnitOnly'].replace(/\{unit\}/g, '建設課')).slice(1, -1),
      );
      for (const refused of ['X', 'C']) expect(await answer(refused, 'レポート')).toContain(ja['kpiReport.scope.notAllowed']);
      const wrongPeriod = await answer('H', 'レポート FY26');
      expect(wrongPeriod).toContain('「FY26」は期間として読めませんでした');
      expect(wrongPeriod).not.toContain('KPI —');
    });

    it('2027-03-31 ends FY2026 and 2027-04-01 starts FY2027', async () => {
      clock.set(jst('2027-03-31T09:00:00'));
      await org.morning('M', '2027-03-31', { condition: '4' });
      clock.set(jst('2027-04-01T09:00:00'));
      await org.morning('M', '2027-04-01', { condition: '2' });
      clock.set(jst('2027-04-02T09:00:00'));
      await t.app.kpi.job.backfill(t.tenantId, '2027-03-31', '2027-04-01', '2027-04-02');

      // FY2026: 8 (09-30) + 1 (10-01) + 1 (03-31) morning answers; FY2027 only 04-01's.
      expect(await period('FY2026', 'town')).toMatchObject({ answeredMorning: 10, days: 51, lastDay: '2027-03-31' });
      expect(await period('FY2026H2', 'town')).toMatchObject({ answeredMorning: 2, lastDay: '2027-03-31' });
      expect(await period('FY2027', 'town')).toMatchObject({ answeredMorning: 1, days: 1, from: '2027-04-01', to: '2028-03-31' });
      expect(await period('FY2027H1', 'town')).toMatchObject({ answeredMorning: 1 });
      const report = await t.app.kpi.reader.periodReport(t.tenantId, 'FY2027', { kind: 'town' });
      expect(report.checkins.answeredMorning).toBe(1);
      expect(report.previousPeriod.id).toBe('FY2026');
    });
  });
});
