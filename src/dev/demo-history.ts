import { APP_TABLES } from '../app-tables';
import { addDays, fiscalPeriodOf, tokyoDay } from '../calendar/office-calendar';
import { CheckinRepository } from '../features/checkin/checkin.repository';
import { skipsSlot } from '../features/checkin/checkin.public';
import { checkinPromptJobId, type Slot } from '../features/checkin/checkin.schema';
import { featureKpiSources } from '../features/kpi/kpi.feature-sources';
import { createKpi } from '../features/kpi/kpi.wiring';
import { KudosRepository } from '../features/kudos/kudos.repository';
import { NearMissRepository } from '../features/nearmiss/nearmiss.repository';
import { OjtRepository } from '../features/ojt/ojt.public';
import { OneOnOneRepository } from '../features/oneonone/oneonone.repository';
import { pairsFromDirectory } from '../features/oneonone/oneonone.service';
import { PrivateTexts } from '../features/oneonone/private-texts.repository';
import { PaidLeaveRepository } from '../features/paidleave/paidleave.public';
import { SurveyRepository } from '../features/survey/survey.public';
import { TrainingRepository } from '../features/training/training.public';
import { buildDemoOrg } from '../directory/demo-org';
import { OrgRepository } from '../directory/org.repository';
import type { Person } from '../directory/org.schema';
import { JobRunsRepository } from '../scheduler/job-runs.repository';
import type { Clock } from '../shared/clock';
import { forEachLimited } from '../shared/concurrency';
import type { TableClientFactory } from '../storage/table-client-factory';
import { nearmissOf, type NearMissPlan } from './demo-history.nearmiss';
import { meetingsOf } from './demo-history.oneonone';
import { writeOjtHistory } from './demo-history.ojt';
import { halfDayOffOf, writePaidLeaveHistory } from './demo-history.paidleave';
import { writeSurveyHistory } from './demo-history.survey';
import { writeTrainingHistory } from './demo-history.training';
import { checkinsOf, isOnLeave, kudosOf, membersOf, officeDaysBetween, tokyoAt, traitsOf, type DaysLoad } from './demo-history.plan';
import { writeCheckin, writeKudos, writeMeeting, writeNearMiss, type HistoryRepositories } from './demo-history.write';

/**
 * `npm start`'s demo town: the directory of buildDemoOrg and a believable history of its daily
 * practice from the start of the fiscal half to yesterday, written through the features'
 * repositories and rolled up into the KPI tables, so レポート and `npm run kpi -- report` have
 * real figures on a fresh clone. Each office day loaded is marked in jobruns: a second start adds
 * nothing, a start on a later day adds the days since.
 */
export interface DemoTownDeps {
  tables: TableClientFactory;
  /** HR storage (the KPI rollups): HR_STORAGE_*, or the main storage. */
  hrTables: TableClientFactory;
  tenantId: string;
  clock: Clock;
  /** KPI_ROLLUP_AT, for the KPI wiring. */
  rollupAt: string;
}

export interface DemoHistoryResult {
  from: string;
  to: string;
  /** Office days written now; 0 = every day was already there. */
  days: number;
  checkins: number;
  leaves: number;
  oneonones: number;
  nearmisses: number;
  kudos: number;
  /** Survey answers, training attendance rows, OJT plans and monthly records, paid-leave grants. */
  surveyAnswers: number;
  trainingAttendance: number;
  ojtRecords: number;
  leaveGrants: number;
  /** Writing the records, then rolling them up into the KPI tables. */
  writeMs: number;
  rollupMs: number;
}

export interface DemoTown {
  directory: Person[];
  created: number;
  updated: number;
  loadHistory(): Promise<DemoHistoryResult>;
}

/** The jobruns row that marks an office day of the demo history as written. */
export const DEMO_HISTORY_JOB = 'demo.history';
/** Writes in flight at once: enough to keep Azurite busy on two cores, few enough not to starve the app. */
const PARALLEL_WRITES = 24;
/** A half younger than this many office days also gets the previous half, so a chart has months to show. */
const MIN_OFFICE_DAYS = 20;

/** The first day of the history: the fiscal half's start, or the previous half's early in a half. */
export function historyStart(today: string): string {
  const start = fiscalPeriodOf(today).start;
  if (officeDaysBetween(start, addDays(today, -1)).length >= MIN_OFFICE_DAYS) return start;
  return fiscalPeriodOf(addDays(start, -1)).start;
}

