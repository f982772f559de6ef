import type { JobRunsRepository } from '../../scheduler/job-runs.repository';
import { checkinPromptJobId, type CheckinRecord, type CheckinRepository } from '../checkin/checkin.public';
import type { NearMissRepository, NearMiss } from '../nearmiss/nearmiss.public';
import { CADENCES, type Meeting, type OneOnOneRepository, pairsFromDirectory } from '../oneonone/oneonone.public';
import type { OrgRepository } from '../../directory/org.repository';
import type { KudosRepository } from '../kudos/kudos.public';
import { forEachLimited } from '../../shared/concurrency';
import { lateIntervals, pairOnDay, type PairDay, type PairHistory } from './kpi.oneonone';
import { dayNumber, dayOfNumber, daysBetween, periodsOfDay, periodStarts } from './kpi.period';
import { indexPeople, promptedKey, type DayFacts, type PeopleIndex } from './kpi.rollup';

/** The features' repositories the rollup reads through; it never writes to any of them. */
export interface KpiSourceRepositories {
  org: OrgRepository;
  checkins: CheckinRepository;
  jobRuns: JobRunsRepository;
  oneonones: OneOnOneRepository;
  nearmisses: NearMissRepository;
  kudos: KudosRepository;
}

/** The longest cadence a pair can have (a quarter). */
const MAX_CADENCE_DAYS = Math.max(...CADENCES.map(Number));

/** Read once per run: the directory as it is now, every pair's 1on1 history, the near-miss reports. */
export interface RollupContext {
  people: PeopleIndex;
  pairs: { history: PairHistory; intervals: [number, number][] }[];
  /** 1on1s held, by the day their record was saved. */
  held: Map<string, Pick<Meeting, 'unit' | 'memberRole'>[]>;
  /** Near-miss reports by the day they were filed (a town files a few hundred a year). */
  nearmisses: Map<string, NearMiss[]>;
  /** Every 課 anyone in the directory belongs to (active or not), and '' for people without one. */
  units: string[];
}

/**
 * How far back 1on1s are read: whether a pair was already late earlier in the fiscal year needs its
 * 1on1s from the year's start, and the last one before it, which at the longest cadence (a quarter)
 * is at most 90 days earlier. An older one changes nothing: the pair was late when the year began.
 */
export function heldHistoryFrom(from: string): string {
  return dayOfNumber(dayNumber(`${periodsOfDay(from).year.slice(2)}-04-01`) - MAX_CADENCE_DAYS);
}

/** Reads of one kind (check-ins of each 課, job runs) run this many at a time. */
const PARALLEL_READS = 16;

export class KpiSources {
  constructor(private readonly repos: KpiSourceRepositories) {}

  /** The directory as it is now: whose 課 and 役職 a period's snapshot counts people under. */
  async people(tenantId: string): Promise<PeopleIndex> {
    return indexPeople(await this.repos.org.listPeople(tenantId));
  }

  /** Everything rolling up from..to needs that does not change from day to day. */
  async context(tenantId: string, from: string): Promise<RollupContext> {
    const directory = await this.repos.org.listPeople(tenantId);
    const people = indexPeople(directory);
    const [pairs, held, reports] = await Promise.all([
      this.repos.oneonones.listPairs(tenantId, pairsFromDirectory(directory)),
      this.repos.oneonones.listHeldSince(tenantId, heldHistoryFrom(from)),
      this.repos.nearmisses.listAll(tenantId),
    ]);
    const heldByPair = groupBy(held, (m) => `${m.managerId}|${m.memberId}`);
    const histories = pairs.map((pair) => {
      const member = people.byId.get(pair.memberId);
      const history: PairHistory = {
        unit: member?.unit ?? '',
        role: member?.role ?? '',
        since: dayNumber(pair.since),
        cadenceDays: pair.cadenceDays,
        held: (heldByPair.get(`${pair.managerId}|${pair.memberId}`) ?? []).map((m) => dayNumber(m.heldDay ?? '')),
      };
      return { history, intervals: lateIntervals(history) };
    });
    const units = [...new Set(directory.map((p) => p.unit ?? ''))].sort();
    return { people, pairs: histories, units, held: groupBy(held, (m) => m.heldDay ?? ''), nearmisses: groupBy(reports, (r) => r.day) };
  }

  /** The raw facts of each day from..to, read in a handful of range queries. */
  async days(tenantId: string, context: RollupContext, from: string, to: string): Promise<DayFacts[]> {
    const days = daysBetween(from, to);
    const records: CheckinRecord[] = [];
    await forEachLimited(context.units, PARALLEL_READS, async (unit) => {
      records.push(...(await this.repos.checkins.listUnitDays(tenantId, unit, from, to)));
    });
    const [leaves, kudos, prompted] = await Promise.all([
      this.repos.checkins.leavesBetween(tenantId, from, to),
      this.repos.kudos.receivedBetween(tenantId, from, to),
      this.promptedUnits(tenantId, context, days),
    ]);
    const checkins = groupBy(records, (r) => r.day);
    const kudosByDay = groupBy(kudos, (k) => k.day);
    return days.map((day) => ({
      day,
      prompted: prompted.get(day) ?? new Set<string>(),
      leaves: leaves.get(day) ?? new Map(),
      checkins: checkins.get(day) ?? [],
      nearmisses: context.nearmisses.get(day) ?? [],
      kudos: kudosByDay.get(day) ?? [],
      held: context.held.get(day) ?? [],
      pairs: pairsOn(context, day),
    }));
  }

  /** For each day, the `slot|課` whose prompt job ran: the scheduler only runs it on office days hibi was up. */
  private async promptedUnits(tenantId: string, context: RollupContext, days: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(days.map((day) => [day, new Set<string>()]));
    const checks = days.flatMap((day) =>
      context.units.filter(Boolean).flatMap((unit) => (['morning', 'evening'] as const).map((slot) => ({ day, unit, slot }))),
    );
    await forEachLimited(checks, PARALLEL_READS, async ({ day, unit, slot }) => {
      if (await this.repos.jobRuns.isDone(tenantId, day, checkinPromptJobId(slot, unit))) out.get(day)?.add(promptedKey(slot, unit));
    });
    return out;
  }
}

function pairsOn(context: RollupContext, day: string): PairDay[] {
  const starts = periodStarts(day);
  return context.pairs.flatMap(({ history, intervals }) => pairOnDay(history, intervals, day, starts) ?? []);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
