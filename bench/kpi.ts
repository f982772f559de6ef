import { randomUUID } from 'node:crypto';
import { CHECKIN_TABLES, CheckinRepository } from '../src/features/checkin/checkin.repository';
import { KUDOS_TABLES, KudosRepository } from '../src/features/kudos/kudos.repository';
import { lateIntervals, pairOnDay, type PairHistory } from '../src/features/kpi/kpi.oneonone';
import { dayNumber, daysBetween, periodStarts } from '../src/features/kpi/kpi.period';
import { indexPeople, promptedKey, rollupDay, type DayFacts } from '../src/features/kpi/kpi.rollup';
import { KpiSources } from '../src/features/kpi/kpi.sources';
import { createKpi, type Kpi } from '../src/features/kpi/kpi.wiring';
import { NEARMISS_TABLES, NearMissRepository } from '../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES, OneOnOneRepository } from '../src/features/oneonone/oneonone.repository';
import { buildDemoOrg } from '../src/directory/demo-org';
import { OrgRepository } from '../src/directory/org.repository';
import type { OrgDirectory } from '../src/directory/org.schema';
import { JOB_RUNS_TABLE, JobRunsRepository } from '../src/scheduler/job-runs.repository';
import { systemClock } from '../src/shared/clock';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { ALL_TABLES } from '../src/storage/table-names';
import { syntheticDay, syntheticPairs, syntheticTown, type SyntheticDay } from './kpi-history';
import { seedRaw } from './kpi-seed';
import { freePort, loadLine } from './setup';

/**
 * The KPI layer at two sizes, each in its own in-memory Azurite: the demo town (116 staff) and a
 * synthetic city of 10,000. Half a year of history (FY2026H1) and the same half a year earlier are
 * generated day by day and rolled up by the rollup's own code, so the half-year report reads what
 * the nightly job would have written. Then one night's rollup runs against raw rows in storage.
 */

const REPORT_GOAL = 3;
const REPORT_RUNS = 20;
const NIGHTLY_RUNS = 3;
/** The night measured: Friday 2026-10-02 at 02:00 rolls up Thursday 2026-10-01. */
const NIGHT = '2026-10-01';
const PAIRS_SINCE = '2025-04-01';

interface TownResult {
  label: string;
  people: number;
  units: number;
  historyMs: number;
  report: { town: number[]; unit: number[] };
  nightlyMs: number[];
  /** The part of a night spent reading the directory, the pairs and the fiscal year's 1on1s. */
  contextMs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const p90 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1] ?? 0;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Half a year (and the same half a year earlier) through `rollupDay`, written as the nightly job writes it. */
async function rollUpHistory(kpi: Kpi, tenantId: string, directory: OrgDirectory, days: readonly string[], keep: (day: SyntheticDay) => void): Promise<void> {
  const people = indexPeople(directory.people);
  const units = [...new Set(directory.people.flatMap((p) => (p.unit ? [p.unit] : [])))];
  const prompted = new Set(units.flatMap((u) => [promptedKey('morning', u), promptedKey('evening', u)]));
  const byId = new Map(directory.people.map((p) => [p.id, p]));
  const pairs = syntheticPairs(directory.people, PAIRS_SINCE, NIGHT, 7).map((p) => {
    const history: PairHistory = {
      unit: byId.get(p.memberId)?.unit ?? '',
      role: p.role,
      since: dayNumber(p.since),
      cadenceDays: 30,
      held: p.held.map(dayNumber),
    };
    return { pair: p, history, intervals: lateIntervals(history) };
  });
  const heldOn = new Map<string, { unit: string; memberRole: string }[]>();
  for (const p of pairs) for (const day of p.pair.held) heldOn.set(day, [...(heldOn.get(day) ?? []), { unit: p.history.unit, memberRole: p.pair.role }]);
  for (const [i, day] of days.entries()) {
    const synthetic = syntheticDay(tenantId, directory.people, day, 1000 + i);
    const starts = periodStarts(day);
    // What the night's raw rows need of the past (kudos, near-misses); the day's check-ins are rolled up only.
    keep({ ...synthetic, checkins: [], leaves: new Set() });
    const facts: DayFacts = {
      day,
      prompted: synthetic.office ? prompted : new Set(),
      leaves: new Map([...synthetic.leaves].map((id) => [id, undefined])),
      checkins: synthetic.checkins,
      nearmisses: synthetic.nearmisses,
      kudos: synthetic.kudos,
      held: heldOn.get(day) ?? [],
      pairs: pairs.flatMap((p) => pairOnDay(p.history, p.intervals, day, starts) ?? []),
    };
    await kpi.store.replaceDay(tenantId, day, rollupDay(people, facts));
  }
  await kpi.job.rebuildPeriods(tenantId, days);
}