/**
 * Loads the demo directory (as `npm start` always has) and returns the history's loader. The 1on1
 * pairs are started at the history's first day before anyone is imported, and today's nightly KPI
 * rollup is marked done while days are missing: otherwise the app's scheduler could start the pairs'
 * clocks today, or roll up days the loader is still writing.
 */
export async function prepareDemoTown(deps: DemoTownDeps): Promise<DemoTown> {
  const { tables, tenantId } = deps;
  await tables.ensureTables(APP_TABLES);
  const org = new OrgRepository(tables);
  const jobRuns = new JobRunsRepository(tables);
  const meetings = new OneOnOneRepository(tables);
  const today = tokyoDay(deps.clock.now());
  const from = historyStart(today);
  const pending = await pendingDays(jobRuns, tenantId, officeDaysBetween(from, addDays(today, -1)));
  const checkins = new CheckinRepository(tables);
  // As app.ts wires it: the backfill below rolls up 有給 / 研修 / OJT and the survey with the days.
  const featureSources = featureKpiSources({ tables, org, checkins, clock: deps.clock });
  const kpi = await createKpi({
    hrTables: deps.hrTables,
    policy: featureSources.policy,
    survey: featureSources.survey,
    repositories: {
      org,
      checkins,
      jobRuns,
      oneonones: meetings,
      nearmisses: new NearMissRepository(tables),
      kudos: new KudosRepository(tables),
    },
    clock: deps.clock,
    rollupAt: deps.rollupAt,
  });
  if (pending.length > 0) {
    for (const job of await kpi.schedule.occurrences(tenantId, today)) await jobRuns.markDone(tenantId, today, job.id, deps.clock.now());
  }
  const demo = buildDemoOrg();
  await meetings.syncPairs(tenantId, pairsFromDirectory(demo.people), from);
  const imported = await org.importDirectory(tenantId, demo);
  if (!(await org.getSettings(tenantId))) await org.saveSettings(tenantId, { defaultLocale: 'ja', importedAt: deps.clock.now().toISOString() });
  const directory = await org.listPeople(tenantId);

  const loadHistory = async (): Promise<DemoHistoryResult> => {
    const started = Date.now();
    const result: DemoHistoryResult = {
      from,
      to: addDays(today, -1),
      days: pending.length,
      checkins: 0,
      leaves: 0,
      oneonones: 0,
      nearmisses: 0,
      kudos: 0,
      surveyAnswers: 0,
      trainingAttendance: 0,
      ojtRecords: 0,
      leaveGrants: 0,
      writeMs: 0,
      rollupMs: 0,
    };
    if (pending.length === 0) return result;
    const repos: HistoryRepositories = {
      checkins: new CheckinRepository(tables),
      kudos: new KudosRepository(tables),
      nearmisses: new NearMissRepository(tables),
      meetings,
      texts: new PrivateTexts(tables),
    };
    const { writes, nearmisses } = await planWrites(repos, jobRuns, deps, directory, pending, today, result);
    await Promise.all([
      forEachLimited(writes, PARALLEL_WRITES, (write) => write()),
      // One at a time, in day order: each takes the fiscal year's next report number.
      (async () => {
        for (const plan of nearmisses) if (await writeNearMiss(repos, tenantId, plan)) result.nearmisses += 1;
      })(),
      featureHistory(tables, { tenantId, members: membersOf(directory), days: pending }).then((counts) => Object.assign(result, counts)),
    ]);
    // Marked only once everything is written: a load cut short is done again, and its writes are keyed.
    await forEachLimited(pending, PARALLEL_WRITES, (day) => jobRuns.markDone(tenantId, day, DEMO_HISTORY_JOB, deps.clock.now()));
    result.writeMs = Date.now() - started;
    await kpi.job.backfill(tenantId, pending[0] as string, addDays(today, -1), today);
    return { ...result, rollupMs: Date.now() - started - result.writeMs };
  };
  return { directory, created: imported.created, updated: imported.updated, loadHistory };
}

async function pendingDays(jobRuns: JobRunsRepository, tenantId: string, days: readonly string[]): Promise<string[]> {
  const done = new Set<string>();
  await forEachLimited(days, 16, async (day) => {
    if (await jobRuns.isDone(tenantId, day, DEMO_HISTORY_JOB)) done.add(day);
  });
  return days.filter((d) => !done.has(d));
}

