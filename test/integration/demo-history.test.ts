import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { prepareDemoTown, type DemoHistoryResult } from '../../src/dev/demo-history';
import { writeOjtHistory } from '../../src/dev/demo-history.ojt';
import { writePaidLeaveHistory } from '../../src/dev/demo-history.paidleave';
import { membersOf, officeDaysBetween, type DaysLoad } from '../../src/dev/demo-history.plan';
import { writeSurveyHistory } from '../../src/dev/demo-history.survey';
import { writeTrainingHistory } from '../../src/dev/demo-history.training';
import { DEMO_STAFF_ID } from '../../src/directory/demo-org';
import { OrgRepository } from '../../src/directory/org.repository';
import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { createKpi } from '../../src/features/kpi/kpi.wiring';
import { MIN_GROUP_SIZE, type KpiReader, type Period, type PeriodReport } from '../../src/features/kpi/kpi.types';
import { KudosRepository } from '../../src/features/kudos/kudos.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { OjtRepository } from '../../src/features/ojt/ojt.public';
import { ONEONONE_TABLES, OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import { PaidLeaveRepository } from '../../src/features/paidleave/paidleave.public';
import { SurveyKpi, SurveyRepository } from '../../src/features/survey/survey.public';
import type { Survey } from '../../src/features/survey/survey.schema';
import { TrainingRepository } from '../../src/features/training/training.public';
import { fixedClock } from '../../src/shared/clock';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { testConnectionString } from '../helpers/test-app';

const UNITS = ['住民課', '総務課', '産業経済課', '建設課', 'まちづくり推進課', '生涯学習課', '農業委員会'];
const H2: Period = { id: 'FY2026H2', kind: 'half', from: '2026-10-01', to: '2027-03-31' };

/** Monday 2026-11-02, 10:00 Tokyo: the history is 下期 (FY2026H2) from 10-01 to yesterday, 21 office days. */
const NOW = new Date('2026-11-02T10:00:00+09:00');

describe('npm start’s demo town: a half of history behind レポート', () => {
  const tables = new TableClientFactory(testConnectionString());
  const clock = fixedClock(NOW);
  const load = async (tenantId: string): Promise<DemoHistoryResult> =>
    (await prepareDemoTown({ tables, hrTables: tables, tenantId, clock, rollupAt: '02:00' })).loadHistory();
  const tenant = randomUUID();
  let first: DemoHistoryResult;
  let reader: KpiReader;
  let town: PeriodReport;

  /** What a load wrote, counted through the features' repositories. */
  async function stored(tenantId: string): Promise<Record<string, number>> {
    const checkins = new CheckinRepository(tables);
    let answers = 0;
    for (const unit of UNITS) answers += (await checkins.listUnitDays(tenantId, unit, '2026-10-01', '2026-11-01')).length;
    const leaves = [...(await checkins.leavesBetween(tenantId, '2026-10-01', '2026-11-01')).values()].reduce((n, s) => n + s.size, 0);
    const surveys = new SurveyRepository(tables);
    let surveyAnswers = 0;
    for (const survey of await surveys.list(tenantId)) surveyAnswers += (await surveys.answeredIds(tenantId, survey.surveyId)).size;
    const trainings = new TrainingRepository(tables);
    const ojt = await new OjtRepository(tables).snapshot(tenantId);
    return {
      answers,
      leaves,
      kudos: (await new KudosRepository(tables).receivedBetween(tenantId, '2026-10-01', '2026-11-01')).length,
      nearmisses: (await new NearMissRepository(tables).listAll(tenantId)).length,
      meetings: (await new OneOnOneRepository(tables).listAll(tenantId)).length,
      surveys: (await surveys.list(tenantId)).length,
      surveyAnswers,
      trainings: (await trainings.list(tenantId)).length,
      trainingAttendance: (await trainings.listAttendance(tenantId)).length,
      ojtAssignments: ojt.assignments.length,
      ojtPlans: ojt.plans.size,
      ojtProgress: [...ojt.progress.values()].reduce((n, p) => n + p.length, 0),
      leaveGrants: (await new PaidLeaveRepository(tables).listYear(tenantId, 2026)).length,
    };
  }

  beforeAll(async () => {
    first = await load(tenant);
    reader = (await createKpi({ hrTables: tables, repositories: {} as never, clock, rollupAt: '02:00' })).reader;
    town = await reader.periodReport(tenant, 'FY2026H2', { kind: 'town' });
  }, 180_000);

  it('loads every office day of the half so far, and says what it wrote', () => {
    expect(first).toMatchObject({ from: '2026-10-01', to: '2026-11-01', days: 21 });
    for (const count of [first.checkins, first.leaves, first.oneonones, first.nearmisses, first.kudos]) expect(count).toBeGreaterThan(0);
    for (const count of [first.surveyAnswers, first.trainingAttendance, first.ojtRecords, first.leaveGrants]) expect(count).toBeGreaterThan(0);
    // 116 staff answer twice a day on most days they are at work.
    expect(first.checkins).toBeGreaterThan(116 * 21 * 2 * 0.6);
  });

  it('gives レポート plausible figures for the whole town, read through its own reader', () => {
    expect(town.checkins.rate).toBeGreaterThanOrEqual(0.6);
    expect(town.checkins.rate).toBeLessThanOrEqual(1);
    expect(town.checkins.averageCondition).toBeGreaterThan(2.5);
    expect(town.checkins.averageCondition).toBeLessThan(4.5);
    expect(town.help.requested).toBeGreaterThan(0);
    // Overtime a person works in a month: between 2 and 40 hours.
    expect(town.overtime.totalMinutes).toBeGreaterThan(0);
    expect(town.overtime.monthlyAveragePerPerson).toBeGreaterThan(120);
    expect(town.overtime.monthlyAveragePerPerson).toBeLessThan(2400);
    expect(town.oneonones.held).toBeGreaterThan(0);
    expect(town.oneonones.pairs).toBeGreaterThan(100);
    expect(town.oneonones.completionRate).toBeGreaterThan(0.3);
    expect(town.oneonones.completionRate).toBeLessThan(1);
    expect(town.oneonones.byUnit.length).toBeGreaterThanOrEqual(6);
    expect(town.nearmisses.total).toBeGreaterThan(0);
    expect(town.kudos.total).toBeGreaterThan(0);
    expect(Object.values(town.kudos.byValue).filter((n) => (n ?? 0) > 0).length).toBeGreaterThanOrEqual(5);
    expect(town.months.find((m) => m.month === '2026-10')?.checkinRate).toBeGreaterThan(0.6);
  });

  it('gives a 課長 their own 課’s figures', async () => {
    const unit = await reader.periodReport(tenant, 'FY2026H2', { kind: 'unit', unit: '住民課' });
    expect(unit.checkins.answeredMorning).toBeGreaterThan(0);
    expect(unit.checkins.answeredMorning).toBeLessThan(town.checkins.answeredMorning);
    expect(unit.oneonones.held).toBeGreaterThan(0);
  });

  it('keeps the privacy rules: an anonymous report has no reporter and hour-only times; 1on1 texts are the pair’s', async () => {
    const reports = await new NearMissRepository(tables).listAll(tenant);
    const anonymous = reports.filter((r) => r.anonymous);
    expect(anonymous.length).toBeGreaterThan(0);
    for (const r of anonymous) {
      expect(r.reporterId).toBeUndefined();
      expect(r.occurredAt).toMatch(/T\d{2}:00:00\.000\+09:00$/);
      expect(r.createdAt).toMatch(/T\d{2}:00:00\.000\+09:00$/);
    }
    expect(new Set(reports.map((r) => r.status))).toEqual(new Set(['received', 'acknowledged', 'decided', 'shared']));
    let texts = 0;
    const filter = odata`PartitionKey ge ${`${tenant}|`} and PartitionKey lt ${`${tenant}}`}`;
    for await (const row of tables.table(ONEONONE_TABLES.texts).listEntities<{ authorId: string }>({ queryOptions: { filter } })) {
      const [, managerId, memberId] = (row.partitionKey ?? '').split('|');
      expect([managerId, memberId]).toContain(row.authorId);
      texts += 1;
    }
    expect(texts).toBeGreaterThan(first.oneonones);
  });

  it('gives アンケート one closed engagement survey most staff answered, its small groups suppressed', async () => {
    const surveys = new SurveyRepository(tables);
    const list = await surveys.list(tenant);
    expect(list).toHaveLength(1);
    const survey = list[0] as Survey;
    expect(survey.state).toBe('closed');
    expect(survey.openedOn >= '2026-10-01' && survey.closeOn < '2026-11-01').toBe(true);
    expect(await surveys.current(tenant)).toBeUndefined();
    const answered = await surveys.answeredIds(tenant, survey.surveyId);
    expect(answered.size).toBe(first.surveyAnswers);
    expect(answered.size).toBeGreaterThan(116 * 0.7);
    expect(answered.size).toBeLessThan(116);
    expect((await surveys.texts(tenant, survey.surveyId)).length).toBeGreaterThan(0);
    const { current } = await new SurveyKpi({ surveys, clock }).comparison(tenant, H2);
    expect(current?.town.answers).toBe(answered.size);
    for (const mean of Object.values(current?.town.categories ?? {})) expect(mean).toBeGreaterThan(1.8);
    for (const mean of Object.values(current?.town.categories ?? {})) expect(mean).toBeLessThan(3.5);
    const groups = [...Object.values(current?.byUnit ?? {}), ...Object.values(current?.byRoleGroup ?? {})];
    expect(groups.length).toBe(7 + 4);
    for (const group of groups) if (group.answers !== null) expect(group.answers).toBeGreaterThanOrEqual(MIN_GROUP_SIZE);
  });

  it('gives 研修 two or three trainings of each 課 and one for the town, over, invited and answered', async () => {
    const repo = new TrainingRepository(tables);
    const trainings = await repo.list(tenant);
    for (const unit of UNITS) {
      const own = trainings.filter((t) => t.units.length === 1 && t.units[0] === unit);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own.length).toBeLessThanOrEqual(3);
    }
    expect(trainings.filter((t) => t.units.length === 0 && t.required)).toHaveLength(1);
    for (const t of trainings) {
      expect(t.startDay >= '2026-10-01' && t.endDay < '2026-11-01').toBe(true);
      expect(t.invitedRevision).toBe(t.revision);
    }
    const attendance = await repo.listAttendance(tenant);
    expect(attendance).toHaveLength(first.trainingAttendance);
    for (const t of trainings.filter((t) => t.required)) expect(attendance.some((a) => a.trainingId === t.id)).toBe(true);
    expect(attendance.filter((a) => a.self === 'attended').length).toBeGreaterThan(attendance.filter((a) => a.hr === 'attended').length);
    expect(attendance.some((a) => a.hr === 'attended')).toBe(true);
    expect(attendance.some((a) => a.self === 'missed' && a.selfNote)).toBe(true);
  });

  it('gives OJT a mentor, a plan and monthly progress to the newest 主事 of each group', async () => {
    const { assignments, plans, progress } = await new OjtRepository(tables).snapshot(tenant);
    // 18 groups (農業委員会 counted as one), each with a 主事.
    expect(assignments).toHaveLength(18);
    expect(assignments.map((a) => a.juniorId)).toContain(DEMO_STAFF_ID);
    for (const a of assignments) {
      expect(a.since).toBe('2026-04-01');
      const plan = plans.get(a.juniorId);
      expect(plan?.mentorId).toBe(a.mentorId);
      expect(plan?.steps.some((s) => s.doneOn)).toBe(true);
      expect((progress.get(a.juniorId) ?? []).length).toBeGreaterThanOrEqual(2);
    }
    expect(first.ojtRecords).toBe(plans.size + [...progress.values()].reduce((n, p) => n + p.length, 0));
  });

  it('gives 有給 a grant for everyone and whole and half days off through the weeks', async () => {
    const grants = await new PaidLeaveRepository(tables).listYear(tenant, 2026);
    expect(grants).toHaveLength(116);
    for (const g of grants) {
      expect(g.takenAsOf).toBe('2026-09-30');
      expect(g.takenDays).toBeLessThanOrEqual(g.grantedDays);
    }
    const entries = await new CheckinRepository(tables).leaveEntriesBetween(tenant, '2026-10-01', '2026-11-01');
    for (const half of ['am', 'pm', undefined]) expect(entries.filter((e) => e.half === half).length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.day.slice(0, 7)))).toEqual(new Set(['2026-10']));
  });

  it('gives レポート 有給休暇取得率, 研修受講率, OJT and engagement figures', async () => {
    expect(town.paidLeave?.people).toBe(116);
    expect(town.paidLeave?.rate).toBeGreaterThan(0.2);
    expect(town.paidLeave?.rate).toBeLessThan(1);
    expect(town.training?.people).toBeGreaterThan(100);
    expect(town.training?.rate).toBeGreaterThan(0.5);
    expect(town.training?.rate).toBeLessThan(1);
    expect(town.ojt).toMatchObject({ juniors: 18, planned: 18 });
    const withSurvey = await createKpi({
      hrTables: tables,
      repositories: {} as never,
      clock,
      rollupAt: '02:00',
      survey: new SurveyKpi({ surveys: new SurveyRepository(tables), clock }),
    });
    const report = await withSurvey.reader.periodReport(tenant, 'FY2026H2', { kind: 'town' });
    expect(report.engagement?.current?.town.answers).toBe(first.surveyAnswers);
  });

  it('a second start adds nothing', async () => {
    const before = await stored(tenant);
    const again = await load(tenant);
    expect(again).toMatchObject({
      days: 0,
      checkins: 0,
      leaves: 0,
      oneonones: 0,
      nearmisses: 0,
      kudos: 0,
      surveyAnswers: 0,
      trainingAttendance: 0,
      ojtRecords: 0,
      leaveGrants: 0,
    });
    expect(await stored(tenant)).toEqual(before);
    expect(await reader.periodReport(tenant, 'FY2026H2', { kind: 'town' })).toEqual(town);
  }, 60_000);

  it('writes nothing twice when a load cut short is loaded again: each feature writer finds its own records', async () => {
    const before = await stored(tenant);
    const members = membersOf(await new OrgRepository(tables).listPeople(tenant));
    const load: DaysLoad = { tenantId: tenant, members, days: officeDaysBetween('2026-10-01', '2026-11-01') };
    expect(await writeSurveyHistory(new SurveyRepository(tables), load)).toBe(0);
    expect(await writeTrainingHistory(new TrainingRepository(tables), load)).toBe(0);
    expect(await writeOjtHistory(new OjtRepository(tables), load)).toBe(0);
    expect(await writePaidLeaveHistory(new PaidLeaveRepository(tables), load)).toBe(0);
    expect(await stored(tenant)).toEqual(before);
  }, 60_000);

  it('is the same history in another tenant: seeded, not random', async () => {
    const other = randomUUID();
    const second = await load(other);
    expect({ ...second, writeMs: 0, rollupMs: 0 }).toEqual({ ...first, writeMs: 0, rollupMs: 0 });
    expect(await stored(other)).toEqual(await stored(tenant));
    expect({ ...(await reader.periodReport(other, 'FY2026H2', { kind: 'town' })), tenantId: tenant }).toEqual(town);
  }, 180_000);
});
