import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { TRAINING_TABLES } from '../../src/features/training/training.repository';
import { fixedClock } from '../../src/shared/clock';
import { runCli } from '../helpers/cli-process';
import { conversationOf, loadTestOrg, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
M1,住民 課長,住民課,,課長,,00000000-0000-4000-8000-000000000401,
A1,住民 一子,住民課,,主事,M1,00000000-0000-4000-8000-000000000402,
M2,建設 課長,建設課,,課長,,00000000-0000-4000-8000-000000000403,
B1,建設 一郎,建設課,,主事,M2,00000000-0000-4000-8000-000000000404,
HR1,人事 主査,総務課,,主査,,00000000-0000-4000-8000-000000000405,○
`;

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * The scheduler asks the training schedule for its jobs every minute: it keeps the day's trainings
 * and reads them again only when HR registered or imported one, in this process or another.
 */
describe('the training schedule keeps the day’s trainings between ticks', () => {
  const clock = fixedClock(jst('2026-11-16T08:31:00'));
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-training-cache-'));
  let t: TestApp;
  let org: TestOrg;

  /** One scheduler tick at `at`, delivered: who got an invitation naming `training`, and the storage reads of the trainings table it made. */
  const tickAt = async (at: string, training: string): Promise<{ invited: string[]; listed: number; pointReads: number }> => {
    clock.set(jst(at));
    t.connector.reset();
    const lists = jest.spyOn(TableClient.prototype, 'listEntities');
    const gets = jest.spyOn(TableClient.prototype, 'getEntity');
    const ofTrainings = (contexts: unknown[]) => contexts.filter((client) => (client as TableClient).tableName === TRAINING_TABLES.trainings).length;
    let listed: number;
    let pointReads: number;
    try {
      await t.app.runDueJobs();
      listed = ofTrainings(lists.mock.contexts);
      pointReads = ofTrainings(gets.mock.contexts);
    } finally {
      lists.mockRestore();
      gets.mockRestore();
    }
    await t.app.deliverPending();
    const invitations = t.connector.sent().filter((c) => JSON.stringify(c.body).includes('研修のご案内') && JSON.stringify(c.body).includes(training));
    const invited = org.people.filter((p) => invitations.some((c) => c.conversationId === conversationOf(p))).map((p) => p.id);
    return { invited: invited.sort(), listed, pointReads };
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
  });
  afterAll(() => t.stop());

  it('reads the trainings once a day; a tick after that reads only their change mark', async () => {
    // The day's first tick also runs what was due since the night (the KPI rollup reads the trainings too).
    expect((await tickAt('2026-11-16T08:31:00', '研修')).listed).toBeGreaterThan(0);
    expect(await tickAt('2026-11-16T08:32:00', '研修')).toEqual({ invited: [], listed: 0, pointReads: 1 });
  });

  it('sees a training HR registers on the card at the next tick, then keeps it again', async () => {
    await org.submit('HR1', {
      verb: 'training.register',
      name: '接遇研修',
      start: '2026-11-24',
      end: '',
      kind: 'offjt',
      units: '住民課',
      roles: '',
      required: 'true',
    });
    expect(await tickAt('2026-11-16T08:33:00', '接遇研修')).toMatchObject({ invited: ['A1', 'M1'], listed: 1 });
    expect(await tickAt('2026-11-16T08:34:00', '接遇研修')).toEqual({ invited: [], listed: 0, pointReads: 1 });
  });

  it('sees a training HR imports with the CLI (another process) at the next tick', async () => {
    const plan = path.join(dir, 'plan.csv');
    writeFileSync(plan, '研修名,開始日,区分,対象課,必須\n防災研修,2026-11-27,外部,建設課,はい\n');
    const run = await runCli('src/features/training/training.cli.ts', ['import', plan, '--apply', '--tenant', t.tenantId], {
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: t.connectionString,
    });
    expect(run.code).toBe(0);
    expect(await tickAt('2026-11-16T08:35:00', '防災研修')).toMatchObject({ invited: ['B1', 'M2'], listed: 1 });
    expect(await tickAt('2026-11-16T08:36:00', '防災研修')).toEqual({ invited: [], listed: 0, pointReads: 1 });
  });

  it('reads them afresh on the next office day, and keeps them again', async () => {
    expect((await tickAt('2026-11-17T08:31:00', '研修')).listed).toBeGreaterThan(0);
    expect(await tickAt('2026-11-17T08:32:00', '研修')).toEqual({ invited: [], listed: 0, pointReads: 1 });
  });
});
