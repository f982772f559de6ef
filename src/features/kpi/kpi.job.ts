import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import { hibiMetrics } from '../../telemetry/metrics';
import { aggregate, type Part, type PeriodRow } from './kpi.aggregate';
import type { DecodedRow } from './kpi.entity';
import { rowKeyOf } from './kpi.figures';
import { dayNumber, dayOfNumber, daysBetween, monthsOf, parsePeriod, periodsOfDay } from './kpi.period';
import type { PolicyKpiSources, SurveyKpiSource } from './kpi.policy';
import { withPolicy } from './kpi.policy-rollup';
import type { KpiRepository } from './kpi.repository';
import { rollupDay, type PeopleIndex } from './kpi.rollup';
import type { KpiSources } from './kpi.sources';
import type { Period } from './kpi.types';

export interface KpiJobDeps {
  sources: KpiSources;
  store: KpiRepository;
  clock: Clock;
  logger?: Logger;
  /** 有給休暇 / 研修 / OJT tallies: absent, kpiperiods has no such columns. */
  policy?: PolicyKpiSources;
  /** The staff survey: absent, kpisurveys stays empty. */
  survey?: SurveyKpiSource;
}

/** Told after each day is written: the backfill's progress bar. */
export type DayProgress = (done: number, total: number, day: string) => void;

/** Days read from the features' tables at once: a week of a large town's check-ins fits in memory easily. */
const CHUNK_DAYS = 7;

const shiftDay = (day: string, days: number): string => dayOfNumber(dayNumber(day) + days);

/**
 * Rolls the daily practice up into HR storage: each day's rows from the features' repositories, then
 * the months, halves and fiscal years those days belong to from the daily rows alone. The nightly
 * job and `npm run kpi -- backfill` both run this.
 */
export class KpiRollupJob {
  constructor(private readonly deps: KpiJobDeps) {}

  /** Every day from..to (inclusive), then every period they touch; running it again writes the same rows. */
  async rollupDays(tenantId: string, from: string, to: string, progress?: DayProgress): Promise<void> {
    const started = Date.now();
    const context = await this.deps.sources.context(tenantId, from);
    const days = daysBetween(from, to);
    let done = 0;
    for (let i = 0; i < days.length; i += CHUNK_DAYS) {
      const chunk = days.slice(i, i + CHUNK_DAYS);
      const facts = await this.deps.sources.days(tenantId, context, chunk[0] as string, chunk.at(-1) as string);
      for (const day of facts) {
        await this.deps.store.replaceDay(tenantId, day.day, rollupDay(context.people, day));
        done += 1;
        progress?.(done, days.length, day.day);
      }
    }
    await this.rebuildPeriods(tenantId, days, context.people);
    const ms = Date.now() - started;
    hibiMetrics.kpiRollup(ms);
    this.deps.logger?.info({ tenantId, from, to, days: days.length, ms }, 'kpi rollup done');
  }

  /**
   * The nightly run: every day after the last one rolled up, to yesterday. The scheduler only runs
   * on office days, so Monday's run covers Friday, Saturday and Sunday. A tenant never rolled up
   * starts with yesterday; older days are the backfill's.
   */
  async rollupPending(tenantId: string, today: string): Promise<{ from: string; to: string } | undefined> {
    const yesterday = shiftDay(today, -1);
    const last = await this.deps.store.lastRolledDay(tenantId);
    const from = last ? shiftDay(last, 1) : yesterday;
    if (from > yesterday) return undefined;
    await this.rollupDays(tenantId, from, yesterday);
    await this.deps.store.setLastRolledDay(tenantId, yesterday, this.deps.clock.now());
    return { from, to: yesterday };
  }

  /**
   * A backfill of from..to; when it joins the days already rolled up (or none were), the nightly job
   * carries on after it. Today is never marked done: its day is not over.
   */
  async backfill(tenantId: string, from: string, to: string, today: string, progress?: DayProgress): Promise<void> {
    await this.rollupDays(tenantId, from, to, progress);
    const last = await this.deps.store.lastRolledDay(tenantId);
    const reached = to < today ? to : shiftDay(today, -1);
    const joins = last === undefined || from <= shiftDay(last, 1);
    if (joins && (last === undefined || reached > last) && reached >= from) await this.deps.store.setLastRolledDay(tenantId, reached, this.deps.clock.now());
  }

  /**
   * Months from their days, then halves and fiscal years from their months; each with its own
   * 有給休暇 / 研修 / OJT snapshot and survey, which are counted for the period, not added up.
   */
  async rebuildPeriods(tenantId: string, days: readonly string[], people?: PeopleIndex): Promise<void> {
    const directory = this.deps.policy ? (people ?? (await this.deps.sources.people(tenantId))) : undefined;
    const months = new Set(days.map((d) => d.slice(0, 7)));
    for (const month of months) {
      const period = parsePeriod(month);
      const rows = await this.deps.store.dailyRows(tenantId, period.from, period.to);
      await this.replacePeriod(tenantId, period, aggregateRows(rows, period), directory);
    }
    const longer = new Set(days.flatMap((d) => [periodsOfDay(d).half, periodsOfDay(d).year]));
    for (const id of longer) {
      const period = parsePeriod(id);
      const ids = monthsOf(period);
      const rows = await this.deps.store.monthRows(tenantId, ids[0] as string, ids.at(-1) as string);
      await this.replacePeriod(tenantId, period, aggregateRows(rows, period), directory);
    }
  }

  private async replacePeriod(tenantId: string, period: Period, rows: PeriodRow[], people: PeopleIndex | undefined): Promise<void> {
    const { policy, survey } = this.deps;
    const complete = policy && people ? await withPolicy(rows, policy, tenantId, period, people) : rows;
    await this.deps.store.replacePeriod(tenantId, period, complete);
    if (survey) await this.deps.store.replaceSurvey(tenantId, period, (await survey.comparison(tenantId, period)).current);
  }
}

function aggregateRows(rows: readonly DecodedRow[], period: Period): PeriodRow[] {
  const byKey = new Map<string, { row: DecodedRow; parts: Part[] }>();
  for (const row of rows) {
    const key = rowKeyOf(row.key);
    const entry = byKey.get(key) ?? { row, parts: [] };
    entry.parts.push(row);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map(({ row, parts }) => aggregate(row.key, parts, period.kind));
}
