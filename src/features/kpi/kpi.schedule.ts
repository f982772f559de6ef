import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { KpiRollupJob } from './kpi.job';

/**
 * The nightly rollup as an office-day job: due at KPI_ROLLUP_AT (02:00, after the last evening
 * answers and before anyone's morning) and still run later that day if hibi was
 * down then. It rolls up every day not yet rolled up, so weekends and holidays are covered by the
 * next office day's run.
 */
export class KpiSchedule implements DailyJobSource {
  constructor(
    private readonly job: Pick<KpiRollupJob, 'rollupPending'>,
    private readonly at: string,
  ) {}

  async occurrences(tenantId: string, day: string): Promise<DailyOccurrence[]> {
    return [{ id: 'kpi.rollup', from: this.at, until: '23:59', run: async () => void (await this.job.rollupPending(tenantId, day)) }];
  }
}
