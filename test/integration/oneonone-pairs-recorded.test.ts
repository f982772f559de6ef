import { syntheticDirectory } from '../../bench/directory';
import type { Person } from '../../src/directory/org.schema';
import { OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import * as service from '../../src/features/oneonone/oneonone.service';
import { fixedClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * The scheduler records each new 課長–member pair with the day it first saw it (the cadence clock),
 * without reading every stored pair each minute: once per day and directory, shared by instances.
 */
describe('1on1 pairs: recorded by the scheduler once a day and on every directory change', () => {
  const clock = fixedClock(jst('2026-06-03T08:44:00'));
  const town = syntheticDirectory(200);
  const joined: Person = { ...(town.people[2] as Person), id: 'U1G1P99', aadObjectId: undefined };
  const grown = { ...town, people: [...town.people, joined] };
  let t: TestApp;
  let restarted: TestApp | undefined;
  let syncs: jest.SpyInstance;
  let paired: jest.SpyInstance;
  const stored = async (people: readonly Person[]) => new OneOnOneRepository(t.app.tables).listPairs(t.tenantId, service.pairsFromDirectory(people));

  beforeAll(async () => {
    // The directory stays in memory until an import evicts it, however long the run takes.
    t = await startTestApp({ DIRECTORY_CACHE_SECONDS: '3600' }, { clock });
    await t.app.org.importDirectory(t.tenantId, town);
    await t.app.org.saveSettings(t.tenantId, { defaultLocale: 'ja' });
    syncs = jest.spyOn(OneOnOneRepository.prototype, 'syncPairs');
    paired = jest.spyOn(service, 'pairsFromDirectory');
  });
  afterAll(async () => {
    syncs.mockRestore();
    paired.mockRestore();
    await restarted?.stop();
    await t.stop();
  });

  it('the first tick of an office day stores every pair with that day; later ticks and a restart read none', async () => {
    await t.app.runDueJobs();
    const pairs = await stored(town.people);
    expect(pairs).toHaveLength(198);
    expect(new Set(pairs.map((p) => p.since))).toEqual(new Set(['2026-06-03']));
    expect(syncs).toHaveBeenCalledTimes(1);

    clock.set(jst('2026-06-03T08:45:00'));
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    restarted = await startTestApp({ TEST_TENANT_ID: t.tenantId }, { clock });
    await restarted.app.runDueJobs();
    expect(syncs).toHaveBeenCalledTimes(1);
  });

  it('a person added to the directory has their pair stored at the next tick, starting that day; the next day keeps it', async () => {
    await t.app.org.importDirectory(t.tenantId, grown);
    clock.set(jst('2026-06-03T10:00:00'));
    await t.app.runDueJobs();
    expect(syncs).toHaveBeenCalledTimes(2);
    const added = (await stored(grown.people)).find((p) => p.memberId === 'U1G1P99');
    expect(added).toMatchObject({ managerId: joined.managerId, since: '2026-06-03' });

    clock.set(jst('2026-06-04T08:44:00'));
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    expect(syncs).toHaveBeenCalledTimes(3);
    const pairs = await stored(grown.people);
    expect(pairs).toHaveLength(199);
    expect(new Set(pairs.map((p) => p.since))).toEqual(new Set(['2026-06-03']));
  });

  it('the minutes after are not even paired while the directory holds the same people; a reloaded or changed one is', async () => {
    paired.mockClear();
    clock.set(jst('2026-06-04T09:00:00'));
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    expect(paired).not.toHaveBeenCalled();

    await t.app.org.importDirectory(t.tenantId, grown);
    await t.app.runDueJobs();
    expect(paired).toHaveBeenCalledTimes(1);
    expect(syncs).toHaveBeenCalledTimes(3);

    const left = { ...town, people: town.people.filter((p) => p !== town.people[3]) };
    await t.app.org.importDirectory(t.tenantId, left);
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    expect(paired).toHaveBeenCalledTimes(2);
    expect(syncs).toHaveBeenCalledTimes(4);
  });
});
