import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OrgRepository } from '../../src/directory/org.repository';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { TRAINING_TABLES, TrainingRepository } from '../../src/features/training/training.repository';
import type { TrainingPlan } from '../../src/features/training/training.schema';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { runCli } from '../helpers/cli-process';
import { testConnectionString } from '../helpers/test-app';

const PLAN = path.join(__dirname, '..', 'fixtures', 'training', 'plan-good.csv');

/**
 * Two saves of one training at once (the plan imported twice, HR's card racing the import) in
 * Azurite: each finishes, and the training is registered once.
 */
describe('training saves that meet', () => {
  const tenant = randomUUID();
  const tables = new TableClientFactory(testConnectionString());
  const trainings = new TrainingRepository(tables);
  const now = new Date('2026-11-16T10:00:00+09:00');
  const plan = (over: Partial<TrainingPlan> = {}): TrainingPlan => ({
    id: 'TR-RACE',
    name: '接遇研修',
    startDay: '2026-11-24',
    endDay: '2026-11-24',
    kind: 'offjt',
    units: ['住民課'],
    roles: [],
    required: true,
    ...over,
  });

  beforeAll(async () => {
    await tables.ensureTables([...ALL_TABLES, ...Object.values(TRAINING_TABLES)]);
    const directory = parseOrgCsv(readFileSync(path.join(__dirname, '..', 'fixtures', 'training', 'directory.csv'), 'utf8'));
    if (!directory.ok) throw new Error(JSON.stringify(directory.errors));
    await new OrgRepository(tables).importDirectory(tenant, directory.directory);
  });

  it('the same plan saved twice at once is one training: one save creates it, the other finds it unchanged', async () => {
    const outcomes = await Promise.all([trainings.save(tenant, plan(), now), trainings.save(tenant, plan(), now)]);
    expect(outcomes.sort()).toEqual(['created', 'unchanged']);
    expect((await trainings.list(tenant)).map((t) => [t.id, t.revision])).toEqual([['TR-RACE', 1]]);
  });

  it('two different versions saved at once both land, one revision after the other', async () => {
    const outcomes = await Promise.all([
      trainings.save(tenant, plan({ id: 'TR-RACE2', units: ['住民課'] }), now),
      trainings.save(tenant, plan({ id: 'TR-RACE2', units: ['建設課'] }), now),
    ]);
    expect(outcomes.sort()).toEqual(['created', 'updated']);
    const saved = await trainings.get(tenant, 'TR-RACE2');
    expect(saved?.revision).toBe(2);
    expect([['住民課'], ['建設課']]).toContainEqual(saved?.units);
  });

  it('HR’s plan imported twice at once from the command line: both runs succeed, each training once', async () => {
    const env = { LOG_LEVEL: 'silent', STORAGE_CONNECTION_STRING: testConnectionString() };
    const runs = await Promise.all([1, 2].map(() => runCli('src/features/training/training.cli.ts', ['import', PLAN, '--apply', '--tenant', tenant], env)));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const imported = (await trainings.list(tenant)).filter((t) => !t.id.startsWith('TR-RACE'));
    expect(imported.map((t) => t.revision)).toEqual([1, 1, 1]);
  });
});