async function measureTown(label: string, directory: OrgDirectory, log: (line: string) => void): Promise<TownResult> {
  const azurite = await startAzurite({ port: await freePort() });
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables([
      ...ALL_TABLES,
      ...Object.values(CHECKIN_TABLES),
      JOB_RUNS_TABLE,
      ...Object.values(ONEONONE_TABLES),
      ...Object.values(NEARMISS_TABLES),
      ...Object.values(KUDOS_TABLES),
    ]);
    const tenantId = randomUUID();
    const org = new OrgRepository(tables);
    await org.importDirectory(tenantId, directory);
    const repositories = {
      org,
      checkins: new CheckinRepository(tables),
      jobRuns: new JobRunsRepository(tables),
      oneonones: new OneOnOneRepository(tables),
      nearmisses: new NearMissRepository(tables),
      kudos: new KudosRepository(tables),
    };
    const kpi = await createKpi({ hrTables: tables, repositories, clock: systemClock, rollupAt: '02:00' });
    const staff = directory.people.filter((p) => p.role !== 'executive').length;
    const units = directory.units.length;

    const history = [...daysBetween('2025-04-01', '2025-09-30'), ...daysBetween('2026-04-01', '2026-09-30')];
    const kept: SyntheticDay[] = [];
    const historyMs = await timed(() => rollUpHistory(kpi, tenantId, directory, history, (d) => kept.push(d)));
    log(
      `${label.padEnd(7)} ${staff} staff in ${units} 課: ${history.length} days of history rolled up and the periods built in ${(historyMs / 1000).toFixed(1)} s (setup, not measured)`,
    );

    const firstUnit = directory.units[0]?.name ?? '';
    const report = { town: [] as number[], unit: [] as number[] };
    for (let i = 0; i < REPORT_RUNS + 2; i++) {
      const town = await timed(() => kpi.reader.periodReport(tenantId, 'FY2026H1', { kind: 'town' }));
      const unit = await timed(() => kpi.reader.periodReport(tenantId, 'FY2026H1', { kind: 'unit', unit: firstUnit }));
      // The first two warm the connection and the code.
      if (i >= 2) {
        report.town.push(town);
        report.unit.push(unit);
      }
    }

    const night = syntheticDay(tenantId, directory.people, NIGHT, 99);
    const seedStarted = Date.now();
    const onlyH1 = kept.filter((d) => d.day >= '2026-04-01');
    await seedRaw(
      tables,
      tenantId,
      syntheticPairs(directory.people, PAIRS_SINCE, NIGHT, 7),
      [...onlyH1, night],
      directory.units.map((u) => u.name),
    );
    log(
      `${label.padEnd(7)} raw rows for the night seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s: ${night.checkins.length} check-ins of ${NIGHT}, ${onlyH1.reduce((n, d) => n + d.kudos.length, 0)} kudos and the 1on1s of the half (not measured)`,
    );
    const nightlyMs: number[] = [];
    for (let i = 0; i < NIGHTLY_RUNS; i++) nightlyMs.push(await timed(() => kpi.job.rollupDays(tenantId, NIGHT, NIGHT)));
    const contextMs = await timed(() => new KpiSources(repositories).context(tenantId, NIGHT));
    return { label, people: directory.people.length, units, historyMs, report, nightlyMs, contextMs };
  } finally {
    await azurite.stop();
  }
}

export async function runKpiBench(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  log('');
  log('hibi KPI benchmark: the half-year report (FY2026H1) and the nightly rollup, at 116 staff and at 10,000');
  log(`load      ${loadLine()} before the run`);
  const small = await measureTown('116', buildDemoOrg(), log);
  const large = await measureTown('10,000', syntheticTown(10_000), log);
  log(`load      ${loadLine()} after the run`);
  const ratio = median(large.report.town) / median(small.report.town);
  log('');
  log('── goals ──────────────────────────────────────────────────────────────');
  log(
    `report    FY2026H1 town-wide, median of ${REPORT_RUNS}: ${ms(median(small.report.town))} (116) vs ${ms(median(large.report.town))} (10,000) = ${ratio.toFixed(2)}   (goal ≤ ${REPORT_GOAL})   ${ratio <= REPORT_GOAL ? 'PASS' : 'MISS'}`,
  );
  log('');
  log('── details ────────────────────────────────────────────────────────────');
  for (const town of [small, large]) {
    const nightly = median(town.nightlyMs);
    log(`${town.label.padEnd(7)} report town p90 ${ms(p90(town.report.town))}; one 課 median ${ms(median(town.report.unit))}`);
    log(
      `${town.label.padEnd(7)} nightly rollup of ${NIGHT} (${town.people} in the directory, ${town.units} 課): median of ${NIGHTLY_RUNS} ${ms(nightly)} = ${ms((nightly * 1000) / town.people)} per 1,000 people`,
    );
    log(`${town.label.padEnd(7)}   of which reading the directory, the pairs and the fiscal year's 1on1s (once more, alone): ${ms(town.contextMs)}`);
  }
}

if (require.main === module) {
  runKpiBench().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
