import { RetentionSchedule } from '../../src/features/data/retention.schedule';
import { PAIDLEAVE_TABLE, PaidLeaveRepository } from '../../src/features/paidleave/paidleave.repository';
import { TRAINING_TABLES, TrainingRepository } from '../../src/features/training/training.repository';
import type { TrainingPlan } from '../../src/features/training/training.schema';
import { JobRunsRepository } from '../../src/scheduler/job-runs.repository';
import { Scheduler } from '../../src/scheduler/scheduler';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { runDataCli } from '../helpers/data-cli';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * HR's paid-leave import and the training attendance under the nightly retention job: kept through
 * the fiscal year after theirs (the half-year report compares with last year) and a year more, the
 * attendance card's word a year; HR changes it with the data CLI.
 */
describe('retention of paid leave and training attendance', () => {
  const clock = fixedClock(jst('2026-11-25T03:30:00'));
  let t: TestApp;
  let trainings: TrainingRepository;

  async function rows(table: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}' and PartitionKey lt '${t.tenantId}~'`;
    for await (const e of t.app.tables.table(table).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const paidLeaveYears = async (): Promise<number[]> => [...new Set((await rows(PAIDLEAVE_TABLE)).map((r) => Number(r.fiscalYear)))].sort();
  const trainingIds = async (): Promise<string[]> => (await trainings.list(t.tenantId)).map((tr) => tr.id);
  const attendance = async (): Promise<string[]> =>
    (await rows(TRAINING_TABLES.attendance))
      .map((r) => `${String(r.partitionKey).split('|').at(-1)} ${String(r.rowKey)} ${String(r.self ?? '')} ${String(r.selfNote ?? '')}`)
      .sort();
  /** The nightly job as app.ts schedules it, on the app's clock: how many jobs ran. */
  const tick = () =>
    new Scheduler({
      sources: [new RetentionSchedule({ tables: t.app.tables, hrTables: t.app.tables, clock })],
      jobRuns: new JobRunsRepository(t.app.tables),
      tenants: async () => [t.tenantId],
      clock,
      logger: createLogger('silent'),
    }).tick();
  const cli = (...args: string[]) => runDataCli([...args, '--tenant', t.tenantId], t.connectionString);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    trainings = new TrainingRepository(t.app.tables);
    await new PaidLeaveRepository(t.app.tables).replace(
      t.tenantId,
      [2023, 2024, 2025, 2026].map((fiscalYear) => ({
        fiscalYear,
        personId: 'L',
        grantedDays: 20,
        takenDays: 5.5,
        takenAsOf: `${fiscalYear}-09-30`,
        importedAt: '2026-10-01T00:00:00Z',
      })),
    );
    const plan = (id: string, startDay: string): TrainingPlan => ({
      id,
      name: id,
      startDay,
      endDay: startDay,
      kind: 'offjt',
      units: [],
      roles: [],
      required: true,
    });
    // FY2023 (ended 31 March 2024), FY2024, FY2026.
    for (const [id, day] of [
      ['TR-FY2023', '2024-02-01'],
      ['TR-FY2024', '2024-06-01'],
      ['TR-FY2026', '2026-10-01'],
    ] as const) {
      await trainings.save(t.tenantId, plan(id, day), jst(`${day}T09:00:00`));
      await trainings.recordSelf(t.tenantId, id, 'L', 'missed', `${id}は窓口当番のため`, jst(`${day}T17:00:00`));
      await trainings.recordHr(t.tenantId, id, 'S', 'attended', jst(`${day}T18:00:00`));
    }
    await trainings.recordSelf(t.tenantId, 'TR-FY2026', 'S', 'attended', '今月の学び', jst('2026-11-20T17:00:00'));
  }, 60_000);
  afterAll(() => t.stop());

  it('by default: the years up to the one before last go (paid leave, trainings and their attendance); the word on the card goes after a year; a second run changes nothing', async () => {
    expect(await tick()).toBe(1);
    // The cutoff is 25 November 2024: FY2023 ended before it; FY2024 (the year before last) is still kept.
    expect(await paidLeaveYears()).toEqual([2024, 2025, 2026]);
    expect(await trainingIds()).toEqual(['TR-FY2024', 'TR-FY2026']);
    expect(await attendance()).toEqual([
      'TR-FY2024 L missed ',
      'TR-FY2024 S  ',
      'TR-FY2026 L missed TR-FY2026は窓口当番のため',
      'TR-FY2026 S attended 今月の学び',
    ]);

    clock.set(jst('2026-11-26T03:30:00'));
    expect(await tick()).toBe(1);
    expect(await paidLeaveYears()).toEqual([2024, 2025, 2026]);
    expect((await attendance()).length).toBe(4);
  });

  it('HR shortens them with the CLI, never below what last year’s comparison needs', async () => {
    const shown = await cli('retention');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/paidLeaveMonths\s+2 年（24 か月）（既定）/);
    expect(shown.stdout).toMatch(/trainingMonths\s+2 年（24 か月）（既定）/);
    expect(shown.stdout).toMatch(/trainingNoteMonths\s+1 年（12 か月）（既定）/);

    const refused = await cli('retention', '--set', 'paidLeaveMonths=6');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('paidLeaveMonths: 前年度との比較に使うため 12 か月以上');

    const set = await cli('retention', '--set', 'paidLeaveMonths=12,trainingMonths=keep');
    expect(set.code).toBe(0);
    clock.set(jst('2026-11-27T03:30:00'));
    expect(await tick()).toBe(1);
    // The cutoff is 27 November 2025: FY2024 ended before it, FY2025 (last year) is kept for the comparison.
    expect(await paidLeaveYears()).toEqual([2025, 2026]);
    expect(await trainingIds()).toEqual(['TR-FY2024', 'TR-FY2026']);
  });
});
