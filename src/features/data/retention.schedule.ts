import type { DailyJobSource, DailyOccurrence } from '../../scheduler/daily-job';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { applyRetention, type RetentionDeps } from './retention';

/** After the KPI rollup (02:00), which reads the check-ins of the day before, and long before anyone's morning. */
export const RETENTION_AT = '03:30';

/**
 * The nightly retention as a job of every calendar day (the clock of a text does not stop at the
 * weekend). The scheduler marks it done per tenant and day; run again after a crash, it finds
 * only what is left.
 */
export class RetentionSchedule implements DailyJobSource {
  readonly days = 'everyDay' as const;

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
