import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { applyRetention, type RetentionDeps } from './retention';

/** After the KPI rollup (02:00), which reads the check-ins of the day before, and long before anyone's morning. */
export const RETENTION_AT = '03:30';

/**
 * The nightly retention, on office days like the KPI rollup: its periods are months, so a weekend's
 * wait changes nothing, and a day off stays a day nothing runs. The scheduler marks it done per
 * tenant and day; run again after a crash, it finds only what is left.
 */
export class RetentionSchedule implements DailyJobSource {
  constructor(private readonly deps: RetentionDeps & { clock: Clock; logger?: Logger }) {}

  async occurrences(tenantId: string): Promise<DailyOccurrence[]> {
    return [
      {
        id: 'data.retention',
        from: RETENTION_AT,
        until: '23:59',
        run: async () => {
          const outcome = await applyRetention(this.deps, tenantId, this.deps.clock.now());
          this.deps.logger?.info({ tenantId, ...outcome }, 'retention applied');
        },
      },
    ];
  }
}