type Write = () => Promise<void>;

/** The newer features' demo records, each written through its own repository by its own writer. */
async function featureHistory(
  tables: TableClientFactory,
  load: DaysLoad,
): Promise<Pick<DemoHistoryResult, 'surveyAnswers' | 'trainingAttendance' | 'ojtRecords' | 'leaveGrants'>> {
  const [surveyAnswers, trainingAttendance, ojtRecords, leaveGrants] = await Promise.all([
    writeSurveyHistory(new SurveyRepository(tables), load),
    writeTrainingHistory(new TrainingRepository(tables), load),
    writeOjtHistory(new OjtRepository(tables), load),
    writePaidLeaveHistory(new PaidLeaveRepository(tables), load),
  ]);
  return { surveyAnswers, trainingAttendance, ojtRecords, leaveGrants };
}

/** Every write of the pending days, counted into `result` as it is planned; near-misses apart, as they are numbered in order. */
async function planWrites(
  repos: HistoryRepositories,
  jobRuns: JobRunsRepository,
  deps: DemoTownDeps,
  directory: readonly Person[],
  days: readonly string[],
  today: string,
  result: DemoHistoryResult,
): Promise<{ writes: Write[]; nearmisses: NearMissPlan[] }> {
  const { tenantId } = deps;
  const members = membersOf(directory);
  const traits = new Map(members.map((m) => [m.id, traitsOf(m)]));
  const units = [...new Set(members.map((m) => m.unit))].sort();
  const first = days[0] as string;
  const last = days.at(-1) as string;
  // Someone may have answered in the Playground on a day loaded later: their own answer stays.
  const answered = new Set<string>();
  await forEachLimited(units, 8, async (unit) => {
    for (const r of await repos.checkins.listUnitDays(tenantId, unit, first, last)) answered.add(`${r.day}|${r.slot}|${r.personId}`);
  });

  const writes: Write[] = [];
  const nearmisses: NearMissPlan[] = [];
  for (const day of days) {
    // The scheduler's record that each 課's prompts went out: what the rollup counts check-ins due from.
    for (const unit of units) {
      for (const slot of ['morning', 'evening'] as Slot[])
        writes.push(() => jobRuns.markDone(tenantId, day, checkinPromptJobId(slot, unit), tokyoAt(day, slot === 'morning' ? 8 * 60 + 45 : 16 * 60 + 45)));
    }
    for (const member of members) {
      const t = traits.get(member.id);
      if (!t) continue;
      if (isOnLeave(member, t, day)) {
        result.leaves += 1;
        writes.push(() => repos.checkins.setLeave(tenantId, day, member.id, member.unit));
        continue;
      }
      const half = halfDayOffOf(member, day);
      if (half) {
        result.leaves += 1;
        writes.push(() => repos.checkins.setLeave(tenantId, day, member.id, member.unit, half));
      }
      for (const plan of checkinsOf(member, t, day, tenantId, members)) {
        if (half && skipsSlot(half, plan.record.slot)) continue;
        if (answered.has(`${day}|${plan.record.slot}|${member.id}`)) continue;
        result.checkins += 1;
        writes.push(() => writeCheckin(repos, plan));
      }
      const kudos = kudosOf(member, t, day, members);
      if (kudos) {
        result.kudos += 1;
        writes.push(() => writeKudos(repos, tenantId, kudos));
      }
    }
    for (const unit of units) {
      const plan = nearmissOf(unit, day, today, members, directory);
      if (plan) nearmisses.push(plan);
    }
  }

  const loading = new Set(days);
  const byId = new Map(members.map((m) => [m.id, m]));
  const pairs = await repos.meetings.listPairs(tenantId, pairsFromDirectory(directory));
  for (const pair of pairs) {
    const member = byId.get(pair.memberId);
    if (!member) continue;
    for (const plan of meetingsOf(pair, member, today)) {
      if (plan.meeting.status === 'held' && !loading.has(plan.meeting.day)) continue;
      writes.push(async () => {
        if ((await writeMeeting(repos, tenantId, plan)) && plan.meeting.status === 'held') result.oneonones += 1;
      });
    }
  }
  return { writes, nearmisses };
}
