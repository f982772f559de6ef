import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { prepareDemoTown, type DemoHistoryResult } from '../../src/dev/demo-history';
import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { createKpi } from '../../src/features/kpi/kpi.wiring';
import type { KpiReader, PeriodReport } from '../../src/features/kpi/kpi.types';
import { KudosRepository } from '../../src/features/kudos/kudos.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES, OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { testConnectionString } from '../helpers/test-app';

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
    const units = ['住民課', '総務課', '産業経済課', '建設課', 'まちづくり推進課', '生涯学習課', '農業委員会'];
    let answers = 0;
    for (const unit of units) answers += (await checkins.listUnitDays(tenantId, unit, '2026-10-01', '2026-11-01')).length;
    const leaves = [...(await checkins.leavesBetween(tenantId, '2026-10-01', '2026-11-01')).values()].reduce((n, s) => n + s.size, 0);
    return {
      answers,
      leaves,
      kudos: (await new KudosRepository(tables).receivedBetween(tenantId, '2026-10-01', '2026-11-01')).length,
      nearmisses: (await new NearMissRepository(tables).listAll(tenantId)).length,
      meetings: (await new OneOnOneRepository(tables).listAll(tenantId)).length,
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

  it('a second start adds nothing', async () => {
    const before = await stored(tenant);
    const again = await load(tenant);
    expect(again).toMatchObject({ days: 0, checkins: 0, leaves: 0, oneonones: 0, nearmisses: 0, kudos: 0 });
    expect(await stored(tenant)).toEqual(before);
    expect(await reader.periodReport(tenant, 'FY2026H2', { kind: 'town' })).toEqual(town);
  }, 60_000);

  it('is the same history in another tenant: seeded, not random', async () => {
    const other = randomUUID();
    const second = await load(other);
    expect({ ...second, writeMs: 0, rollupMs: 0 }).toEqual({ ...first, writeMs: 0, rollupMs: 0 });
    expect(await stored(other)).toEqual(await stored(tenant));
    expect({ ...(await reader.periodReport(other, 'FY2026H2', { kind: 'town' })), tenantId: tenant }).toEqual(town);
  }, 180_000);
});
